export const MEETING_KINDS = ['founding', 'ordinary', 'extraordinary', 'board'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_FORMATS = ['physical', 'online', 'hybrid'] as const;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];

export type MeetingStatus = 'scheduled' | 'in_progress' | 'closed' | 'cancelled';

export const AGENDA_KINDS = [
  'chair_secretary',
  'approve_notice_register',
  'board_report',
  'accounts',
  'budget_fee',
  'proposals',
  'statute_changes',
  'elections',
  'any_other_business',
  'founding_decision',
  'statutes_adoption',
  'custom',
] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** What a member (or the board, for a late one) submits. */
export const SUBMITTED_PROPOSAL_KINDS = ['general', 'statutes', 'aup'] as const;
/** And an appeal of a moderation decision, put on the agenda by the moderation module. */
export const PROPOSAL_KINDS = [...SUBMITTED_PROPOSAL_KINDS, 'appeal'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export type ProposalStatus = 'submitted' | 'withdrawn';
export const RECOMMENDATIONS = ['adopt', 'reject', 'none'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface GovernanceSettingsTable {
  id: string;
  notice_days: number;
  founding_notice_days: number;
  proposal_deadline_days: number;
  publication_days: number;
  qualifying_days: number;
  secret_ballot_threshold: number;
  statute_majority_numerator: number;
  statute_majority_denominator: number;
  statute_majority_base: 'present' | 'cast';
  simple_majority_base: 'present' | 'cast';
  proxies_enabled: number;
  proxy_cap: number;
  board_seats: number;
  board_term_months: number;
  alternate_seats: number;
  alternate_term_months: number;
  auditor_seats: number;
  auditor_term_months: number;
  updated_at: string;
}

export interface MeetingsTable {
  id: string;
  kind: MeetingKind;
  title: string | null;
  starts_at: string;
  meeting_date: string;
  format: MeetingFormat;
  place: string | null;
  url: string | null;
  description: string | null;
  status: MeetingStatus;
  notice_days: number;
  proposal_deadline_on: string | null;
  publication_on: string | null;
  qualifying_on: string | null;
  notice_sent_at: string | null;
  publication_sent_at: string | null;
  chair_member_id: string | null;
  secretary_member_id: string | null;
  opened_at: string | null;
  closed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  request_key: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface AgendaItemsTable {
  id: string;
  meeting_id: string;
  position: number;
  kind: AgendaKind;
  title: string | null;
  description: string | null;
  mandatory: number;
  created_at: string;
  created_by: string | null;
}

export interface ProposalsTable {
  id: string;
  meeting_id: string;
  agenda_item_id: string | null;
  number: number;
  kind: ProposalKind;
  title: string;
  body: string;
  base_document_id: string | null;
  amendment_locale: string | null;
  amendment_text: string | null;
  member_id: string;
  submitted_by: string | null;
  status: ProposalStatus;
  submitted_at: string;
  late: number;
  late_decided_by: string | null;
  late_decided_label: string | null;
  late_reason: string | null;
  recommendation: Recommendation | null;
  recommendation_text: string | null;
  recommended_by: string | null;
  recommended_at: string | null;
  outcome: string | null;
  resulting_document_id: string | null;
  request_key: string;
  created_at: string;
  updated_at: string;
}

export interface MeetingAttendanceTable {
  id: string;
  meeting_id: string;
  member_id: string | null;
  name: string;
  email: string | null;
  method: 'self' | 'secretary' | 'registration';
  checked_in_at: string;
  checked_in_by: string | null;
  checked_out_at: string | null;
  /** Founding meeting: the attendee joins the association when it is founded. */
  wants_membership: number;
}

export const ELECTION_STATUSES = ['nominating', 'voting', 'decided', 'cancelled'] as const;
export type ElectionStatus = (typeof ELECTION_STATUSES)[number];

export interface ElectionsTable {
  id: string;
  meeting_id: string;
  agenda_item_id: string | null;
  office: string;
  title: string | null;
  seats: number;
  term_months: number;
  term_starts_on: string;
  status: ElectionStatus;
  vote_id: string | null;
  decided_at: string | null;
  request_key: string;
  created_by: string | null;
  created_at: string;
}

export interface ElectionCandidatesTable {
  id: string;
  election_id: string;
  member_id: string;
  name: string;
  statement: string | null;
  nominated_by: string | null;
  self_nominated: number;
  accepted_at: string | null;
  withdrawn_at: string | null;
  votes: number | null;
  elected: number;
  rank: number | null;
  office_term_id: string | null;
  created_at: string;
}

export type MinutesStatus = 'draft' | 'confirming' | 'locked';

export interface MeetingMinutesTable {
  meeting_id: string;
  body: string;
  status: MinutesStatus;
  drafted_at: string;
  drafted_by: string | null;
  updated_at: string;
  updated_by: string | null;
  revision: number;
  locked_at: string | null;
  published_at: string | null;
  body_sha256: string | null;
}

export interface MinutesConfirmersTable {
  meeting_id: string;
  member_id: string;
  name: string;
  chosen_at: string;
  confirmed_at: string | null;
  confirmed_revision: number | null;
}

export interface MeetingProxiesTable {
  id: string;
  meeting_id: string;
  grantor_member_id: string;
  holder_member_id: string;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}
