export interface BillingSettingsTable {
  id: string;
  bank_account: string | null;
  due_days: number;
  kid_member_digits: number;
  kid_invoice_digits: number;
  grace_days: number;
  reminder_after_days: number;
  reminder_fee_ore: number;
  pro_rata: number;
  invoice_note: string | null;
  updated_at: string;
}

export interface FeeComponentsTable {
  id: string;
  type_id: string;
  year: number;
  position: number;
  name_nb: string;
  name_en: string;
  amount_ore: number;
  vat_rate_bp: number;
  or_more: number;
}

export interface DuesRunsTable {
  id: string;
  year: number;
  status: 'running' | 'done' | 'failed';
  started_at: string;
  finished_at: string | null;
  started_by: string | null;
  due_count: number;
  created_count: number;
  skipped_count: number;
  total_ore: number;
  last_error: string | null;
  /** Written with each batch; a running run without a recent heartbeat has died. */
  heartbeat_at: string | null;
}

export type InvoiceKind = 'invoice' | 'credit_note';
export type InvoicePurpose = 'dues' | 'reminder_fee' | 'other';

export interface InvoicesTable {
  id: string;
  number: number;
  kind: InvoiceKind;
  credited_invoice_id: string | null;
  member_id: string;
  purpose: InvoicePurpose;
  year: number | null;
  dues_key: string | null;
  dues_run_id: string | null;
  issue_date: string;
  due_date: string;
  kid: string | null;
  bank_account: string | null;
  seller: string;
  buyer: string;
  vat_registered: number;
  or_more: number;
  net_ore: number;
  vat_ore: number;
  total_ore: number;
  paid_ore: number;
  settled_at: string | null;
  credited_ore: number;
  created_at: string;
  created_by: string | null;
}

export interface InvoiceLinesTable {
  id: string;
  invoice_id: string;
  position: number;
  description: string;
  gross_ore: number;
  vat_rate_bp: number;
  vat_ore: number;
  net_ore: number;
}

export interface BankImportsTable {
  id: string;
  file_sha256: string;
  format: string;
  file_id: string | null;
  filename: string | null;
  transaction_count: number;
  total_ore: number;
  matched_count: number;
  unmatched_count: number;
  duplicate_count: number;
  imported_at: string;
  imported_by: string | null;
}

export type PaymentSource = 'manual' | 'ocr' | 'camt.053' | 'camt.054';
export type PaymentStatus = 'matched' | 'unmatched' | 'ignored';

export interface PaymentsTable {
  id: string;
  source: PaymentSource;
  source_ref: string;
  bank_import_id: string | null;
  kind: 'credit' | 'reversal';
  amount_ore: number;
  kid: string | null;
  booking_date: string;
  payer_name: string | null;
  payer_account: string | null;
  message: string | null;
  bank_reference: string | null;
  status: PaymentStatus;
  member_id: string | null;
  reverses_payment_id: string | null;
  note: string | null;
  created_at: string;
  created_by: string | null;
  /** Added by 2026-11-27-0005-payments: the invoice it went to, and how it was matched. */
  invoice_id: string | null;
  match_rule: MatchRule | null;
}

/** How a payment found its invoice or member (helper H's matching, see matching.ts). */
export type MatchRule =
  'kid' | 'kid_member' | 'amount' | 'manual' | 'reversal' | 'invoice_credited';

export type AllocationKind = 'payment' | 'overpayment' | 'credit_used' | 'reversal';

export interface PaymentAllocationsTable {
  id: string;
  payment_id: string | null;
  invoice_id: string | null;
  member_id: string;
  amount_ore: number;
  kind: AllocationKind;
  created_at: string;
  created_by: string | null;
}

export interface RemindersTable {
  id: string;
  invoice_id: string;
  sequence: number;
  fee_ore: number;
  fee_invoice_id: string | null;
  sent_at: string;
  created_by: string | null;
}
