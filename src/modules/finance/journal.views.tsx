import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatOre } from '../../app/money.js';
import type { EntryListItem } from './journal-list.repository.js';
import type { entryDetail, journalPage } from './journal-pages.usecases.js';
import { FORM_LINES, SOURCE_KINDS, type JournalFilter } from './journal.schemas.js';
import { accountName } from './ledger.repository.js';

type C = Context<AppEnv>;

export function kr(c: C, ore: number): string {
  return formatOre(ore, c.get('locale'));
}

export const entryLabel = (e: { fiscalYear: number; number: number }) =>
  `${e.fiscalYear}-${e.number}`;

export function kindLabel(c: C, kind: string): string {
  return c.get('t')(`journal.kind.${kind}` as MessageKey);
}

/** The links between the journal's pages. */
export function JournalNav(props: { c: C; current: string }) {
  const { c } = props;
  const t = c.get('t');
  const manage = !!c.get('user')?.permissions.has('finance.manage');
  const links: [string, MessageKey][] = [
    ['/finance/journal', 'journal.nav.journal'],
    ['/finance/trial-balance', 'journal.nav.trial_balance'],
    ['/finance/accounts', 'journal.nav.accounts'],
    ...(manage ? ([['/finance/settings', 'journal.nav.settings']] as [string, MessageKey][]) : []),
  ];
  return (
    <nav aria-label={t('journal.title')} class="actions">
      {links.map(([href, key]) => (
        <a href={href} aria-current={href === props.current ? 'page' : undefined}>
          {t(key)}
        </a>
      ))}
      {manage ? (
        <a class="button" href="/finance/journal/new">
          {t('journal.nav.new')}
        </a>
      ) : null}
    </nav>
  );
}

export function journalHref(f: Partial<JournalFilter>, changes: Partial<JournalFilter> = {}) {
  const merged = { ...f, ...changes };
  const params = new URLSearchParams();
  for (const key of ['year', 'account', 'kind', 'q'] as const) {
    const v = merged[key];
    if (v !== undefined && v !== '') params.set(key, String(v));
  }
  if (merged.page && merged.page > 1) params.set('page', String(merged.page));
  const s = params.toString();
  return s ? `/finance/journal?${s}` : '/finance/journal';
}

