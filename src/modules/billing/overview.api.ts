import { z } from 'zod';
import { todayIn } from '../../app/dates.js';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import { invoiceState, outstandingOre, type Invoice } from './invoices.repository.js';
import { runLapses } from './lapse.usecases.js';
import { memberAccount, type MemberAccount } from './member-account.repository.js';
import { getMemberStatement, getOverview } from './overview.usecases.js';
import { planReminders, sendDueReminders, type PlannedReminder } from './reminders.usecases.js';

// The overview, statements, reminders and lapses through /api/v1.

const invoiceResponse = z.object({
  number: z.number().int(),
  kind: z.enum(['invoice', 'credit_note']),
  purpose: z.string(),
  year: z.number().int().nullable(),
  issueDate: z.string(),
  dueDate: z.string(),
  totalOre: z.number().int(),
  vatOre: z.number().int(),
  paidOre: z.number().int(),
  creditedOre: z.number().int(),
  outstandingOre: z.number().int(),
  status: z.string(),
  kid: z.string().nullable(),
  bankAccount: z.string().nullable(),
  htmlUrl: z.string(),
  pdfUrl: z.string(),
});

const accountResponse = z.object({
  balanceOre: z.number().int(),
  outstandingOre: z.number().int(),
  creditBalanceOre: z.number().int(),
  invoices: z.array(invoiceResponse),
  payments: z.array(
    z.object({
      id: z.string(),
      bookingDate: z.string(),
      kind: z.string(),
      source: z.string(),
      amountOre: z.number().int(),
      kid: z.string().nullable(),
      toMemberOre: z.number().int(),
      invoiceNumbers: z.array(z.number().int()),
      toCreditOre: z.number().int(),
    }),
  ),
  entries: z.array(
    z.object({
      date: z.string(),
      kind: z.string(),
      invoiceNumber: z.number().int().nullable(),
      debitOre: z.number().int(),
      creditOre: z.number().int(),
      balanceOre: z.number().int(),
    }),
  ),
});

const reminderResponse = z.object({
  invoiceNumber: z.number().int(),
  memberId: z.string(),
  memberNumber: z.number().int(),
  memberName: z.string(),
  dueDate: z.string(),
  daysPastDue: z.number().int(),
  outstandingOre: z.number().int(),
  sequence: z.number().int(),
  feeOre: z.number().int(),
});

const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

function presentInvoice(inv: Invoice, today: string) {
  return {
    number: inv.number,
    kind: inv.kind,
    purpose: inv.purpose,
    year: inv.year,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    totalOre: inv.totalOre,
    vatOre: inv.vatOre,
    paidOre: inv.paidOre,
    creditedOre: inv.creditedOre,
    outstandingOre: outstandingOre(inv),
    status: invoiceState(inv, today),
    kid: inv.kid,
    bankAccount: inv.bankAccount,
    htmlUrl: `/billing/invoices/${inv.number}`,
    pdfUrl: `/billing/invoices/${inv.number}.pdf`,
  };
}

function presentAccount(account: MemberAccount, today: string) {
  return {
    balanceOre: account.balanceOre,
    outstandingOre: account.outstandingOre,
    creditBalanceOre: account.creditBalanceOre,
    invoices: account.invoices.map((i) => presentInvoice(i, today)),
    payments: account.payments.map((p) => ({
      id: p.id,
      bookingDate: p.bookingDate,
      kind: p.kind,
      source: p.source,
      amountOre: p.amountOre,
      kid: p.kid,
      toMemberOre: p.toMemberOre,
      invoiceNumbers: p.invoiceNumbers,
      toCreditOre: p.toCreditOre,
    })),
    entries: account.entries.map((e) => ({
      date: e.date,
      kind: e.kind,
      invoiceNumber: e.invoiceNumber,
      debitOre: e.debitOre,
      creditOre: e.creditOre,
      balanceOre: e.balanceOre,
    })),
  };
}

function presentReminder(r: PlannedReminder) {
  return {
    invoiceNumber: r.invoice.number,
    memberId: r.debtor.id,
    memberNumber: r.debtor.memberNumber,
    memberName: r.debtor.name,
    dueDate: r.invoice.dueDate,
    daysPastDue: r.daysPastDue,
    outstandingOre: r.outstandingOre,
    sequence: r.sequence,
    feeOre: r.feeOre,
  };
}

