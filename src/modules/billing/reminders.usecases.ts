import { recordAudit, type Actor } from '../../app/audit.js';
import { DAY_MS } from '../../app/clock.js';
import type { AppContext } from '../../app/context.js';
import { addDays, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail } from '../../app/outbox.js';
import { findMemberById } from '../members/members.repository.js';
import { recipientOf, scopeOf } from '../members/member-status.js';
import { getBillingSettings } from './billing-settings.repository.js';
import { issueInvoice } from './invoice-issue.js';
import { planLapses } from './lapse.usecases.js';
import { findInvoiceById, outstandingOre, type Invoice } from './invoices.repository.js';
import { reminderFeeLine, reminderMessage } from './reminder.emails.js';
import {
  insertReminder,
  listRemindableInvoices,
  listRemindersSince,
  setReminderFeeInvoice,
  type Debtor,
} from './reminders.repository.js';

export type ReminderDeps = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox'>;

/** At most this many reminders per invoice. */
export const MAX_REMINDERS = 2;
/** Norwegian rules for a reminder fee (purregebyr): only when the reminder is sent this many days or more after the due date … */
export const FEE_MIN_DAYS_PAST_DUE = 14;
/** … and for at most this many reminders of the same claim. */
export const MAX_REMINDER_FEES = 2;

