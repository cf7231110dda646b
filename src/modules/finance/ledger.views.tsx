import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Checkbox, Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { ledgerPage, trialBalancePage } from './journal-pages.usecases.js';
import { JournalNav, kr } from './journal.views.js';
import { accountName, type LedgerAccount } from './ledger.repository.js';

// The account statement, the trial balance and the chart of accounts.

type C = Context<AppEnv>;

function YearChooser(props: { c: C; action: string; year: number; years: number[] }) {
  const t = props.c.get('t');
  return (
    <form method="get" action={props.action} class="filters">
      <div class="field">
        <label for="f-year">{t('journal.filter.year')}</label>
        <select id="f-year" name="year">
          {props.years.map((y) => (
            <option value={String(y)} selected={y === props.year}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('journal.filter.submit')}</button>
    </form>
  );
}

export function LedgerStatementPage(props: {
  c: C;
  number: string;
  year: number;
  years: number[];
  result: Awaited<ReturnType<typeof ledgerPage>>;
}) {
  const { c, result, year } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const href = (page: number) =>
    `/finance/ledger/${props.number}?year=${year}${page > 1 ? `&page=${page}` : ''}`;
  return (
    <section>
      <h1>
        {t('journal.ledger.title', {
          account: props.number,
          name: result.account ? accountName(result.account, locale) : '',
        })}
      </h1>
      <JournalNav c={c} current="" />
      <YearChooser
        c={c}
        action={`/finance/ledger/${props.number}`}
        year={year}
        years={props.years}
      />
      <p>
        {t('journal.ledger.opening')}: {kr(c, result.openingOre)} · {t('journal.ledger.closing')}:{' '}
        {kr(c, result.closingOre)}
      </p>
      {result.rows.length === 0 ? (
        <p>{t('journal.ledger.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('journal.col.date')}</th>
                <th scope="col">{t('journal.col.number')}</th>
                <th scope="col">{t('journal.col.description')}</th>
                <th scope="col" class="num">
                  {t('journal.col.debit')}
                </th>
                <th scope="col" class="num">
                  {t('journal.col.credit')}
                </th>
                <th scope="col" class="num">
                  {t('journal.col.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr>
                  <td>{formatDate(r.postedOn, locale)}</td>
                  <td>
                    <a href={`/finance/journal/${r.entryId}`}>{`${year}-${r.number}`}</a>
                  </td>
                  <td>
                    {r.description}
                    {r.lineDescription ? <span class="muted"> · {r.lineDescription}</span> : null}
                  </td>
                  <td class="num">{r.debitOre ? kr(c, r.debitOre) : ''}</td>
                  <td class="num">{r.creditOre ? kr(c, r.creditOre) : ''}</td>
                  <td class="num">{kr(c, r.balanceOre)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.pages > 1 ? (
        <nav
          class="pager"
          aria-label={t('journal.pager_of', { page: result.page, pages: result.pages })}
        >
          {result.page > 1 ? <a href={href(result.page - 1)}>{t('journal.pager_prev')}</a> : null}
          <span>{t('journal.pager_of', { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages ? (
            <a href={href(result.page + 1)}>{t('journal.pager_next')}</a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

export function TrialBalancePage(props: {
  c: C;
  year: number;
  years: number[];
  result: Awaited<ReturnType<typeof trialBalancePage>>;
}) {
  const { c, result, year } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const balanced = result.debitOre === result.creditOre;
  return (
    <section>
      <h1>{t('journal.trial.title', { year })}</h1>
      <JournalNav c={c} current="/finance/trial-balance" />
      <p>{t('journal.trial.intro')}</p>
      <YearChooser c={c} action="/finance/trial-balance" year={year} years={props.years} />
      {result.rows.length === 0 ? (
        <p>{t('journal.trial.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('journal.col.account')}</th>
                <th scope="col" class="num">
                  {t('journal.col.debit')}
                </th>
                <th scope="col" class="num">
                  {t('journal.col.credit')}
                </th>
                <th scope="col" class="num">
                  {t('journal.col.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/finance/ledger/${r.account}?year=${year}`}>{r.account}</a>{' '}
                    {(locale === 'nb' ? r.nameNb : r.nameEn) ?? ''}
                  </td>
                  <td class="num">{kr(c, r.debitOre)}</td>
                  <td class="num">{kr(c, r.creditOre)}</td>
                  <td class="num">{kr(c, r.balanceOre)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('journal.trial.total')}</th>
                <th class="num">{kr(c, result.debitOre)}</th>
                <th class="num">{kr(c, result.creditOre)}</th>
                <th class="num">{kr(c, result.debitOre - result.creditOre)}</th>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {result.rows.length > 0 ? (
        <p class={balanced ? 'notice' : 'alert'} role="status">
          {t(balanced ? 'journal.trial.balanced' : 'journal.trial.unbalanced')}
        </p>
      ) : null}
    </section>
  );
}

export function ChartPage(props: { c: C; accounts: LedgerAccount[]; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const manage = !!c.get('user')?.permissions.has('finance.manage');
  return (
    <section>
      <h1>{t('finance_settings.chart.title')}</h1>
      <JournalNav c={c} current="/finance/accounts" />
      <p>{t('finance_settings.chart.intro')}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('finance_settings.chart.number')}</th>
              <th scope="col">{t('journal.col.description')}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {props.accounts.map((a) => (
              <tr>
                <td>{a.number}</td>
                <td>
                  {accountName(a, locale)}
                  {a.active ? null : (
                    <span class="badge"> {t('finance_settings.chart.inactive')}</span>
                  )}
                </td>
                <td class="actions">
                  <a href={`/finance/ledger/${a.number}`}>{t('finance_settings.chart.ledger')}</a>
                  {manage ? (
                    <a href={`/finance/accounts/${a.number}`}>{t('finance_settings.chart.edit')}</a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {manage ? (
        <form method="post" action="/finance/accounts" class="stack card" novalidate>
          <h2>{t('finance_settings.chart.add')}</h2>
          <Csrf c={c} />
          <FormErrors state={state} />
          <Field
            state={state}
            name="number"
            label={t('finance_settings.chart.number')}
            inputmode="numeric"
            required
          />
          <Field
            state={state}
            name="name_nb"
            label={t('finance_settings.chart.name_nb')}
            required
          />
          <Field
            state={state}
            name="name_en"
            label={t('finance_settings.chart.name_en')}
            required
          />
          <button type="submit">{t('finance_settings.chart.add')}</button>
        </form>
      ) : null}
    </section>
  );
}

export function AccountEditPage(props: { c: C; number: string; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('finance_settings.chart.edit_title', { number: props.number })}</h1>
      <JournalNav c={c} current="" />
      <form method="post" action={`/finance/accounts/${props.number}`} class="stack" novalidate>
        <Csrf c={c} />
        <FormErrors state={state} />
        <Field state={state} name="name_nb" label={t('finance_settings.chart.name_nb')} required />
        <Field state={state} name="name_en" label={t('finance_settings.chart.name_en')} required />
        <Checkbox state={state} name="active" label={t('finance_settings.chart.active')} />
        <div class="actions">
          <button type="submit">{t('form.save')}</button>
          <a href="/finance/accounts">{t('form.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
