import { addDays, associationYearBounds, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { DECISION_KINDS, type DecisionKind, type ReportSource } from './moderation.tables.js';

// Anonymised figures for the board's annual report: counts and a median, never names.

export type ModerationStatistics = {
  year: number;
  startsOn: string;
  endsOn: string;
  reports: Record<ReportSource, number>;
  reportsTotal: number;
  reportsDismissed: number;
  casesOpened: number;
  decisions: Record<DecisionKind, number>;
  urgentSuspensions: number;
  /** Median days from a case's first report to its decision; null when none was decided. */
  medianDaysToDecision: number | null;
  decisionsMeasured: number;
};

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Figures for one association year (named by the calendar year it starts in). Instants
 * are stored in UTC; a row belongs to the year of its date in the association's zone.
 */
export async function moderationStatistics(
  db: Db,
  opts: { year: number; startMonth: number; timeZone: string },
): Promise<ModerationStatistics> {
  const { startsOn, endsOn } = associationYearBounds(opts.year, opts.startMonth);
  // A day of slack on each side for the time zone, then the exact test by local date.
  const from = `${addDays(startsOn, -1)}T00:00:00.000Z`;
  const to = `${addDays(endsOn, 2)}T00:00:00.000Z`;
  const inYear = (iso: string) => {
    const d = todayIn(opts.timeZone, new Date(iso));
    return d >= startsOn && d <= endsOn;
  };

  const reports = (
    await db
      .selectFrom('moderation_reports')
      .select(['source', 'status', 'created_at'])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .execute()
  ).filter((r) => inYear(r.created_at));
  const bySource: Record<ReportSource, number> = { member: 0, mastodon: 0, webhook: 0 };
  for (const r of reports) bySource[r.source] += 1;

  const cases = (
    await db
      .selectFrom('moderation_cases')
      .select('created_at')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .execute()
  ).filter((r) => inYear(r.created_at));

  const decisions = (
    await db
      .selectFrom('moderation_decisions as d')
      .select(['d.kind', 'd.urgent', 'd.decided_at', 'd.case_id'])
      .select((eb) =>
        eb
          .selectFrom('moderation_reports as r')
          .whereRef('r.case_id', '=', 'd.case_id')
          .select((e) => e.fn.min('r.created_at').as('first'))
          .as('first_report_at'),
      )
      .where('d.decided_at', '>=', from)
      .where('d.decided_at', '<', to)
      .execute()
  ).filter((d) => inYear(d.decided_at));
  const byKind = Object.fromEntries(DECISION_KINDS.map((k) => [k, 0])) as Record<
    DecisionKind,
    number
  >;
  let urgent = 0;
  const days: number[] = [];
  // One time per case: from its first report to its first decision in the year.
  const seen = new Set<string>();
  for (const d of [...decisions].sort((a, b) => a.decided_at.localeCompare(b.decided_at))) {
    byKind[d.kind] += 1;
    if (d.urgent) urgent += 1;
    const first = d.first_report_at;
    if (first && !seen.has(d.case_id)) {
      seen.add(d.case_id);
      const ms = new Date(d.decided_at).getTime() - new Date(first).getTime();
      days.push(Math.max(0, ms) / 86_400_000);
    }
  }
  const m = median(days);
  return {
    year: opts.year,
    startsOn,
    endsOn,
    reports: bySource,
    reportsTotal: reports.length,
    reportsDismissed: reports.filter((r) => r.status === 'dismissed').length,
    casesOpened: cases.length,
    decisions: byKind,
    urgentSuspensions: urgent,
    medianDaysToDecision: m === null ? null : Math.round(m * 10) / 10,
    decisionsMeasured: days.length,
  };
}
