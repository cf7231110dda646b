export const VOTE_KINDS = ['open', 'named', 'secret'] as const;
export type VoteKind = (typeof VOTE_KINDS)[number];
export const MAJORITY_RULES = ['simple', 'two_thirds', 'statutes'] as const;
export type MajorityRule = (typeof MAJORITY_RULES)[number];
export type VoteStatus = 'draft' | 'open' | 'closed';
export type VoteOutcome = 'passed' | 'failed' | 'tie';

export interface VoterRegistersTable {
  meeting_id: string;
  qualifying_on: string | null;
  paid_cutoff_on: string;
  eligible_count: number;
  frozen_at: string;
  frozen_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
}

export interface VoterRegisterEntriesTable {
  meeting_id: string;
  member_id: string;
  member_number: number;
  name: string;
}

export interface VotesTable {
  id: string;
  meeting_id: string;
  agenda_item_id: string | null;
  proposal_id: string | null;
  election_ref: string | null;
  subject: string;
  kind: VoteKind;
  options: string;
  rule: MajorityRule;
  majority_numerator: number;
  majority_denominator: number;
  majority_base: 'present' | 'cast';
  status: VoteStatus;
  vote_date: string;
  opened_at: string | null;
  closed_at: string | null;
  present_count: number | null;
  result: string | null;
  outcome: VoteOutcome | null;
  created_by: string | null;
  created_at: string;
}

export interface VoteSecretRequestsTable {
  vote_id: string;
  member_id: string;
}

/** Who has voted. Never joined with `ballots`: there is nothing to join on. */
export interface VoteParticipationTable {
  vote_id: string;
  member_id: string;
}

/** What was voted in a secret ballot. No voter, no time. */
export interface BallotsTable {
  vote_id: string;
  id: string;
  choice: string;
  receipt_hash: string;
}

export interface NamedVotesTable {
  vote_id: string;
  member_id: string;
  choice: string;
}
