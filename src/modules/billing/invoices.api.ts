import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import { BillingErrors } from './billing.errors.js';
import { listRuns, type DuesRun } from './dues-run.repository.js';
import { runDues } from './dues-run.usecases.js';
import { feeComponentsBody, feeYear } from './fees.schemas.js';
import { getFeeSchedule, setFees } from './fees.usecases.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { invoiceState, type Invoice, type InvoiceLine } from './invoices.repository.js';
import {
  adHocInvoiceApiSchema,
  creditSchema,
  invoiceListQuery,
  parseInvoiceNumber,
} from './invoices.schemas.js';
import { issueAdHocInvoice } from './adhoc-invoice.usecases.js';
import {
  creditInvoice,
  invoicePdfFilename,
  listInvoicePage,
  viewInvoice,
} from './invoices.usecases.js';

// The invoice, fee schedule and dues run operations under /api/v1.

const party = z.object({
  name: z.string(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  orgNumber: z.string().nullable(),
  memberNumber: z.number().int().optional(),
});

const invoiceResponse = z.object({
  number: z.number().int(),
  kind: z.enum(['invoice', 'credit_note']),
  purpose: z.enum(['dues', 'reminder_fee', 'other']),
  year: z.number().int().nullable(),
  memberId: z.string(),
  memberNumber: z.number().int().nullable(),
  issueDate: z.string(),
  dueDate: z.string(),
  kid: z.string().nullable(),
  bankAccount: z.string().nullable(),
  vatRegistered: z.boolean(),
  orMore: z.boolean(),
  netOre: z.number().int(),
  vatOre: z.number().int(),
  totalOre: z.number().int(),
  paidOre: z.number().int(),
  creditedOre: z.number().int(),
  settledAt: z.string().nullable(),
  state: z.enum(['credit_note', 'credited', 'paid', 'part_paid', 'overdue', 'open']),
});

const lineResponse = z.object({
  position: z.number().int(),
  description: z.string(),
  grossOre: z.number().int(),
  vatRateBp: z.number().int(),
  vatOre: z.number().int(),
  netOre: z.number().int(),
});

const invoiceDetailResponse = invoiceResponse.extend({
  seller: party,
  buyer: party,
  lines: z.array(lineResponse),
  creditedInvoiceNumber: z.number().int().nullable(),
  creditNoteNumbers: z.array(z.number().int()),
});

const runResponse = z.object({
  id: z.string(),
  year: z.number().int(),
  status: z.enum(['running', 'done', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  dueCount: z.number().int(),
  createdCount: z.number().int(),
  skippedCount: z.number().int(),
  totalOre: z.number().int(),
  lastError: z.string().nullable(),
});

const componentResponse = z.object({
  nameNb: z.string(),
  nameEn: z.string(),
  amountOre: z.number().int(),
  vatRateBp: z.number().int(),
  vatOre: z.number().int(),
  orMore: z.boolean(),
});

const feesResponse = z.object({
  year: z.number().int(),
  vatRegistered: z.boolean(),
  types: z.array(
    z.object({
      code: z.string(),
      totalOre: z.number().int(),
      vatOre: z.number().int(),
      components: z.array(componentResponse),
    }),
  ),
});

function today(c: Context<AppEnv>): string {
  return todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('ctx').clock.now());
}

function presentInvoice(inv: Invoice, todayIs: string): z.infer<typeof invoiceResponse> {
  return {
    number: inv.number,
    kind: inv.kind,
    purpose: inv.purpose,
    year: inv.year,
    memberId: inv.memberId,
    memberNumber: inv.buyer.memberNumber ?? null,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    kid: inv.kid,
    bankAccount: inv.bankAccount,
    vatRegistered: inv.vatRegistered,
    orMore: inv.orMore,
    netOre: inv.netOre,
    vatOre: inv.vatOre,
    totalOre: inv.totalOre,
    paidOre: inv.paidOre,
    creditedOre: inv.creditedOre,
    settledAt: inv.settledAt,
    state: invoiceState(inv, todayIs),
  };
}

const presentLine = (l: InvoiceLine) => ({ ...l });

const presentParty = (p: Invoice['buyer']) => ({
  name: p.name,
  addressLine: p.addressLine,
  postalCode: p.postalCode,
  city: p.city,
  orgNumber: p.orgNumber,
  ...(p.memberNumber !== undefined ? { memberNumber: p.memberNumber } : {}),
});

const presentRun = (r: DuesRun): z.infer<typeof runResponse> => ({
  id: r.id,
  year: r.year,
  status: r.status,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  dueCount: r.dueCount,
  createdCount: r.createdCount,
  skippedCount: r.skippedCount,
  totalOre: r.totalOre,
  lastError: r.lastError,
});

function numberParam(c: Context<AppEnv>): number {
  const n = parseInvoiceNumber(c.req.param('number'));
  if (n === null) throw BillingErrors.invoiceNotFound();
  return n;
}

export function registerInvoiceApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/invoices',
      summary: 'Invoices and credit notes, newest first (50 per page)',
      tag: 'billing',
      permission: 'billing.read',
      query: invoiceListQuery,
      response: z.object({
        invoices: z.array(invoiceResponse),
        total: z.number().int(),
        page: z.number().int(),
        pages: z.number().int(),
      }),
    },
    async (c, { query }) => {
      const todayIs = today(c);
      const result = await listInvoicePage(c.get('ctx').db, {
        filter: {
          year: query.year,
          purpose: query.purpose,
          status: query.status,
          memberNumber: query.member,
          number: query.number,
        },
        page: query.page ?? 1,
        today: todayIs,
      });
      return c.json({
        ...result,
        invoices: result.invoices.map((i) => presentInvoice(i, todayIs)),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/invoices/:number',
      summary: 'One invoice or credit note with its lines',
      tag: 'billing',
      permission: 'billing.read',
      response: invoiceDetailResponse,
    },
    async (c) => {
      const detail = await viewInvoice(c.get('ctx').db, {
        number: numberParam(c),
        user: c.get('user')!,
      });
      return c.json({
        ...presentInvoice(detail.invoice, today(c)),
        seller: presentParty(detail.invoice.seller),
        buyer: presentParty(detail.invoice.buyer),
        lines: detail.lines.map(presentLine),
        creditedInvoiceNumber: detail.creditedNumber,
        creditNoteNumbers: detail.creditNotes.map((n) => n.number),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/invoices/:number/pdf',
      summary: 'One invoice or credit note as PDF',
      tag: 'billing',
      permission: 'billing.read',
      produces: 'application/pdf',
    },
    async (c) => {
      const detail = await viewInvoice(c.get('ctx').db, {
        number: numberParam(c),
        user: c.get('user')!,
      });
      const locale = c.get('locale');
      const pdf = await renderInvoicePdf(detail, locale);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${invoicePdfFilename(detail.invoice, locale)}"`,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/invoices',
      summary:
        'Issue a one-off invoice to a member (purpose other): lines of description, amount in øre (quantity 1) and VAT rate; numbered, with KID, and mailed with its PDF like a dues invoice',
      tag: 'billing',
      permission: 'billing.manage',
      body: adHocInvoiceApiSchema,
      response: z.object({ invoice: invoiceResponse, mailed: z.boolean() }),
    },
    async (c, { body }) => {
      const { invoice, mailed } = await issueAdHocInvoice(c.get('ctx'), {
        actor: actorOf(c),
        member: { number: body.member_number },
        lines: body.lines.map((l) => ({
          description: l.description,
          grossOre: l.amount_ore,
          vatRateBp: l.vat_rate_bp,
        })),
      });
      return c.json({ invoice: presentInvoice(invoice, today(c)), mailed }, 201);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/invoices/:number/credit',
      summary: 'Credit an invoice in full; what was paid becomes the member’s credit',
      tag: 'billing',
      permission: 'billing.manage',
      body: creditSchema,
      response: z.object({ creditNote: invoiceResponse, movedToCreditOre: z.number().int() }),
    },
    async (c, { body }) => {
      const { creditNote, movedOre } = await creditInvoice(c.get('ctx'), {
        actor: actorOf(c),
        number: numberParam(c),
        reason: body.reason,
      });
      return c.json({
        creditNote: presentInvoice(creditNote, today(c)),
        movedToCreditOre: movedOre,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/fees',
      summary: 'The fee schedule of an association year',
      tag: 'billing',
      permission: 'billing.read',
      query: z.object({ year: feeYear }),
      response: feesResponse,
    },
    async (c, { query }) => {
      const schedule = await getFeeSchedule(c.get('ctx').db, query.year);
      return c.json({
        year: schedule.year,
        vatRegistered: schedule.vatRegistered,
        types: schedule.types.map((s) => ({
          code: s.type.code,
          totalOre: s.totalOre,
          vatOre: s.vatOre,
          components: s.components.map((comp) => ({
            nameNb: comp.nameNb,
            nameEn: comp.nameEn,
            amountOre: comp.amountOre,
            vatRateBp: comp.vatRateBp,
            vatOre: comp.vatOre,
            orMore: comp.orMore,
          })),
        })),
      });
    },
  );

  api.route(
    {
      method: 'put',
      path: '/fees/:year/:type',
      summary: 'Set the fee components of a membership type (by code) for a year',
      tag: 'billing',
      permission: 'billing.manage',
      body: feeComponentsBody,
      response: z.object({ year: z.number().int(), type: z.string(), totalOre: z.number().int() }),
    },
    async (c, { body }) => {
      const year = feeYear.safeParse(c.req.param('year'));
      if (!year.success) throw CommonErrors.notFound();
      const type = c.req.param('type') ?? '';
      const { totalOre } = await setFees(c.get('ctx'), {
        actor: actorOf(c),
        year: year.data,
        typeCode: type,
        components: body.components.map((comp) => ({
          nameNb: comp.nameNb,
          nameEn: comp.nameEn || comp.nameNb,
          amountOre: comp.amountOre,
          vatRateBp: comp.vatRateBp,
          orMore: !!comp.orMore,
        })),
      });
      return c.json({ year: year.data, type, totalOre });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/dues-runs',
      summary: "Run the year's dues (synchronously) and return the summary",
      tag: 'billing',
      permission: 'billing.manage',
      body: z.object({ year: z.number().int().min(2000).max(2200) }),
      response: runResponse,
    },
    async (c, { body }) => {
      const run = await runDues(c.get('ctx'), { actor: actorOf(c), year: body.year });
      return c.json(presentRun(run));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/dues-runs',
      summary: 'The latest dues runs, newest first',
      tag: 'billing',
      permission: 'billing.read',
      response: z.array(runResponse),
    },
    async (c) => c.json((await listRuns(c.get('ctx').db, { limit: 50 })).map(presentRun)),
  );
}
