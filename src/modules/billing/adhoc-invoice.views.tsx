import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { Member } from '../members/members.repository.js';
import { vatLabel } from './fees.views.js';
import { ADHOC_FORM_ROWS } from './invoices.schemas.js';
import { VAT_RATES_BP } from './vat.js';

type C = Context<AppEnv>;

/** The one-off invoice form: fixed rows of description, amount and VAT rate. */
export function AdHocInvoicePage(props: { c: C; member: Member; state: FormState }) {
  const { c, member, state } = props;
  const t = c.get('t');
  const vatRegistered = !!c.get('association')?.vatRegistered;
  const rows = Array.from({ length: ADHOC_FORM_ROWS }, (_, i) => i);
  const input = (i: number, name: string, label: string, inputmode?: 'decimal') => (
    <Field
      state={state}
      name={`l${i}_${name}`}
      label={`${label} ${i + 1}`}
      {...(inputmode ? { inputmode } : {})}
    />
  );
  return (
    <section>
      <p>
        <a href={`/members/${member.id}`}>
          {member.memberNumber} {member.name}
        </a>
      </p>
      <h1>{t('invoices.adhoc.title', { name: member.name })}</h1>
      <p>{t('invoices.adhoc.intro')}</p>
      {member.email ? null : <p class="warn">{t('invoices.adhoc.no_email')}</p>}
      {vatRegistered ? null : <p class="notice">{t('invoices.adhoc.not_vat_registered')}</p>}
      <FormErrors state={state} />
      <form method="post" action={`/billing/invoices/new?member=${member.id}`} class="stack">
        <Csrf c={c} />
        <fieldset>
          <legend>{t('invoices.adhoc.lines')}</legend>
          {rows.map((i) => {
            const vatKey = `l${i}_vat`;
            const selected = state.values[vatKey] ?? '0';
            return (
              <div class="card stack">
                {input(i, 'description', t('invoices.adhoc.description'))}
                {input(i, 'amount', t('invoices.adhoc.amount'), 'decimal')}
                {vatRegistered ? (
                  <div class={state.errors[vatKey] ? 'field invalid' : 'field'}>
                    <label for={`f-${vatKey}`}>{`${t('invoices.adhoc.vat')} ${i + 1}`}</label>
                    <select id={`f-${vatKey}`} name={vatKey}>
                      {VAT_RATES_BP.map((rate) => (
                        <option value={String(rate)} selected={String(rate) === selected}>
                          {vatLabel(c, rate)}
                        </option>
                      ))}
                    </select>
                    {state.errors[vatKey] ? <p class="error">{state.errors[vatKey]}</p> : null}
                  </div>
                ) : null}
              </div>
            );
          })}
        </fieldset>
        <button type="submit">{t('invoices.adhoc.submit')}</button>
      </form>
    </section>
  );
}
