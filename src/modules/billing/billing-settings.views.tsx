import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Checkbox, Csrf, Field, FormErrors, TextArea, type FormState } from '../../app/forms.js';
import type { BillingSettings } from './billing-settings.repository.js';
import { formatBankAccount, plainKroner } from './invoice-format.js';
import { BillingNav } from './fees.views.js';

/** The saved settings as the form shows them. */
export function settingsValues(s: BillingSettings, locale: 'nb' | 'en'): Record<string, string> {
  return {
    bank_account: s.bankAccount ? formatBankAccount(s.bankAccount) : '',
    due_days: String(s.dueDays),
    kid_member_digits: String(s.kidMemberDigits),
    kid_invoice_digits: String(s.kidInvoiceDigits),
    grace_days: String(s.graceDays),
    reminder_after_days: String(s.reminderAfterDays),
    reminder_fee: plainKroner(s.reminderFeeOre, locale),
    invoice_note: s.invoiceNote ?? '',
    ...(s.proRata ? { pro_rata: 'on' } : {}),
  };
}

export function BillingSettingsPage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  const memberDigits = Number(state.values['kid_member_digits'] ?? 0);
  const invoiceDigits = Number(state.values['kid_invoice_digits'] ?? 0);
  return (
    <section>
      <BillingNav c={c} current="/billing/settings" />
      <h1>{t('invoices.settings.title')}</h1>
      <p>{t('invoices.settings.intro')}</p>
      <FormErrors state={state} />
      <form method="post" action="/billing/settings" class="stack">
        <Csrf c={c} />
        <fieldset>
          <legend>{t('invoices.settings.payment')}</legend>
          <Field
            state={state}
            name="bank_account"
            label={t('invoices.settings.bank_account')}
            hint={t('invoices.settings.bank_account_hint')}
            inputmode="numeric"
          />
          <Field
            state={state}
            name="due_days"
            label={t('invoices.settings.due_days')}
            hint={t('invoices.settings.due_days_hint')}
            inputmode="numeric"
            required
          />
          <Checkbox state={state} name="pro_rata" label={t('invoices.settings.pro_rata')} />
        </fieldset>
        <fieldset>
          <legend>{t('invoices.settings.kid')}</legend>
          <p class="hint">
            {t('invoices.settings.kid_hint', {
              length: memberDigits + invoiceDigits + 1 || '–',
            })}
          </p>
          <Field
            state={state}
            name="kid_member_digits"
            label={t('invoices.settings.kid_member_digits')}
            inputmode="numeric"
            required
          />
          <Field
            state={state}
            name="kid_invoice_digits"
            label={t('invoices.settings.kid_invoice_digits')}
            inputmode="numeric"
            required
          />
        </fieldset>
        <fieldset>
          <legend>{t('invoices.settings.reminders')}</legend>
          <Field
            state={state}
            name="reminder_after_days"
            label={t('invoices.settings.reminder_after_days')}
            hint={t('invoices.settings.reminder_after_days_hint')}
            inputmode="numeric"
            required
          />
          <Field
            state={state}
            name="reminder_fee"
            label={t('invoices.settings.reminder_fee')}
            hint={t('invoices.settings.reminder_fee_hint')}
            inputmode="decimal"
          />
          <Field
            state={state}
            name="grace_days"
            label={t('invoices.settings.grace_days')}
            hint={t('invoices.settings.grace_days_hint')}
            inputmode="numeric"
            required
          />
        </fieldset>
        <TextArea
          state={state}
          name="invoice_note"
          label={t('invoices.settings.invoice_note')}
          hint={t('invoices.settings.invoice_note_hint')}
          rows={3}
        />
        <button type="submit">{t('form.save')}</button>
      </form>
    </section>
  );
}
