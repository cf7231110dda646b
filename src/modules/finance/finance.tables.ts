export const CLAIM_STATUSES = [
  'submitted',
  'returned',
  'attested',
  'approved',
  'paid',
  'rejected',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface FinanceSettingsTable {
  id: string;
  fiscal_year_start_month: number;
  /** JSON: account role (bank, receivables, output_vat …) → account number. */
  accounts: string;
  posted_from: string | null;
  updated_at: string;
}

export interface LedgerAccountsTable {
  number: string;
  name_nb: string;
  name_en: string;
  active: number;
}

export interface ExpenseSeriesTable {
  id: string;
  member_id: string;
  description: string;
  category: string;
  amount_ore: number;
  payee_account: string;
  interval: 'monthly' | 'quarterly' | 'yearly';
  starts_on: string;
  ends_on: string | null;
  active: number;
  created_at: string;
}

export interface ExpenseClaimsTable {
  id: string;
  number: number;
  member_id: string;
  submitted_by: string;
  series_id: string | null;
  spent_on: string;
  amount_ore: number;
  vat_ore: number;
  description: string;
  category: string;
  payee_account: string;
  status: ClaimStatus;
  attested_by: string | null;
  attested_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  paid_on: string | null;
  payment_reference: string | null;
  paid_by: string | null;
  reason: string | null;
  fiscal_year: number;
  pseudonymised_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExpenseReceiptsTable {
  id: string;
  claim_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_at: string;
}

export interface ExpenseClaimEventsTable {
  id: string;
  claim_id: string;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  note: string | null;
}

export interface BudgetsTable {
  id: string;
  fiscal_year: number;
  status: 'draft' | 'adopted';
  note: string | null;
  adopted_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface BudgetLinesTable {
  id: string;
  budget_id: string;
  position: number;
  account: string;
  description: string;
  amount_ore: number;
}

export type JournalSourceKind =
  | 'invoice'
  | 'credit_note'
  | 'payment'
  | 'payment_reversal'
  /** Money moved between a member's credit and an invoice, without a payment (F2). */
  | 'credit_transfer'
  | 'expense'
  | 'expense_payment'
  | 'manual'
  | 'reversal';

export interface JournalEntriesTable {
  id: string;
  fiscal_year: number;
  number: number;
  posted_on: string;
  description: string;
  source_kind: JournalSourceKind;
  source_id: string | null;
  reverses_entry_id: string | null;
  created_at: string;
  created_by: string | null;
}

export interface JournalLinesTable {
  /** With position, the line's key. */
  entry_id: string;
  position: number;
  account: string;
  debit_ore: number;
  credit_ore: number;
  vat_code: string | null;
  member_id: string | null;
  description: string | null;
}
