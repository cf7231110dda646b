export type CaseStatus = 'open' | 'hearing' | 'decided' | 'closed';
export type ReportSource = 'member' | 'mastodon' | 'webhook';
export type ReportStatus = 'new' | 'in_case' | 'dismissed';
export const DECISION_KINDS = ['no_action', 'warning', 'suspension', 'exclusion'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export type DecisionState = 'active' | 'lifted' | 'superseded';
export type AppealStatus = 'pending_meeting' | 'on_agenda' | 'upheld' | 'rejected' | 'withdrawn';

export interface ModerationCasesTable {
  id: string;
  number: number;
  member_id: string;
  status: CaseStatus;
  summary: string;
  assigned_to: string | null;
  opened_by: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface ModerationReportsTable {
  id: string;
  number: number;
  source: ReportSource;
  service_id: string | null;
  external_id: string | null;
  reporter_member_id: string | null;
  reporter_user_id: string | null;
  reported_member_id: string | null;
  reported_handle: string | null;
  content_url: string | null;
  description: string;
  aup_clause: string | null;
  status: ReportStatus;
  case_id: string | null;
  triaged_by: string | null;
  triaged_at: string | null;
  dismiss_reason: string | null;
  created_at: string;
}

export interface ModerationCaseEventsTable {
  id: string;
  case_id: string;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  note: string | null;
}

export interface ModerationHearingsTable {
  id: string;
  case_id: string;
  accusation: string;
  aup_clause: string | null;
  deadline_on: string;
  sent_at: string;
  sent_by: string | null;
  answer: string | null;
  answered_at: string | null;
}

export interface ModerationDecisionsTable {
  id: string;
  case_id: string;
  member_id: string;
  kind: DecisionKind;
  urgent: number;
  reasons: string;
  clause: string;
  starts_on: string | null;
  ends_on: string | null;
  confirm_by: string | null;
  confirmed_at: string | null;
  confirmed_by: string | null;
  state: DecisionState;
  lifted_at: string | null;
  lift_reason: string | null;
  appeal_deadline_on: string | null;
  decided_by: string | null;
  decided_at: string;
}

export interface ModerationAppealsTable {
  id: string;
  decision_id: string;
  member_id: string;
  text: string;
  submitted_at: string;
  proposal_id: string | null;
  meeting_id: string | null;
  status: AppealStatus;
  decided_at: string | null;
}
