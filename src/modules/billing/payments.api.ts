import { z } from 'zod';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import { importBankFile, type ImportReport } from './bank-import.usecases.js';
import { PaymentErrors } from './billing.errors.js';
import { listPaymentsPage, paymentDetail } from './payments-list.usecases.js';
import type { Payment, PaymentListItem } from './payments.repository.js';
import {
  ignorePaymentSchema,
  importApiQuerySchema,
  matchPaymentSchema,
  PAYMENT_SOURCES,
  PAYMENT_STATUSES,
  paymentApiQuerySchema,
  registerPaymentApiSchema,
  reversePaymentSchema,
} from './payments.schemas.js';
import {
  ignorePayment,
  matchQueuedPayment,
  registerPayment,
  registerReversal,
  restorePayment,
} from './payments.usecases.js';

// The payment operations under /api/v1: list, register by hand, import a bank file,
// and resolve the queue of unmatched payments.

const paymentResponse = z.object({
  id: z.string(),
  source: z.enum(PAYMENT_SOURCES),
  kind: z.enum(['credit', 'reversal']),
  amountOre: z.number().int(),
  kid: z.string().nullable(),
  bookingDate: z.string(),
  payerName: z.string().nullable(),
  payerAccount: z.string().nullable(),
  message: z.string().nullable(),
  bankReference: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  memberId: z.string().nullable(),
  memberNumber: z.number().int().nullable().optional(),
  invoiceNumber: z.number().int().nullable().optional(),
  matchRule: z.string().nullable(),
  reversesPaymentId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

function present(p: Payment | PaymentListItem) {
  return {
    id: p.id,
    source: p.source,
    kind: p.kind,
    amountOre: p.amountOre,
    kid: p.kid,
    bookingDate: p.bookingDate,
    payerName: p.payerName,
    payerAccount: p.payerAccount,
    message: p.message,
    bankReference: p.bankReference,
    status: p.status,
    memberId: p.memberId,
    ...('memberNumber' in p
      ? { memberNumber: p.memberNumber, invoiceNumber: p.invoiceNumber }
      : {}),
    matchRule: p.matchRule,
    reversesPaymentId: p.reversesPaymentId,
    note: p.note,
    createdAt: p.createdAt,
  };
}

const importRowResponse = z.object({
  location: z.string(),
  kind: z.enum(['credit', 'reversal']),
  amountOre: z.number().int(),
  kid: z.string().nullable(),
  bookingDate: z.string(),
  outcome: z.enum(['matched', 'unmatched', 'duplicate']),
  rule: z.string().nullable(),
  reason: z.string().nullable(),
  invoiceNumber: z.number().int().nullable(),
  memberNumber: z.number().int().nullable(),
  toInvoiceOre: z.number().int(),
  toCreditOre: z.number().int(),
});

const importResponse = z.object({
  dryRun: z.boolean(),
  committed: z.boolean(),
  alreadyImported: z.object({ id: z.string(), importedAt: z.string() }).nullable(),
  sha256: z.string(),
  format: z.string().nullable(),
  fileId: z.string().nullable(),
  transactions: z.number().int(),
  totalOre: z.number().int(),
  matched: z.number().int(),
  unmatched: z.number().int(),
  duplicates: z.number().int(),
  reversed: z.number().int(),
  creditOre: z.number().int(),
  invoicesSettled: z.number().int(),
  periodsPaid: z.number().int(),
  reactivated: z.number().int(),
  rows: z.array(importRowResponse),
});

function presentImport(r: ImportReport): z.input<typeof importResponse> {
  return {
    dryRun: r.dryRun,
    committed: r.committed,
    alreadyImported: r.alreadyImported
      ? { id: r.alreadyImported.id, importedAt: r.alreadyImported.importedAt }
      : null,
    sha256: r.sha256,
    format: r.summary?.format ?? null,
    fileId: r.summary?.fileId ?? null,
    transactions: r.summary?.count ?? 0,
    totalOre: r.summary?.totalOre ?? 0,
    matched: r.matched,
    unmatched: r.unmatched,
    duplicates: r.duplicates,
    reversed: r.reversed,
    creditOre: r.creditOre,
    invoicesSettled: r.invoicesSettled,
    periodsPaid: r.periodsPaid,
    reactivated: r.reactivated,
    rows: r.rows.map((row) => ({
      location: row.location,
      kind: row.kind,
      amountOre: row.amountOre,
      kid: row.kid,
      bookingDate: row.bookingDate,
      outcome: row.outcome,
      rule: row.rule,
      reason: row.reason,
      invoiceNumber: row.invoiceNumber,
      memberNumber: row.memberNumber,
      toInvoiceOre: row.toInvoiceOre,
      toCreditOre: row.toCreditOre,
    })),
  };
}

const idParam = '/payments/:id';

export function registerPaymentApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/payments',
      summary: 'Payments, newest first, filtered by status, source, booking dates or member number',
      tag: 'billing',
      permission: 'billing.read',
      query: paymentApiQuerySchema,
      response: z.object({
        payments: z.array(paymentResponse),
        total: z.number().int(),
        page: z.number().int(),
        pages: z.number().int(),
      }),
    },
    async (c, { query }) => {
      const result = await listPaymentsPage(c.get('ctx'), { query, pageSize: query.limit });
      return c.json({
        payments: result.payments.map(present),
        total: result.total,
        page: result.page,
        pages: result.pages,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/payments',
      summary:
        'Register a payment by hand (to an invoice by number or KID, or as credit on a member); the same payment twice is refused with 409',
      tag: 'billing',
      permission: 'billing.manage',
      body: registerPaymentApiSchema,
      response: z.object({
        payment: paymentResponse,
        toInvoiceOre: z.number().int(),
        toCreditOre: z.number().int(),
      }),
    },
    async (c, { body }) => {
      const { payment, plan } = await registerPayment(c.get('ctx'), {
        actor: actorOf(c),
        payment: body,
      });
      return c.json(
        {
          payment: present(payment),
          toInvoiceOre: plan.toInvoiceOre,
          toCreditOre: plan.toCreditOre,
        },
        201,
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/payments/import',
      summary:
        'Import a bank file (OCR giro, camt.053 or camt.054, detected from the content) as the raw request body. dry_run=true (the default) only reports what would match; a refused file answers 400 with the line or XML path and the reason, and nothing is imported',
      tag: 'billing',
      permission: 'billing.manage',
      query: importApiQuerySchema,
      body: z.unknown(),
      consumes: 'application/octet-stream',
      response: importResponse,
    },
    async (c, { query }) => {
      const stream = c.req.raw.body;
      if (!stream) throw PaymentErrors.noFile();
      const report = await importBankFile(c.get('ctx'), {
        input: stream,
        fileName: c.req.header('x-filename') ?? null,
        dryRun: query.dry_run,
        actor: actorOf(c),
      });
      return c.json(presentImport(report));
    },
  );

  api.route(
    {
      method: 'get',
      path: idParam,
      summary: 'One payment with its allocations',
      tag: 'billing',
      permission: 'billing.read',
      response: paymentResponse.extend({
        allocations: z.array(
          z.object({
            invoiceNumber: z.number().int().nullable(),
            amountOre: z.number().int(),
            kind: z.string(),
          }),
        ),
      }),
    },
    async (c) => {
      const detail = await paymentDetail(c.get('ctx'), c.req.param('id')!);
      return c.json({
        ...present(detail.payment),
        allocations: detail.allocations.map((a) => ({
          invoiceNumber: a.invoiceNumber,
          amountOre: a.amountOre,
          kind: a.kind,
        })),
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: `${idParam}/match`,
      summary:
        'Match an unmatched payment by hand: to an invoice (invoice_number) or as credit on a member (member_number)',
      tag: 'billing',
      permission: 'billing.manage',
      body: matchPaymentSchema,
      response: paymentResponse,
    },
    async (c, { body }) => {
      const { payment } = await matchQueuedPayment(c.get('ctx'), {
        actor: actorOf(c),
        paymentId: c.req.param('id')!,
        match: body,
      });
      return c.json(present(payment));
    },
  );

  api.route(
    {
      method: 'post',
      path: `${idParam}/ignore`,
      summary: 'Set an unmatched payment aside (not a membership payment), with a reason',
      tag: 'billing',
      permission: 'billing.manage',
      body: ignorePaymentSchema,
      response: paymentResponse,
    },
    async (c, { body }) => {
      const { payment } = await ignorePayment(c.get('ctx'), {
        actor: actorOf(c),
        paymentId: c.req.param('id')!,
        reason: body.reason,
      });
      return c.json(present(payment));
    },
  );

  api.route(
    {
      method: 'post',
      path: `${idParam}/restore`,
      summary: 'Bring a set-aside payment back to the queue of unmatched payments',
      tag: 'billing',
      permission: 'billing.manage',
      response: paymentResponse,
    },
    async (c) => {
      const { payment } = await restorePayment(c.get('ctx'), {
        actor: actorOf(c),
        paymentId: c.req.param('id')!,
      });
      return c.json(present(payment));
    },
  );

  api.route(
    {
      method: 'post',
      path: `${idParam}/reverse`,
      summary:
        'Register that the bank returned a matched payment (when no bank file carries it), with a reason: its allocations are taken back, the invoice opens again and its membership period is no longer paid, as for an imported reversal. A payment already reversed answers 409',
      tag: 'billing',
      permission: 'billing.manage',
      body: reversePaymentSchema,
      response: z.object({
        reversal: paymentResponse,
        reopenedInvoices: z.array(z.number().int()),
      }),
    },
    async (c, { body }) => {
      const { reversal, reopened } = await registerReversal(c.get('ctx'), {
        actor: actorOf(c),
        paymentId: c.req.param('id')!,
        reversal: body,
      });
      return c.json({ reversal: present(reversal), reopenedInvoices: reopened }, 201);
    },
  );
}