/** The fee a reminder may carry: none by default, and never against the rules above. */
export function reminderFee(opts: {
  feeOre: number;
  daysPastDue: number;
  feesCharged: number;
}): number {
  if (opts.feeOre <= 0) return 0;
  if (opts.daysPastDue < FEE_MIN_DAYS_PAST_DUE) return 0;
  if (opts.feesCharged >= MAX_REMINDER_FEES) return 0;
  return opts.feeOre;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export type PlannedReminder = {
  invoice: Invoice;
  debtor: Debtor;
  sequence: number;
  outstandingOre: number;
  daysPastDue: number;
  feeOre: number;
};

export type ReminderPlan = {
  today: string;
  /** Reminders that go out by email today. */
  toSend: PlannedReminder[];
  /** Due, but the member has no email address: the treasurer reminds them by post. */
  noEmail: PlannedReminder[];
};

/**
 * What the reminder job would send now. The first reminder is due `reminderAfterDays`
 * after the invoice's due date, the second as many days after the first was sent (in the
 * association's dates). The page's preview and the job both use this one function.
 */
export async function planReminders(db: Db, now: Date): Promise<ReminderPlan> {
  const scope = await scopeOf(db, now);
  const settings = await getBillingSettings(db);
  const after = settings.reminderAfterDays;
  const today = scope.today;
  const open = await listRemindableInvoices(db, { dueOnOrBefore: addDays(today, -after) });
  const plan: ReminderPlan = { today, toSend: [], noEmail: [] };
  for (const { invoice, debtor, reminders } of open) {
    const sequence = reminders.length + 1;
    if (sequence > MAX_REMINDERS) continue;
    const last = reminders[reminders.length - 1];
    if (last && today < addDays(todayIn(scope.association.timeZone, new Date(last.sentAt)), after))
      continue;
    const daysPastDue = daysBetween(invoice.dueDate, today);
    const item: PlannedReminder = {
      invoice,
      debtor,
      sequence,
      outstandingOre: outstandingOre(invoice),
      daysPastDue,
      feeOre: reminderFee({
        feeOre: settings.reminderFeeOre,
        daysPastDue,
        feesCharged: reminders.filter((r) => r.feeOre > 0).length,
      }),
    };
    if (item.outstandingOre <= 0) continue;
    (debtor.email ? plan.toSend : plan.noEmail).push(item);
  }
  return plan;
}

export type ReminderSent = {
  reminderId: string;
  invoiceNumber: number;
  memberId: string;
  sequence: number;
  feeOre: number;
  feeInvoiceNumber: number | null;
};

/**
 * Sends one reminder in its own transaction: records it (the unique (invoice, sequence)
 * pair makes a second run, or a second instance, a no-op), issues the fee invoice when a
 * fee applies, queues the email and writes the audit entry.
 */
async function sendOne(
  tx: Db,
  opts: { item: PlannedReminder; now: Date; actor: Actor; baseUrl: string },
): Promise<ReminderSent | null> {
  const { item, now, actor } = opts;
  const scope = await scopeOf(tx, now);
  const invoice = await findInvoiceById(tx, item.invoice.id);
  // Paid or credited since the plan was made: nothing to remind.
  if (!invoice || invoice.settledAt || invoice.creditedOre > 0) return null;
  const member = await findMemberById(tx, invoice.memberId);
  if (!member) return null;
  const reminderId = newId(now.getTime());
  const inserted = await insertReminder(tx, {
    id: reminderId,
    invoiceId: invoice.id,
    sequence: item.sequence,
    feeOre: item.feeOre,
    sentAt: now.toISOString(),
    createdBy: actor.userId,
  });
  if (!inserted) return null;
  const settings = await getBillingSettings(tx);
  let fee: Invoice | null = null;
  if (item.feeOre > 0) {
    const issued = await issueInvoice(tx, {
      member,
      lines: [
        {
          description: reminderFeeLine(
            invoice.number,
            item.sequence,
            scope.association.defaultLocale,
          ),
          grossOre: item.feeOre,
          // A reminder fee is compensation, not a supply: outside VAT.
          vatRateBp: 0,
        },
      ],
      purpose: 'reminder_fee',
      year: invoice.year,
      issueDate: scope.today,
      actor,
      now,
    });
    fee = issued.invoice;
    await setReminderFeeInvoice(tx, reminderId, fee.id);
  }
  const recipient = await recipientOf(tx, scope, member);
  if (recipient) {
    await enqueueEmail(tx, {
      at: now,
      message: reminderMessage({
        ...recipient,
        sequence: item.sequence,
        invoiceNumber: invoice.number,
        dueDate: invoice.dueDate,
        outstandingOre: outstandingOre(invoice),
        kid: invoice.kid,
        bankAccount: invoice.bankAccount,
        payBy: addDays(scope.today, settings.dueDays),
        isDues: invoice.purpose === 'dues',
        fee: fee
          ? {
              ore: fee.totalOre,
              invoiceNumber: fee.number,
              kid: fee.kid,
              dueDate: fee.dueDate,
            }
          : null,
        link: `${opts.baseUrl}/membership/invoices`,
      }),
    });
  }
  await recordAudit(tx, {
    actor,
    action: 'billing.reminder_sent',
    entityType: 'invoice',
    entityId: invoice.id,
    after: {
      invoice: invoice.number,
      sequence: item.sequence,
      outstandingOre: outstandingOre(invoice),
      feeOre: item.feeOre,
      feeInvoice: fee?.number ?? null,
      emailed: !!recipient,
    },
    at: now,
  });
  return {
    reminderId,
    invoiceNumber: invoice.number,
    memberId: member.id,
    sequence: item.sequence,
    feeOre: item.feeOre,
    feeInvoiceNumber: fee?.number ?? null,
  };
}

/**
 * Sends every reminder due now (the daily job 'billing.reminders', and the treasurer's
 * "send now"). Each reminder commits on its own; one that fails is logged and left for
 * the next run, the others go out.
 */
export async function sendDueReminders(
  deps: ReminderDeps,
  opts: { actor: Actor },
): Promise<{ sent: ReminderSent[]; failed: { invoiceNumber: number; error: string }[] }> {
  const now = deps.clock.now();
  const plan = await planReminders(deps.db, now);
  const sent: ReminderSent[] = [];
  const failed: { invoiceNumber: number; error: string }[] = [];
  for (const item of plan.toSend) {
    try {
      const result = await deps.db
        .transaction()
        .execute((tx) =>
          sendOne(tx, { item, now, actor: opts.actor, baseUrl: deps.config.baseUrl }),
        );
      if (result) sent.push(result);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      failed.push({ invoiceNumber: item.invoice.number, error });
      deps.logger.error({ invoice: item.invoice.number, err: error }, 'reminder failed');
    }
  }
  if (sent.length > 0) deps.kickOutbox();
  return { sent, failed };
}

/** Everything the reminders page shows: what goes out today, who lapses, what went out lately. */
export async function remindersOverview(db: Db, now: Date) {
  const [plan, lapses, settings, recent] = await Promise.all([
    planReminders(db, now),
    planLapses(db, now),
    getBillingSettings(db),
    listRemindersSince(db, new Date(now.getTime() - 30 * DAY_MS).toISOString()),
  ]);
  return { plan, lapses, settings, recent };
}
