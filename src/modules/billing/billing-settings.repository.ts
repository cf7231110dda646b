import type { Db } from '../../app/db.js';

export type BillingSettings = {
  bankAccount: string | null;
  dueDays: number;
  kidMemberDigits: number;
  kidInvoiceDigits: number;
  graceDays: number;
  reminderAfterDays: number;
  reminderFeeOre: number;
  proRata: boolean;
  invoiceNote: string | null;
};

/** The defaults until the treasurer saves the billing settings. */
export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  bankAccount: null,
  dueDays: 14,
  kidMemberDigits: 5,
  kidInvoiceDigits: 6,
  graceDays: 14,
  reminderAfterDays: 14,
  reminderFeeOre: 0,
  proRata: true,
  invoiceNote: null,
};

export async function getBillingSettings(db: Db): Promise<BillingSettings> {
  const row = await db
    .selectFrom('billing_settings')
    .selectAll()
    .where('id', '=', 'main')
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_BILLING_SETTINGS };
  return {
    bankAccount: row.bank_account,
    dueDays: row.due_days,
    kidMemberDigits: row.kid_member_digits,
    kidInvoiceDigits: row.kid_invoice_digits,
    graceDays: row.grace_days,
    reminderAfterDays: row.reminder_after_days,
    reminderFeeOre: row.reminder_fee_ore,
    proRata: row.pro_rata === 1,
    invoiceNote: row.invoice_note,
  };
}

export async function saveBillingSettings(db: Db, s: BillingSettings, now: Date): Promise<void> {
  const values = {
    bank_account: s.bankAccount,
    due_days: s.dueDays,
    kid_member_digits: s.kidMemberDigits,
    kid_invoice_digits: s.kidInvoiceDigits,
    grace_days: s.graceDays,
    reminder_after_days: s.reminderAfterDays,
    reminder_fee_ore: s.reminderFeeOre,
    pro_rata: s.proRata ? 1 : 0,
    invoice_note: s.invoiceNote,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('billing_settings')
    .values({ id: 'main', ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}
