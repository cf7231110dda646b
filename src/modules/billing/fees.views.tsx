import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, FormErrors, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { typeLabel, yearLabel } from '../members/members.components.js';
import { FEE_FORM_ROWS } from './fees.schemas.js';
import type { FeeSchedule, TypeSchedule } from './fees.usecases.js';
import { formatNok, formatVatRate, plainKroner } from './invoice-format.js';
import { VAT_RATES_BP } from './vat.js';

/** Links between the treasurer's pages. */
export function BillingNav(props: { c: Context<AppEnv>; current: string }) {
  const { c } = props;
  const t = c.get('t');
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  const links: { href: string; label: MessageKey; show: boolean }[] = [
    { href: '/billing', label: 'invoices.nav.overview', show: true },
    { href: '/billing/fees', label: 'invoices.nav.fees', show: true },
    { href: '/billing/dues-runs', label: 'invoices.nav.dues_runs', show: true },
    { href: '/billing/invoices', label: 'invoices.nav.invoices', show: true },
    { href: '/billing/settings', label: 'invoices.nav.settings', show: canManage },
  ];
  return (
    <nav aria-label={t('invoices.nav.label')} class="actions">
      {links
        .filter((l) => l.show)
        .map((l) => (
          <a href={l.href} aria-current={l.href === props.current ? 'page' : undefined}>
            {t(l.label)}
          </a>
        ))}
    </nav>
  );
}

export function vatLabel(c: Context<AppEnv>, rateBp: number): string {
  const t = c.get('t');
  return rateBp === 0
    ? t('invoices.vat.outside')
    : t('invoices.vat.rate', { rate: formatVatRate(rateBp, c.get('locale')) });
}

/** A failed fee form: which type it was for, and the form as sent. */
export type FeeFormError = { typeCode: string; state: FormState };

