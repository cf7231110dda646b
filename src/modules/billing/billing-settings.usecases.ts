import { sql } from 'kysely';
import { diff, recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import type { Translations } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { InvoiceErrors } from './billing.errors.js';
import {
  getBillingSettings,
  saveBillingSettings,
  type BillingSettings,
} from './billing-settings.repository.js';
import type { BillingSettingsInput } from './billing-settings.schemas.js';
import { INVOICE_SERIES } from './invoice-issue.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

function both(
  key: 'invoices.settings.member_digits_short' | 'invoices.settings.invoice_digits_short',
  params: Record<string, number>,
): Translations {
  return { nb: translator('nb')(key, params), en: translator('en')(key, params) };
}

/** The widest member number and the invoice number reached: a KID must still fit them. */
async function digitsInUse(db: Db): Promise<{ member: number; invoice: number }> {
  const member = await db
    .selectFrom('members')
    .select(sql<number | null>`max(member_number)`.as('max'))
    .executeTakeFirst();
  const counter = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', INVOICE_SERIES)
    .executeTakeFirst();
  return {
    member: String(member?.max ?? 0).length,
    invoice: String(counter?.value ?? 0).length,
  };
}

export function toBillingSettings(input: BillingSettingsInput): BillingSettings {
  return {
    bankAccount: input.bank_account,
    dueDays: input.due_days,
    kidMemberDigits: input.kid_member_digits,
    kidInvoiceDigits: input.kid_invoice_digits,
    graceDays: input.grace_days,
    reminderAfterDays: input.reminder_after_days,
    reminderFeeOre: input.reminder_fee,
    proRata: input.pro_rata,
    invoiceNote: input.invoice_note,
  };
}

/**
 * Saves the billing settings, audited. The KID widths must still hold every member
 * number and the invoice numbers already reached, or payments could not be matched.
 */
export async function updateBillingSettings(
  deps: Deps,
  input: { actor: Actor; settings: BillingSettings },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const before = await getBillingSettings(tx);
    const inUse = await digitsInUse(tx);
    const fields: Record<string, Translations> = {};
    if (input.settings.kidMemberDigits < inUse.member)
      fields['kid_member_digits'] = both('invoices.settings.member_digits_short', {
        digits: inUse.member,
      });
    if (input.settings.kidInvoiceDigits < inUse.invoice)
      fields['kid_invoice_digits'] = both('invoices.settings.invoice_digits_short', {
        digits: inUse.invoice,
      });
    if (Object.keys(fields).length > 0) throw InvoiceErrors.settingsInvalid(undefined, fields);
    await saveBillingSettings(tx, input.settings, now);
    const change = diff(before, input.settings);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'billing.settings_updated',
      entityType: 'billing_settings',
      entityId: 'main',
      before: change.before,
      after: change.after,
      at: now,
    });
  });
}