export function registerOverviewApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/billing/overview',
      summary: "The treasurer's figures for an association year (default: the current one)",
      tag: 'billing',
      permission: 'billing.read',
      query: yearQuery,
      response: z.object({
        year: z.number().int(),
        startsOn: z.string(),
        endsOn: z.string(),
        today: z.string(),
        invoiceCount: z.number().int(),
        invoicedOre: z.number().int(),
        creditNoteCount: z.number().int(),
        creditNotesOre: z.number().int(),
        paidOre: z.number().int(),
        outstandingOre: z.number().int(),
        overdueOre: z.number().int(),
        overdueCount: z.number().int(),
        vatOre: z.number().int(),
        vat: z.array(
          z.object({
            rateBp: z.number().int(),
            netOre: z.number().int(),
            vatOre: z.number().int(),
            grossOre: z.number().int(),
          }),
        ),
        creditBalanceOre: z.number().int(),
        membersWithCredit: z.number().int(),
        membersPaid: z.number().int(),
        membersUnpaid: z.number().int(),
        paymentsByDay: z.array(z.object({ date: z.string(), amountOre: z.number().int() })),
      }),
    },
    async (c, { query }) => {
      const { db, clock } = c.get('ctx');
      const o = await getOverview(db, {
        now: clock.now(),
        ...(query.year ? { year: query.year } : {}),
      });
      return c.json({
        year: o.bounds.year,
        startsOn: o.bounds.startsOn,
        endsOn: o.bounds.endsOn,
        today: o.today,
        ...o.figures,
        paymentsByDay: o.byDay,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/members/:id/statement',
      summary: "A member's account statement: invoices, credit notes, payments, running balance",
      tag: 'billing',
      permission: 'billing.read',
      response: accountResponse.extend({
        member: z.object({ id: z.string(), memberNumber: z.number().int(), name: z.string() }),
      }),
    },
    async (c) => {
      const { db, clock } = c.get('ctx');
      const { member, account } = await getMemberStatement(db, c.req.param('id') ?? '');
      const today = todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', clock.now());
      return c.json({
        member: { id: member.id, memberNumber: member.memberNumber, name: member.name },
        ...presentAccount(account, today),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/reminders/due',
      summary: 'The reminders the daily job would send now (a preview)',
      tag: 'billing',
      permission: 'billing.read',
      response: z.object({
        today: z.string(),
        toSend: z.array(reminderResponse),
        noEmail: z.array(reminderResponse),
      }),
    },
    async (c) => {
      const { db, clock } = c.get('ctx');
      const plan = await planReminders(db, clock.now());
      return c.json({
        today: plan.today,
        toSend: plan.toSend.map(presentReminder),
        noEmail: plan.noEmail.map(presentReminder),
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/reminders/send',
      summary: 'Sends the reminders that are due now (what the daily job does)',
      tag: 'billing',
      permission: 'billing.manage',
      response: z.object({
        sent: z.array(
          z.object({
            invoiceNumber: z.number().int(),
            memberId: z.string(),
            sequence: z.number().int(),
            feeOre: z.number().int(),
            feeInvoiceNumber: z.number().int().nullable(),
          }),
        ),
        failed: z.array(z.object({ invoiceNumber: z.number().int(), error: z.string() })),
      }),
    },
    async (c) => {
      const { sent, failed } = await sendDueReminders(c.get('ctx'), { actor: actorOf(c) });
      return c.json({
        sent: sent.map(({ reminderId: _id, ...s }) => s),
        failed,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/lapse/run',
      summary:
        'Lapses the memberships whose dues are unpaid past due date and grace (what the daily job does)',
      tag: 'billing',
      permission: 'billing.manage',
      response: z.object({
        lapsed: z.array(
          z.object({
            memberId: z.string(),
            memberNumber: z.number().int(),
            invoiceNumber: z.number().int(),
          }),
        ),
        failed: z.array(z.object({ memberNumber: z.number().int(), error: z.string() })),
      }),
    },
    async (c) => c.json(await runLapses(c.get('ctx'), { actor: actorOf(c) })),
  );

  api.route(
    {
      method: 'get',
      path: '/me/invoices',
      summary: "The token owner's own invoices, payments and balance",
      tag: 'billing',
      permission: null,
      response: accountResponse.extend({ memberId: z.string().nullable() }),
    },
    async (c) => {
      const { db, clock } = c.get('ctx');
      const memberId = c.get('user')?.memberId ?? null;
      const today = todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', clock.now());
      if (!memberId)
        return c.json({
          memberId: null,
          balanceOre: 0,
          outstandingOre: 0,
          creditBalanceOre: 0,
          invoices: [],
          payments: [],
          entries: [],
        });
      return c.json({ memberId, ...presentAccount(await memberAccount(db, memberId), today) });
    },
  );
}
