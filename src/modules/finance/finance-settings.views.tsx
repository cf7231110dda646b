import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { ACCOUNT_ROLES, type FinanceSettings } from './finance-settings.repository.js';
import { JournalNav } from './journal.views.js';
import { accountName, type LedgerAccount } from './ledger.repository.js';

/** The saved settings as the form shows them. */
export function financeSettingsValues(s: FinanceSettings): Record<string, string> {
  return {
    fiscal_year_start_month: String(s.fiscalYearStartMonth),
    posted_from: s.postedFrom ?? '',
    ...Object.fromEntries(ACCOUNT_ROLES.map((r) => [`account_${r}`, s.accounts[r]])),
  };
}

export function FinanceSettingsPage(props: {
  c: Context<AppEnv>;
  state: FormState;
  accounts: LedgerAccount[];
}) {
  const { c, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const names = new Map(props.accounts.map((a) => [a.number, accountName(a, locale)]));
  return (
    <section>
      <h1>{t('finance_settings.title')}</h1>
      <JournalNav c={c} current="/finance/settings" />
      <p>{t('finance_settings.intro')}</p>
      <form method="post" action="/finance/settings" class="stack" novalidate>
        <Csrf c={c} />
        <FormErrors state={state} />
        <fieldset>
          <legend>{t('finance_settings.year')}</legend>
          <Field
            state={state}
            name="fiscal_year_start_month"
            label={t('finance_settings.start_month')}
            hint={t('finance_settings.start_month_hint')}
            inputmode="numeric"
            required
          />
          <Field
            state={state}
            name="posted_from"
            type="date"
            label={t('finance_settings.posted_from')}
            hint={t('finance_settings.posted_from_hint')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('finance_settings.accounts')}</legend>
          {ACCOUNT_ROLES.map((role) => {
            const value = state.values[`account_${role}`] ?? '';
            return (
              <Field
                state={state}
                name={`account_${role}`}
                label={t(`finance_settings.role.${role}` as MessageKey)}
                hint={names.get(value) ?? ''}
                inputmode="numeric"
                required
              />
            );
          })}
        </fieldset>
        <button type="submit">{t('form.save')}</button>
      </form>
    </section>
  );
}
