import { recordAudit, systemActor, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { associationYear, associationYearBounds, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { findAssociation } from '../association/association.repository.js';
import { fiscalYearStartMonth } from './reports.repository.js';
import {
  pseudonymiseClaims,
  pseudonymiseJournalLines,
  pseudonymiseSeries,
  type RetentionScope,
} from './retention.repository.js';

// Accounting records — receipts, claims, postings — are kept five years after the end of
// their fiscal year (bokføringsloven § 13 første ledd). After that the daily job
// pseudonymises them; an erasure request keeps the younger ones and lets the job
// pseudonymise them when their time comes. See docs/finance.md "Retention".

export const RETENTION_YEARS = 5;

/**
 * The newest fiscal year whose records may be pseudonymised on `today`: a year is kept
 * until the end of the fifth fiscal year after it, so with calendar years 2020 is kept
 * through 2025-12-31 and pseudonymised from 2026-01-01.
 */
export function retentionThroughYear(today: string, startMonth: number): number {
  return associationYear(today, startMonth).year - RETENTION_YEARS - 1;
}

export type RetentionCounts = {
  throughYear: number;
  claims: number;
  receipts: number;
  journalLines: number;
  series: number;
};

async function scopeFor(db: Db, now: Date): Promise<{ throughYear: number; endedBefore: string }> {
  const association = await findAssociation(db);
  const startMonth = await fiscalYearStartMonth(db);
  const today = todayIn(association?.timeZone ?? 'Europe/Oslo', now);
  const throughYear = retentionThroughYear(today, startMonth);
  return { throughYear, endedBefore: associationYearBounds(throughYear, startMonth).endsOn };
}

async function pseudonymise(
  tx: Db,
  scope: RetentionScope & { endedBefore: string; names?: readonly string[] },
  now: Date,
): Promise<RetentionCounts> {
  const { claims, receipts } = await pseudonymiseClaims(tx, scope, now);
  const journalLines = await pseudonymiseJournalLines(tx, scope);
  const series = await pseudonymiseSeries(tx, scope);
  return { throughYear: scope.throughYear, claims, receipts, journalLines, series };
}

/** The daily job: everything past its retention, for every member, in one transaction. */
export async function runRetention(
  deps: Pick<AppContext, 'db' | 'clock'>,
  opts: { actor?: Actor } = {},
): Promise<RetentionCounts> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const counts = await pseudonymise(tx, await scopeFor(tx, now), now);
    if (counts.claims + counts.journalLines + counts.series > 0)
      await recordAudit(tx, {
        actor: opts.actor ?? systemActor,
        action: 'finance.retention_pseudonymised',
        entityType: 'finance',
        entityId: null,
        after: counts,
        at: now,
      });
    return counts;
  });
}

/**
 * Called by an erasure request inside its transaction: the member's records already past
 * retention are pseudonymised at once (their names passed in, as the member row is being
 * erased); younger records are kept unchanged, for the daily job to handle later.
 */
export async function pseudonymiseOnErasure(
  tx: Db,
  opts: { memberId: string; names: readonly string[]; now: Date },
): Promise<RetentionCounts> {
  const scope = await scopeFor(tx, opts.now);
  return pseudonymise(tx, { ...scope, memberId: opts.memberId, names: opts.names }, opts.now);
}
