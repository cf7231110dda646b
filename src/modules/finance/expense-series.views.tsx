import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatBankAccount } from '../billing/invoice-format.js';
import { categoryLabel, type ExpenseCategory } from './expenses.categories.js';
import type { Series } from './expenses.repository.js';
import { SERIES_INTERVALS } from './expenses.schemas.js';
import { day, kr } from './expenses.views.js';

/** The member's recurring costs, and the form for a new one. */
export function SeriesPage(props: {
  c: Context<AppEnv>;
  series: Series[];
  categories: ExpenseCategory[];
  state: FormState;
  canSubmit: boolean;
}) {
  const { c, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section>
      <h1>{t('expenses.series.title')}</h1>
      <p>
        <a href="/expenses">{t('expenses.back')}</a>
      </p>
      <p>{t('expenses.series.intro')}</p>
      <h2>{t('expenses.series.list')}</h2>
      {props.series.length === 0 ? (
        <p class="muted">{t('expenses.series.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('expenses.col.description')}</th>
                <th class="num">{t('expenses.col.amount')}</th>
                <th>{t('expenses.series.interval')}</th>
                <th class="optional">{t('expenses.series.starts_on')}</th>
                <th class="optional">{t('expenses.series.ends_on')}</th>
                <th>{t('expenses.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {props.series.map((s) => (
                <tr data-series={s.id}>
                  <td>
                    {s.description}
                    <br />
                    <span class="muted">
                      {categoryLabel(props.categories, s.category, locale)} ·{' '}
                      {formatBankAccount(s.payeeAccount)}
                    </span>
                  </td>
                  <td class="num">{kr(c, s.amountOre)}</td>
                  <td>{t(`expenses.series.${s.interval}` as MessageKey)}</td>
                  <td class="optional">{day(c, s.startsOn)}</td>
                  <td class="optional">{s.endsOn ? day(c, s.endsOn) : '–'}</td>
                  <td>
                    {s.active ? (
                      <form method="post" action={`/expenses/series/${s.id}/stop`}>
                        <Csrf c={c} />
                        <span class="badge active">{t('expenses.series.active')}</span>{' '}
                        <button type="submit" class="secondary">
                          {t('expenses.series.stop')}
                        </button>
                      </form>
                    ) : (
                      <span class="badge">{t('expenses.series.ended')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.canSubmit ? (
        <>
          <h2>{t('expenses.series.new')}</h2>
          <FormErrors state={state} />
          <form class="stack" method="post" action="/expenses/series">
            <Csrf c={c} />
            <TextArea
              state={state}
              name="description"
              label={t('expenses.field.description')}
              hint={t('expenses.series.description_hint')}
              rows={2}
              required
            />
            <Field
              state={state}
              name="amount"
              label={t('expenses.field.amount')}
              hint={t('expenses.field.amount_hint')}
              inputmode="decimal"
              required
            />
            <Select
              state={state}
              name="category"
              label={t('expenses.field.category')}
              options={[
                { value: '', label: t('expenses.field.category_choose') },
                ...props.categories.map((x) => ({
                  value: x.number,
                  label: categoryLabel(props.categories, x.number, locale),
                })),
              ]}
            />
            <Field
              state={state}
              name="payee_account"
              label={t('expenses.field.payee_account')}
              hint={t('expenses.field.payee_account_hint')}
              inputmode="numeric"
              required
            />
            <Select
              state={state}
              name="interval"
              label={t('expenses.series.interval')}
              options={SERIES_INTERVALS.map((i) => ({
                value: i,
                label: t(`expenses.series.${i}` as MessageKey),
              }))}
            />
            <Field
              state={state}
              name="starts_on"
              type="date"
              label={t('expenses.series.starts_on')}
              hint={t('expenses.series.starts_on_hint')}
              required
            />
            <Field
              state={state}
              name="ends_on"
              type="date"
              label={t('expenses.series.ends_on')}
              hint={t('expenses.series.ends_on_hint')}
            />
            <button type="submit">{t('expenses.series.submit')}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}
