import { recordAudit, systemActor, type Actor } from '../../app/audit.js';
import { nextNumber } from '../../app/counters.js';
import { addDays } from '../../app/dates.js';
import { CommonErrors, type Translations } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { findAssociation } from '../association/association.repository.js';
import { findMemberById } from '../members/members.repository.js';
import { isUniqueViolation } from '../billing/payments.repository.js';
import { expenseCategories } from './expenses.categories.js';
import { ExpenseErrors } from './expenses.errors.js';
import {
  endSeries,
  findClaimById,
  findSeries,
  insertClaim,
  insertClaimEvent,
  insertSeries,
  listRunningSeries,
  seriesPeriodsClaimed,
  type Claim,
  type Series,
} from './expenses.repository.js';
import type { SeriesInterval } from './expenses.schemas.js';
import {
  fieldMessage,
  fiscalYearOf,
  notifyClaimant,
  today,
  type Claimant,
  type Deps,
} from './expenses.usecases.js';

// Recurring costs (the monthly hosting fee): the member describes the cost once, and a
// daily job creates one claim per period, on the period's date, once that date has come.
// The claim is "submitted" without a receipt; the member is asked to attach it, and the
// claim cannot be attested until they have. Each period's claim is made at most once: the
// job skips periods that have a claim, and the unique index on (series_id, spent_on)
// refuses a double from two instances running at once.

const MONTHS: Record<SeriesInterval, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/** At most this far back may a series start (the months already paid this year). */
export const SERIES_MAX_BACKDATE_DAYS = 366;

/** The date `months` after `start`, on the same day of the month or the month's last day. */
export function addMonthsClamped(start: string, months: number): string {
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7)) - 1 + months;
  const d = Number(start.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The period dates of a series that are due by `today` (and not after its end). */
export function duePeriods(
  series: Pick<Series, 'interval' | 'startsOn' | 'endsOn'>,
  todayDate: string,
): string[] {
  const out: string[] = [];
  const until = series.endsOn && series.endsOn < todayDate ? series.endsOn : todayDate;
  for (let k = 0; k < 1000; k++) {
    const date = addMonthsClamped(series.startsOn, k * MONTHS[series.interval]);
    if (date > until) break;
    out.push(date);
  }
  return out;
}

export type SeriesInput = {
  description: string;
  amountOre: number;
  category: string;
  payeeAccount: string;
  interval: SeriesInterval;
  startsOn: string;
  endsOn: string | null;
};

/** A member registers a recurring cost; the periods already due are created at once. */
export async function createSeries(
  deps: Deps,
  opts: { actor: Actor; claimant: Claimant; input: SeriesInput },
): Promise<{ series: Series; created: Claim[] }> {
  const { claimant, input } = opts;
  if (!claimant.memberId || claimant.memberStatus !== 'active')
    throw ExpenseErrors.notActiveMember();
  const memberId = claimant.memberId;
  const now = deps.clock.now();
  const association = await findAssociation(deps.db);
  if (!association) throw CommonErrors.setupRequired();
  const fields: Record<string, Translations> = {};
  const todayDate = today(association, now);
  if (input.startsOn < addDays(todayDate, -SERIES_MAX_BACKDATE_DAYS))
    fields['starts_on'] = fieldMessage('expenses.series.start_too_early');
  if (!(await expenseCategories(deps.db)).some((c) => c.number === input.category))
    fields['category'] = fieldMessage('form.invalid_choice');
  if (Object.keys(fields).length > 0) throw CommonErrors.validation(undefined, fields);
  const id = newId(now.getTime());
  await deps.db.transaction().execute(async (tx) => {
    await insertSeries(tx, {
      id,
      member_id: memberId,
      description: input.description,
      category: input.category,
      amount_ore: input.amountOre,
      payee_account: input.payeeAccount,
      interval: input.interval,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      active: 1,
      created_at: now.toISOString(),
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'expenses.series_created',
      entityType: 'expense_series',
      entityId: id,
      after: { ...input },
      at: now,
    });
  });
  const series = (await findSeries(deps.db, id))!;
  const { created } = await createDueClaims(deps, { series: [series], actor: systemActor });
  return { series, created };
}

/** The member ends a recurring cost: no more claims are created for it from today. */
export async function stopSeries(
  deps: Deps,
  opts: { actor: Actor; claimant: Claimant; seriesId: string },
): Promise<{ series: Series }> {
  const now = deps.clock.now();
  const association = await findAssociation(deps.db);
  if (!association) throw CommonErrors.setupRequired();
  const series = await findSeries(deps.db, opts.seriesId);
  if (!series || series.memberId !== opts.claimant.memberId) throw ExpenseErrors.seriesNotFound();
  const todayDate = today(association, now);
  await deps.db.transaction().execute(async (tx) => {
    // Periods up to yesterday stay due; today's (if not yet created) is not made.
    const endsOn =
      series.endsOn && series.endsOn < todayDate ? series.endsOn : addDays(todayDate, -1);
    if (!(await endSeries(tx, { id: series.id, endsOn }))) return;
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'expenses.series_stopped',
      entityType: 'expense_series',
      entityId: series.id,
      after: { endsOn },
      at: now,
    });
  });
  return { series: (await findSeries(deps.db, series.id))! };
}