function Filters(props: { c: C; filter: JournalFilter; years: number[] }) {
  const { c, filter } = props;
  const t = c.get('t');
  return (
    <form method="get" action="/finance/journal" class="filters" role="search">
      <div class="field">
        <label for="f-year">{t('journal.filter.year')}</label>
        <select id="f-year" name="year">
          <option value="">{t('journal.filter.any')}</option>
          {props.years.map((y) => (
            <option value={String(y)} selected={y === filter.year}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-account">{t('journal.filter.account')}</label>
        <input
          id="f-account"
          name="account"
          type="text"
          inputmode="numeric"
          size={6}
          value={filter.account ?? ''}
        />
      </div>
      <div class="field">
        <label for="f-kind">{t('journal.filter.kind')}</label>
        <select id="f-kind" name="kind">
          <option value="">{t('journal.filter.any')}</option>
          {SOURCE_KINDS.map((k) => (
            <option value={k} selected={k === filter.kind}>
              {kindLabel(c, k)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-q">{t('journal.filter.q')}</label>
        <input id="f-q" name="q" type="search" value={filter.q ?? ''} />
      </div>
      <button type="submit">{t('journal.filter.submit')}</button>
    </form>
  );
}

function EntryRow(props: { c: C; e: EntryListItem }) {
  const { c, e } = props;
  const t = c.get('t');
  return (
    <tr>
      <td>
        <a href={`/finance/journal/${e.id}`}>{entryLabel(e)}</a>
      </td>
      <td>{formatDate(e.postedOn, c.get('locale'))}</td>
      <td>
        {e.description}
        {e.reversed ? <span class="badge"> {t('journal.reversed_mark')}</span> : null}
      </td>
      <td class="optional">{kindLabel(c, e.sourceKind)}</td>
      <td class="num">{kr(c, e.amountOre)}</td>
    </tr>
  );
}

export function JournalListPage(props: {
  c: C;
  filter: JournalFilter;
  years: number[];
  result: Awaited<ReturnType<typeof journalPage>>;
}) {
  const { c, filter, result } = props;
  const t = c.get('t');
  const manage = !!c.get('user')?.permissions.has('finance.manage');
  return (
    <section>
      <h1>{t('journal.title')}</h1>
      <JournalNav c={c} current="/finance/journal" />
      <p>{t('journal.intro')}</p>
      {manage ? (
        <form method="post" action="/finance/journal/post" class="actions">
          <Csrf c={c} />
          <button type="submit" class="secondary">
            {t('journal.post_now')}
          </button>
          <span class="muted">{t('journal.post_now_hint')}</span>
        </form>
      ) : null}
      <Filters c={c} filter={filter} years={props.years} />
      <p>{t('journal.count', { count: result.total })}</p>
      {result.entries.length === 0 ? (
        <p>{t('journal.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('journal.col.number')}</th>
                <th scope="col">{t('journal.col.date')}</th>
                <th scope="col">{t('journal.col.description')}</th>
                <th scope="col" class="optional">
                  {t('journal.col.kind')}
                </th>
                <th scope="col" class="num">
                  {t('journal.col.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.entries.map((e) => (
                <EntryRow c={c} e={e} />
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
          {result.page > 1 ? (
            <a href={journalHref(filter, { page: result.page - 1 })}>{t('journal.pager_prev')}</a>
          ) : null}
          <span>{t('journal.pager_of', { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages ? (
            <a href={journalHref(filter, { page: result.page + 1 })}>{t('journal.pager_next')}</a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

function SourceLink(props: { c: C; detail: Awaited<ReturnType<typeof entryDetail>> }) {
  const { c } = props;
  const t = c.get('t');
  const s = props.detail.source;
  switch (s.kind) {
    case 'invoice':
      return (
        <a href={`/billing/invoices/${s.number}`}>
          {t('journal.entry.source_invoice', { number: s.number })}
        </a>
      );
    case 'payment':
      return <a href={`/billing/payments/${s.id}`}>{t('journal.entry.source_payment')}</a>;
    case 'claim':
      return (
        <a href={`/expenses/${s.number}`}>
          {t('journal.entry.source_claim', { number: s.number })}
        </a>
      );
    case 'entry':
      return (
        <a href={`/finance/journal/${s.id}`}>
          {t('journal.entry.source_entry', { number: s.label })}
        </a>
      );
    case 'none':
      return <span>{kindLabel(c, props.detail.entry.sourceKind)}</span>;
  }
}

export function EntryPage(props: {
  c: C;
  detail: Awaited<ReturnType<typeof entryDetail>>;
  state: FormState;
}) {
  const { c, detail, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const { entry, lines } = detail;
  const manage = !!c.get('user')?.permissions.has('finance.manage');
  const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const total = lines.reduce((s, l) => s + l.debitOre, 0);
  return (
    <section>
      <h1>{t('journal.entry.title', { number: entryLabel(entry) })}</h1>
      <JournalNav c={c} current="" />
      <FormErrors state={state} />
      <dl class="facts">
        <dt>{t('journal.entry.date')}</dt>
        <dd>{formatDate(entry.postedOn, locale)}</dd>
        <dt>{t('journal.entry.year')}</dt>
        <dd>{entry.fiscalYear}</dd>
        <dt>{t('journal.col.description')}</dt>
        <dd>{entry.description}</dd>
        <dt>{t('journal.entry.kind')}</dt>
        <dd>{kindLabel(c, entry.sourceKind)}</dd>
        <dt>{t('journal.entry.source')}</dt>
        <dd>
          <SourceLink c={c} detail={detail} />
        </dd>
        <dt>{t('journal.entry.created')}</dt>
        <dd>{formatInstant(entry.createdAt, timeZone, locale)}</dd>
      </dl>
      {detail.reversedBy ? (
        <p class="warn">
          <a href={`/finance/journal/${detail.reversedBy.id}`}>
            {t('journal.entry.reversed_by', { number: entryLabel(detail.reversedBy) })}
          </a>
        </p>
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('journal.col.account')}</th>
              <th scope="col" class="optional">
                {t('journal.col.line_text')}
              </th>
              <th scope="col" class="num">
                {t('journal.col.debit')}
              </th>
              <th scope="col" class="num">
                {t('journal.col.credit')}
              </th>
              <th scope="col" class="optional">
                {t('journal.col.vat_code')}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => {
              const a = detail.accounts.get(l.account);
              return (
                <tr>
                  <td>
                    <a href={`/finance/ledger/${l.account}?year=${entry.fiscalYear}`}>
                      {l.account}
                    </a>{' '}
                    {a ? accountName(a, locale) : ''}
                  </td>
                  <td class="optional">{l.description ?? ''}</td>
                  <td class="num">{l.debitOre ? kr(c, l.debitOre) : ''}</td>
                  <td class="num">{l.creditOre ? kr(c, l.creditOre) : ''}</td>
                  <td class="optional">{l.vatCode ?? ''}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">{t('journal.entry.total')}</th>
              <td class="optional"></td>
              <td class="num">{kr(c, total)}</td>
              <td class="num">{kr(c, total)}</td>
              <td class="optional"></td>
            </tr>
          </tbody>
        </table>
      </div>
      {manage && !detail.reversedBy && entry.sourceKind !== 'reversal' ? (
        <form method="post" action={`/finance/journal/${entry.id}/reverse`} class="stack card">
          <h2>{t('journal.reverse.title')}</h2>
          <p>{t('journal.reverse.intro')}</p>
          <Csrf c={c} />
          <Field
            state={state}
            name="date"
            type="date"
            label={t('journal.reverse.date')}
            hint={t('journal.reverse.date_hint')}
          />
          <Field state={state} name="reason" label={t('journal.reverse.reason')} />
          <button type="submit" class="danger">
            {t('journal.reverse.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function NewEntryPage(props: { c: C; state: FormState; rows: number }) {
  const { c, state } = props;
  const t = c.get('t');
  const rows = Array.from({ length: Math.max(FORM_LINES, props.rows) }, (_, i) => i + 1);
  return (
    <section>
      <h1>{t('journal.new.title')}</h1>
      <JournalNav c={c} current="/finance/journal/new" />
      <p>{t('journal.new.intro')}</p>
      <form method="post" action="/finance/journal/new" novalidate>
        <Csrf c={c} />
        <FormErrors state={state} />
        <div class="stack">
          <Field state={state} name="date" type="date" label={t('journal.new.date')} required />
          <Field state={state} name="description" label={t('journal.new.description')} required />
        </div>
        <fieldset>
          <legend>{t('journal.new.lines')}</legend>
          <p class="hint">
            <a href="/finance/accounts">{t('journal.new.accounts_hint')}</a>
          </p>
          {rows.map((n) => (
            <fieldset class="filters">
              <legend class="visually-hidden">{t('journal.new.line', { n })}</legend>
              <Field
                state={state}
                name={`account_${n}`}
                label={t('journal.new.account')}
                inputmode="numeric"
              />
              <Field
                state={state}
                name={`debit_${n}`}
                label={t('journal.new.debit')}
                inputmode="decimal"
              />
              <Field
                state={state}
                name={`credit_${n}`}
                label={t('journal.new.credit')}
                inputmode="decimal"
              />
              <Field state={state} name={`text_${n}`} label={t('journal.new.text')} />
            </fieldset>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t('journal.new.submit')}</button>
          <a href="/finance/journal">{t('form.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
