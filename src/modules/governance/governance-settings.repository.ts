import type { Db } from '../../app/db.js';

export type MajorityBase = 'present' | 'cast';

/** The rules of meetings. Every one is a setting; the defaults follow DESIGN.md. */
export type GovernanceSettings = {
  /** Notice of a general assembly (ordinary or extraordinary), in days. */
  noticeDays: number;
  /** The open call to a founding meeting, in days. */
  foundingNoticeDays: number;
  /** Members' proposals must be in at least this many days before the meeting. */
  proposalDeadlineDays: number;
  /** Proposals and documents are published to members this many days before. */
  publicationDays: number;
  /** A voter must have been a member this many days before the meeting. */
  qualifyingDays: number;
  /** This many members asking for it make a vote secret. */
  secretBallotThreshold: number;
  statuteMajorityNumerator: number;
  statuteMajorityDenominator: number;
  statuteMajorityBase: MajorityBase;
  simpleMajorityBase: MajorityBase;
  proxiesEnabled: boolean;
  proxyCap: number;
  /** The standard elections: seats and terms (months) of the board, alternates, auditors. */
  boardSeats: number;
  boardTermMonths: number;
  alternateSeats: number;
  alternateTermMonths: number;
  auditorSeats: number;
  auditorTermMonths: number;
};

export const DEFAULT_GOVERNANCE_SETTINGS: GovernanceSettings = {
  noticeDays: 14,
  foundingNoticeDays: 14,
  proposalDeadlineDays: 7,
  publicationDays: 4,
  qualifyingDays: 30,
  secretBallotThreshold: 2,
  statuteMajorityNumerator: 3,
  statuteMajorityDenominator: 4,
  statuteMajorityBase: 'present',
  simpleMajorityBase: 'cast',
  proxiesEnabled: false,
  proxyCap: 1,
  boardSeats: 5,
  boardTermMonths: 24,
  alternateSeats: 2,
  alternateTermMonths: 12,
  auditorSeats: 1,
  auditorTermMonths: 12,
};

export async function getGovernanceSettings(db: Db): Promise<GovernanceSettings> {
  const row = await db
    .selectFrom('governance_settings')
    .selectAll()
    .where('id', '=', 'main')
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_GOVERNANCE_SETTINGS };
  return {
    noticeDays: row.notice_days,
    foundingNoticeDays: row.founding_notice_days,
    proposalDeadlineDays: row.proposal_deadline_days,
    publicationDays: row.publication_days,
    qualifyingDays: row.qualifying_days,
    secretBallotThreshold: row.secret_ballot_threshold,
    statuteMajorityNumerator: row.statute_majority_numerator,
    statuteMajorityDenominator: row.statute_majority_denominator,
    statuteMajorityBase: row.statute_majority_base,
    simpleMajorityBase: row.simple_majority_base,
    proxiesEnabled: row.proxies_enabled === 1,
    proxyCap: row.proxy_cap,
    boardSeats: row.board_seats,
    boardTermMonths: row.board_term_months,
    alternateSeats: row.alternate_seats,
    alternateTermMonths: row.alternate_term_months,
    auditorSeats: row.auditor_seats,
    auditorTermMonths: row.auditor_term_months,
  };
}

export async function saveGovernanceSettings(
  db: Db,
  s: GovernanceSettings,
  now: Date,
): Promise<void> {
  const values = {
    notice_days: s.noticeDays,
    founding_notice_days: s.foundingNoticeDays,
    proposal_deadline_days: s.proposalDeadlineDays,
    publication_days: s.publicationDays,
    qualifying_days: s.qualifyingDays,
    secret_ballot_threshold: s.secretBallotThreshold,
    statute_majority_numerator: s.statuteMajorityNumerator,
    statute_majority_denominator: s.statuteMajorityDenominator,
    statute_majority_base: s.statuteMajorityBase,
    simple_majority_base: s.simpleMajorityBase,
    proxies_enabled: s.proxiesEnabled ? 1 : 0,
    proxy_cap: s.proxyCap,
    board_seats: s.boardSeats,
    board_term_months: s.boardTermMonths,
    alternate_seats: s.alternateSeats,
    alternate_term_months: s.alternateTermMonths,
    auditor_seats: s.auditorSeats,
    auditor_term_months: s.auditorTermMonths,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('governance_settings')
    .values({ id: 'main', ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}