/**
 * Creates the claims of every period that is due and has none yet: for the given series,
 * or (the daily job) for every active one. Safe to run twice, and from two instances.
 */
export async function createDueClaims(
  deps: Deps,
  opts: { series?: Series[]; actor?: Actor } = {},
): Promise<{ created: Claim[] }> {
  const now = deps.clock.now();
  const association = await findAssociation(deps.db);
  if (!association) return { created: [] };
  const todayDate = today(association, now);
  const actor = opts.actor ?? systemActor;
  const all = opts.series ?? (await listRunningSeries(deps.db, todayDate));
  const created: Claim[] = [];
  for (const series of all) {
    if (!series.active) continue;
    const claimed = await seriesPeriodsClaimed(deps.db, series.id);
    // The claim is the member's own, as if they had submitted it.
    const member = await findMemberById(deps.db, series.memberId);
    const submittedBy = member?.userId ?? 'system';
    for (const period of duePeriods(series, todayDate)) {
      if (claimed.has(period)) continue;
      try {
        const claim = await deps.db.transaction().execute(async (tx) => {
          const id = newId(now.getTime());
          const number = await nextNumber(tx, 'expense_claim');
          await insertClaim(tx, {
            id,
            number,
            member_id: series.memberId,
            submitted_by: submittedBy,
            series_id: series.id,
            spent_on: period,
            amount_ore: series.amountOre,
            vat_ore: 0,
            description: series.description,
            category: series.category,
            payee_account: series.payeeAccount,
            status: 'submitted',
            attested_by: null,
            attested_at: null,
            approved_by: null,
            approved_at: null,
            paid_on: null,
            payment_reference: null,
            paid_by: null,
            reason: null,
            fiscal_year: await fiscalYearOf(tx, period),
            pseudonymised_at: null,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          });
          const claim = (await findClaimById(tx, id))!;
          await insertClaimEvent(tx, {
            claimId: id,
            at: now,
            actorUserId: null,
            actorLabel: actor.label,
            action: 'created_from_series',
            note: null,
          });
          await recordAudit(tx, {
            actor,
            action: 'expenses.claim_from_series',
            entityType: 'expense_claim',
            entityId: id,
            after: { number, seriesId: series.id, spentOn: period, amountOre: series.amountOre },
            at: now,
          });
          await notifyClaimant(tx, {
            claim,
            kind: 'series_due',
            association,
            baseUrl: deps.config.baseUrl,
            now,
          });
          return claim;
        });
        created.push(claim);
      } catch (err) {
        // Another instance made this period's claim in the meantime: nothing to do.
        if (isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }
  if (created.length > 0) deps.kickOutbox();
  return { created };
}