export function FeesPage(props: {
  c: Context<AppEnv>;
  schedule: FeeSchedule;
  years: number[];
  canEdit: boolean;
  error: FeeFormError | null;
  copyState: FormState | null;
}) {
  const { c, schedule } = props;
  const t = c.get('t');
  const empty = schedule.types.every((s) => s.components.length === 0);
  return (
    <section>
      <BillingNav c={c} current="/billing/fees" />
      <h1>{t('invoices.fees.title_year', { year: yearLabel(c, schedule.year) })}</h1>
      <p>{t('invoices.fees.intro')}</p>
      <form method="get" action="/billing/fees" class="filters">
        <div class="field">
          <label for="f-year">{t('invoices.fees.year')}</label>
          <select id="f-year" name="year">
            {props.years.map((y) => (
              <option value={String(y)} selected={y === schedule.year}>
                {yearLabel(c, y)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {t('invoices.show')}
        </button>
      </form>
      {schedule.vatRegistered ? (
        <p class="notice">{t('invoices.fees.vat_registered')}</p>
      ) : (
        <p class="warn">{t('invoices.fees.not_vat_registered')}</p>
      )}
      {props.copyState ? <FormErrors state={props.copyState} /> : null}
      {empty && props.canEdit ? <CopyForm c={c} year={schedule.year} /> : null}
      {schedule.types.map((s) => (
        <TypeCard
          c={c}
          schedule={s}
          year={schedule.year}
          vatRegistered={schedule.vatRegistered}
          canEdit={props.canEdit}
          error={props.error?.typeCode === s.type.code ? props.error.state : null}
        />
      ))}
    </section>
  );
}

function CopyForm(props: { c: Context<AppEnv>; year: number }) {
  const { c, year } = props;
  const t = c.get('t');
  return (
    <form method="post" action="/billing/fees/copy" class="card">
      <Csrf c={c} />
      <input type="hidden" name="from" value={String(year - 1)} />
      <input type="hidden" name="to" value={String(year)} />
      <p>
        {t('invoices.fees.copy_intro', {
          from: yearLabel(c, year - 1),
          to: yearLabel(c, year),
        })}
      </p>
      <button type="submit">{t('invoices.fees.copy', { from: yearLabel(c, year - 1) })}</button>
    </form>
  );
}

function TypeCard(props: {
  c: Context<AppEnv>;
  schedule: TypeSchedule;
  year: number;
  vatRegistered: boolean;
  canEdit: boolean;
  error: FormState | null;
}) {
  const { c, schedule, vatRegistered } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const code = schedule.type.code;
  return (
    <article class="card" id={`type-${code}`} aria-labelledby={`h-${code}`}>
      <h2 id={`h-${code}`}>{typeLabel(c, schedule.type)}</h2>
      {schedule.components.length === 0 ? (
        <p class="muted">
          {t('invoices.fees.none')}
          {schedule.membershipFeeOre !== null
            ? ` ${t('invoices.fees.legacy', { amount: formatNok(schedule.membershipFeeOre, locale) })}`
            : ''}
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('invoices.fees.component')}</th>
                <th scope="col">{t('invoices.fees.amount')}</th>
                <th scope="col">{t('invoices.fees.vat_treatment')}</th>
                {vatRegistered ? <th scope="col">{t('invoices.vat.amount')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {schedule.components.map((comp) => (
                <tr>
                  <td>
                    {locale === 'en' ? comp.nameEn : comp.nameNb}
                    {comp.orMore ? <span class="muted"> ({t('invoices.or_more')})</span> : null}
                  </td>
                  <td>{formatNok(comp.amountOre, locale)}</td>
                  <td>{vatLabel(c, comp.vatRateBp)}</td>
                  {vatRegistered ? <td>{formatNok(comp.vatOre, locale)}</td> : null}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('invoices.total')}</th>
                <td>
                  <strong>{formatNok(schedule.totalOre, locale)}</strong>
                </td>
                <td></td>
                {vatRegistered ? <td>{formatNok(schedule.vatOre, locale)}</td> : null}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {props.canEdit ? (
        <FeeForm c={c} schedule={schedule} year={props.year} error={props.error} />
      ) : null}
    </article>
  );
}

function rowValues(schedule: TypeSchedule, locale: 'nb' | 'en'): Record<string, string> {
  const values: Record<string, string> = {};
  schedule.components.forEach((comp, i) => {
    values[`c${i}_name_nb`] = comp.nameNb;
    values[`c${i}_name_en`] = comp.nameEn;
    values[`c${i}_amount`] = plainKroner(comp.amountOre, locale);
    values[`c${i}_vat`] = String(comp.vatRateBp);
    if (comp.orMore) values[`c${i}_or_more`] = 'on';
  });
  return values;
}

function FeeForm(props: {
  c: Context<AppEnv>;
  schedule: TypeSchedule;
  year: number;
  error: FormState | null;
}) {
  const { c, schedule, error } = props;
  const t = c.get('t');
  const code = schedule.type.code;
  const values = error?.values ?? rowValues(schedule, c.get('locale'));
  const errors = error?.errors ?? {};
  const rows = Array.from({ length: FEE_FORM_ROWS }, (_, i) => i);
  const input = (i: number, name: string, label: string, mode?: 'decimal') => {
    const key = `c${i}_${name}`;
    const id = `f-${code}-${key}`;
    const message = errors[key];
    return (
      <td class={message ? 'field invalid' : 'field'}>
        <label for={id} class="visually-hidden">
          {`${label} ${i + 1}`}
        </label>
        <input
          id={id}
          name={key}
          type="text"
          inputmode={mode}
          value={values[key] ?? ''}
          aria-invalid={message ? 'true' : undefined}
          aria-describedby={message ? `${id}-error` : undefined}
        />
        {message ? (
          <p class="error" id={`${id}-error`}>
            {message}
          </p>
        ) : null}
      </td>
    );
  };
  return (
    <details open={error ? true : undefined}>
      <summary>{t('invoices.fees.edit')}</summary>
      {error ? <FormErrors state={{ ...error, errors: {} }} /> : null}
      <form method="post" action={`/billing/fees/${props.year}/${code}`}>
        <Csrf c={c} />
        <p class="hint">{t('invoices.fees.form_hint')}</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('invoices.fees.name_nb')}</th>
                <th scope="col">{t('invoices.fees.name_en')}</th>
                <th scope="col">{t('invoices.fees.amount_kr')}</th>
                <th scope="col">{t('invoices.fees.vat_treatment')}</th>
                <th scope="col">{t('invoices.or_more')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => {
                const vatId = `f-${code}-c${i}_vat`;
                const orMoreId = `f-${code}-c${i}_or_more`;
                const selected = values[`c${i}_vat`] ?? '0';
                return (
                  <tr>
                    {input(i, 'name_nb', t('invoices.fees.name_nb'))}
                    {input(i, 'name_en', t('invoices.fees.name_en'))}
                    {input(i, 'amount', t('invoices.fees.amount_kr'), 'decimal')}
                    <td>
                      <label for={vatId} class="visually-hidden">
                        {`${t('invoices.fees.vat_treatment')} ${i + 1}`}
                      </label>
                      <select id={vatId} name={`c${i}_vat`}>
                        {VAT_RATES_BP.map((rate) => (
                          <option value={String(rate)} selected={String(rate) === selected}>
                            {vatLabel(c, rate)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        id={orMoreId}
                        type="checkbox"
                        name={`c${i}_or_more`}
                        checked={values[`c${i}_or_more`] === 'on'}
                      />
                      <label for={orMoreId} class="visually-hidden">
                        {`${t('invoices.or_more')} ${i + 1}`}
                      </label>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <button type="submit">
          {t('invoices.fees.save', { type: typeLabel(c, schedule.type) })}
        </button>
      </form>
    </details>
  );
}
