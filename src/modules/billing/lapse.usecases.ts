import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { addDays } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { AppError } from '../../app/errors.js';
import { enqueueEmail } from '../../app/outbox.js';
import { MemberErrors } from '../members/members.errors.js';
import { findMemberById } from '../members/members.repository.js';
import { moveStatus, recipientOf, scopeOf } from '../members/member-status.js';
import { getBillingSettings } from './billing-settings.repository.js';
import { findInvoiceById, outstandingOre, type Invoice } from './invoices.repository.js';
import { lapsedMessage, lapseReason } from './reminder.emails.js';
import { listLapseCandidates, type Debtor } from './reminders.repository.js';

export type LapseDeps = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox'>;

export type PlannedLapse = { debtor: Debtor; invoice: Invoice; lapsesOn: string };

/**
 * Who lapses today: active members whose dues invoice for the current association year
 * is unsettled after its due date plus the grace days. The due date and the grace days
 * are days the member has; the membership lapses on the day after the last of them.
 */
export async function planLapses(
  db: Db,
  now: Date,
): Promise<{ today: string; year: number; graceDays: number; items: PlannedLapse[] }> {
  const scope = await scopeOf(db, now);
  const { graceDays } = await getBillingSettings(db);
  const candidates = await listLapseCandidates(db, {
    year: scope.year.year,
    dueBefore: addDays(scope.today, -graceDays),
  });
  return {
    today: scope.today,
    year: scope.year.year,
    graceDays,
    items: candidates.map((c) => ({ ...c, lapsesOn: addDays(c.invoice.dueDate, graceDays + 1) })),
  };
}

export type Lapsed = { memberId: string; memberNumber: number; invoiceNumber: number };

async function lapseOne(
  tx: Db,
  opts: { item: PlannedLapse; now: Date; actor: Actor; baseUrl: string },
): Promise<Lapsed | null> {
  const { now, actor } = opts;
  const scope = await scopeOf(tx, now);
  const member = await findMemberById(tx, opts.item.debtor.id);
  if (!member || member.status !== 'active') return null;
  // The status row is updated first (moveStatus only wins if it is still active), then
  // the invoice is read again: paid in the meantime means no lapse.
  const reason = lapseReason(opts.item.invoice.number, scope.association.defaultLocale);
  await moveStatus(tx, scope, { member, to: 'lapsed', reason, actor, via: 'board' });
  const invoice = await findInvoiceById(tx, opts.item.invoice.id);
  if (!invoice || invoice.settledAt) throw new PaidMeanwhile();
  const recipient = await recipientOf(tx, scope, member);
  if (recipient) {
    await enqueueEmail(tx, {
      at: now,
      message: lapsedMessage({
        ...recipient,
        invoiceNumber: invoice.number,
        dueDate: invoice.dueDate,
        outstandingOre: outstandingOre(invoice),
        kid: invoice.kid,
        bankAccount: invoice.bankAccount,
        link: `${opts.baseUrl}/membership/invoices`,
      }),
    });
  }
  await recordAudit(tx, {
    actor,
    action: 'billing.member_lapsed',
    entityType: 'member',
    entityId: member.id,
    before: { status: 'active' },
    after: {
      status: 'lapsed',
      invoice: invoice.number,
      dueDate: invoice.dueDate,
      outstandingOre: outstandingOre(invoice),
      reason,
    },
    at: now,
  });
  return { memberId: member.id, memberNumber: member.memberNumber, invoiceNumber: invoice.number };
}

class PaidMeanwhile extends Error {}

/**
 * Lapses every member due to lapse now (the daily job 'billing.lapse', and the
 * treasurer's "run now"), one transaction per member. Running it again changes nothing:
 * a lapsed member is no longer a candidate.
 */
export async function runLapses(
  deps: LapseDeps,
  opts: { actor: Actor },
): Promise<{ lapsed: Lapsed[]; failed: { memberNumber: number; error: string }[] }> {
  const now = deps.clock.now();
  const plan = await planLapses(deps.db, now);
  const lapsed: Lapsed[] = [];
  const failed: { memberNumber: number; error: string }[] = [];
  for (const item of plan.items) {
    try {
      const result = await deps.db
        .transaction()
        .execute((tx) =>
          lapseOne(tx, { item, now, actor: opts.actor, baseUrl: deps.config.baseUrl }),
        );
      if (result) lapsed.push(result);
    } catch (err) {
      // Someone else changed the status, or the invoice was paid: not a failure.
      if (err instanceof PaidMeanwhile) continue;
      if (err instanceof AppError && err.code === MemberErrors.statusChanged.code) continue;
      const error = err instanceof Error ? err.message : String(err);
      failed.push({ memberNumber: item.debtor.memberNumber, error });
      deps.logger.error({ member: item.debtor.memberNumber, err: error }, 'lapse failed');
    }
  }
  if (lapsed.length > 0) deps.kickOutbox();
  return { lapsed, failed };
}
