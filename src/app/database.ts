import type {
  ApiTokensTable,
  LoginAttemptsTable,
  SessionsTable,
  UsersTable,
  UserTokensTable,
} from '../modules/accounts/accounts.tables.js';
import type {
  AssociationTable,
  DocumentsTable,
} from '../modules/association/association.tables.js';
import type {
  DocumentAcceptancesTable,
  MembersTable,
  MembershipFeesTable,
  MembershipPeriodsTable,
  MembershipTypesTable,
  MemberStatusChangesTable,
  OfficeTermsTable,
} from '../modules/members/members.tables.js';
import type {
  BankImportsTable,
  BillingSettingsTable,
  DuesRunsTable,
  FeeComponentsTable,
  InvoiceLinesTable,
  InvoicesTable,
  PaymentAllocationsTable,
  PaymentsTable,
  RemindersTable,
} from '../modules/billing/billing.tables.js';
import type {
  ServiceAccessTable,
  ServiceEnforcementsTable,
  ServicesTable,
} from '../modules/services/services.tables.js';
import type {
  DiscourseNoncesTable,
  OidcClientsTable,
  OidcKeysTable,
  OidcPayloadsTable,
} from '../modules/sso/sso.tables.js';
import type {
  BudgetLinesTable,
  BudgetsTable,
  ExpenseClaimEventsTable,
  ExpenseClaimsTable,
  ExpenseReceiptsTable,
  ExpenseSeriesTable,
  FinanceSettingsTable,
  JournalEntriesTable,
  JournalLinesTable,
  LedgerAccountsTable,
} from '../modules/finance/finance.tables.js';
import type {
  AgendaItemsTable,
  ElectionCandidatesTable,
  ElectionsTable,
  GovernanceSettingsTable,
  MeetingAttendanceTable,
  MeetingMinutesTable,
  MeetingProxiesTable,
  MeetingsTable,
  MinutesConfirmersTable,
  ProposalsTable,
} from '../modules/governance/governance.tables.js';
import type {
  BallotsTable,
  NamedVotesTable,
  VoterRegisterEntriesTable,
  VoterRegistersTable,
  VoteParticipationTable,
  VoteSecretRequestsTable,
  VotesTable,
} from '../modules/governance/votes.tables.js';
import type {
  ModerationAppealsTable,
  ModerationCaseEventsTable,
  ModerationCasesTable,
  ModerationDecisionsTable,
  ModerationHearingsTable,
  ModerationReportsTable,
} from '../modules/moderation/moderation.tables.js';
import type {
  AuditLogTable,
  CountersTable,
  JobsTable,
  OutboxTable,
  SettingsTable,
} from './platform.tables.js';

/** The whole schema as Kysely sees it; each domain declares its own tables. */
export interface DB {
  association: AssociationTable;
  documents: DocumentsTable;
  settings: SettingsTable;
  counters: CountersTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  jobs: JobsTable;
  users: UsersTable;
  sessions: SessionsTable;
  user_tokens: UserTokensTable;
  login_attempts: LoginAttemptsTable;
  api_tokens: ApiTokensTable;
  membership_types: MembershipTypesTable;
  membership_fees: MembershipFeesTable;
  members: MembersTable;
  member_status_changes: MemberStatusChangesTable;
  membership_periods: MembershipPeriodsTable;
  document_acceptances: DocumentAcceptancesTable;
  office_terms: OfficeTermsTable;
  billing_settings: BillingSettingsTable;
  fee_components: FeeComponentsTable;
  dues_runs: DuesRunsTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  bank_imports: BankImportsTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  reminders: RemindersTable;
  services: ServicesTable;
  service_access: ServiceAccessTable;
  service_enforcements: ServiceEnforcementsTable;
  oidc_clients: OidcClientsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_keys: OidcKeysTable;
  discourse_nonces: DiscourseNoncesTable;
  finance_settings: FinanceSettingsTable;
  ledger_accounts: LedgerAccountsTable;
  expense_series: ExpenseSeriesTable;
  expense_claims: ExpenseClaimsTable;
  expense_receipts: ExpenseReceiptsTable;
  expense_claim_events: ExpenseClaimEventsTable;
  budgets: BudgetsTable;
  budget_lines: BudgetLinesTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  governance_settings: GovernanceSettingsTable;
  meetings: MeetingsTable;
  agenda_items: AgendaItemsTable;
  proposals: ProposalsTable;
  meeting_attendance: MeetingAttendanceTable;
  voter_registers: VoterRegistersTable;
  voter_register_entries: VoterRegisterEntriesTable;
  votes: VotesTable;
  vote_secret_requests: VoteSecretRequestsTable;
  vote_participation: VoteParticipationTable;
  ballots: BallotsTable;
  named_votes: NamedVotesTable;
  elections: ElectionsTable;
  election_candidates: ElectionCandidatesTable;
  meeting_minutes: MeetingMinutesTable;
  minutes_confirmers: MinutesConfirmersTable;
  meeting_proxies: MeetingProxiesTable;
  moderation_cases: ModerationCasesTable;
  moderation_reports: ModerationReportsTable;
  moderation_case_events: ModerationCaseEventsTable;
  moderation_hearings: ModerationHearingsTable;
  moderation_decisions: ModerationDecisionsTable;
  moderation_appeals: ModerationAppealsTable;
}
