import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { CSV_COLUMNS } from './csv-import.js';
import { typeName, type MembershipType } from './members.repository.js';
import { MEMBER_STATUSES, OFFICES } from './members.tables.js';
import { REGISTER_SORTS, type RegisterSort } from './register.repository.js';
import type { RegisterQuery } from './register.schemas.js';
import type { ImportReport } from './register-import.usecases.js';
import type { RegisterPage } from './register.usecases.js';

type C = Context<AppEnv>;

/** The list's query string, without defaults, with some values replaced. */
export function registerHref(
  query: Partial<RegisterQuery>,
  changes: Partial<RegisterQuery> = {},
  path = '/members',
): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'type', 'office', 'paid'] as const) {
    const v = merged[key];
    if (v) params.set(key, v);
  }
  if (merged.sort && merged.sort !== 'number') params.set('sort', merged.sort);
  if (merged.dir && merged.dir !== 'asc') params.set('dir', merged.dir);
  if (merged.page && merged.page > 1) params.set('page', String(merged.page));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

function FilterSelect(props: {
  name: string;
  label: string;
  value: string | null;
  options: { value: string; label: string }[];
  anyLabel?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        {props.anyLabel !== undefined ? <option value="">{props.anyLabel}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === (props.value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters(props: { c: C; query: Partial<RegisterQuery>; types: MembershipType[] }) {
  const { c, query } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const any = t('register.list.any');
  return (
    <form method="get" action="/members" class="filters" role="search">
      <div class="field">
        <label for="f-q">{t('register.list.search')}</label>
        <input
          id="f-q"
          type="search"
          name="q"
          value={query.q ?? ''}
          placeholder={t('register.list.search_hint')}
          aria-describedby="f-q-hint"
        />
        <span class="visually-hidden" id="f-q-hint">
          {t('register.list.search_hint')}
        </span>
      </div>
      <FilterSelect
        name="status"
        label={t('register.list.status')}
        value={query.status ?? null}
        anyLabel={any}
        options={MEMBER_STATUSES.map((s) => ({
          value: s,
          label: t(`register.status.${s}` as MessageKey),
        }))}
      />
      <FilterSelect
        name="type"
        label={t('register.list.type')}
        value={query.type ?? null}
        anyLabel={any}
        options={props.types.map((ty) => ({ value: ty.code, label: typeName(ty, locale) }))}
      />
      <FilterSelect
        name="office"
        label={t('register.list.office')}
        value={query.office ?? null}
        anyLabel={any}
        options={OFFICES.map((o) => ({ value: o, label: t(`register.office.${o}` as MessageKey) }))}
      />
      <FilterSelect
        name="paid"
        label={t('register.list.paid')}
        value={query.paid ?? null}
        anyLabel={any}
        options={[
          { value: 'paid', label: t('register.list.paid_yes') },
          { value: 'unpaid', label: t('register.list.paid_no') },
        ]}
      />
      <FilterSelect
        name="sort"
        label={t('register.list.sort')}
        value={query.sort ?? 'number'}
        options={REGISTER_SORTS.map((s) => ({
          value: s,
          label: t(`register.sort.${s}` as MessageKey),
        }))}
      />
      <FilterSelect
        name="dir"
        label={t('register.list.dir')}
        value={query.dir ?? 'asc'}
        options={[
          { value: 'asc', label: t('register.list.dir_asc') },
          { value: 'desc', label: t('register.list.dir_desc') },
        ]}
      />
      <div class="actions">
        <button type="submit">{t('register.list.apply')}</button>
        <a href="/members">{t('register.list.reset')}</a>
      </div>
    </form>
  );
}

/** A column header that sorts by it; pressed again it turns the order around. */
function SortHeader(props: { c: C; query: RegisterQuery; sort: RegisterSort; label: string }) {
  const { query, sort } = props;
  const active = query.sort === sort;
  const dir = active && query.dir === 'asc' ? 'desc' : 'asc';
  return (
    <th
      scope="col"
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <a href={registerHref(query, { sort, dir, page: 1 })}>
        {props.label}
        {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </a>
    </th>
  );
}

export function RegisterListPage(props: {
  c: C;
  query: RegisterQuery;
  result: RegisterPage;
  errors: string[];
}) {
  const { c, query, result } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const permissions = c.get('user')?.permissions;
  const types = new Map(result.types.map((ty) => [ty.id, ty]));
  const current = { ...query, page: result.page };
  return (
    <section>
      <h1>{t('register.list.title')}</h1>
      <p class="actions">
        {permissions?.has('members.export') ? (
          <a
            class="button secondary"
            href={registerHref(query, { page: 1 }, '/members/export.csv')}
          >
            {t('register.list.export')}
          </a>
        ) : null}
        {permissions?.has('members.import') ? (
          <a class="button secondary" href="/members/import">
            {t('register.list.import')}
          </a>
        ) : null}
      </p>
      <Filters c={c} query={query} types={result.types} />
      {props.errors.length > 0 ? (
        <div class="alert" role="alert">
          <p>
            <strong>{t('register.list.bad_query')}</strong>
          </p>
          <ul>
            {props.errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p role="status">
        {result.capped
          ? t('register.list.count_capped', { count: result.total })
          : t('list.count', { count: result.total })}
      </p>
      {result.numberMatch ? (
        <p class="notice">
          {t('register.list.number_match', { number: result.numberMatch.memberNumber })}{' '}
          <a href={`/members/${result.numberMatch.id}`}>{result.numberMatch.name}</a>
        </p>
      ) : null}
      {result.rows.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              {t('register.list.caption', { page: result.page, pages: result.pages })}
            </caption>
            <thead>
              <tr>
                <SortHeader c={c} query={current} sort="number" label={t('register.col.number')} />
                <SortHeader c={c} query={current} sort="name" label={t('register.col.name')} />
                <th scope="col" class="optional">
                  {t('register.col.email')}
                </th>
                <th scope="col" class="optional">
                  {t('register.col.type')}
                </th>
                <SortHeader c={c} query={current} sort="status" label={t('register.col.status')} />
                <SortHeader
                  c={c}
                  query={current}
                  sort="joined_on"
                  label={t('register.col.joined_on')}
                />
                <th scope="col">{t('register.col.paid')}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((m) => {
                const type = types.get(m.typeId);
                return (
                  <tr>
                    <td>{m.memberNumber}</td>
                    <td>
                      <a href={`/members/${m.id}`}>{m.name}</a>
                    </td>
                    <td class="optional">{m.email ?? ''}</td>
                    <td class="optional">{type ? typeName(type, locale) : ''}</td>
                    <td>
                      <span class={`badge ${m.status}`}>
                        {t(`register.status.${m.status}` as MessageKey)}
                      </span>
                    </td>
                    <td>{m.joinedOn ? formatDate(m.joinedOn, locale) : ''}</td>
                    <td>{m.paid ? t('form.yes') : t('form.no')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {result.pages > 1 ? (
        <nav class="pager" aria-label={t('register.list.pages')}>
          {result.page > 1 ? (
            <a href={registerHref(query, { page: result.page - 1 })} rel="prev">
              {t('list.previous')}
            </a>
          ) : null}
          <span>
            {t('list.page_of', {
              page: result.page,
              pages: result.capped ? `${result.pages}+` : result.pages,
            })}
          </span>
          {result.page < result.pages ? (
            <a href={registerHref(query, { page: result.page + 1 })} rel="next">
              {t('list.next')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

/** The HTML report shows this many bad rows; the CLI lists them all. */
export const MAX_BAD_ROWS_SHOWN = 1000;

function ImportResult(props: { c: C; report: ImportReport }) {
  const { c, report } = props;
  const t = c.get('t');
  const tz = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const shown = report.badRows.slice(0, MAX_BAD_ROWS_SHOWN);
  return (
    <section aria-labelledby="import-result" class="card">
      <h2 id="import-result">{t('register.import.result')}</h2>
      {report.committed ? (
        <div class="notice" role="status">
          <p>{t('register.import.done', { count: report.imported })}</p>
          {report.assigned ? (
            <p>
              {t('register.import.numbers', {
                first: report.assigned.first,
                last: report.assigned.last,
              })}
            </p>
          ) : null}
        </div>
      ) : (
        <p role="status">
          {t('register.import.summary', {
            good: report.goodRows,
            total: report.totalRows,
            bad: report.badRows.length,
          })}
        </p>
      )}
      {report.alreadyImportedAt ? (
        <p class="alert">
          {t('register.import.already_imported', {
            at: formatInstant(report.alreadyImportedAt, tz, c.get('locale')),
          })}
        </p>
      ) : null}
      {!report.committed && (report.badRows.length > 0 || report.alreadyImportedAt) ? (
        <p class="alert">{t('register.import.not_imported')}</p>
      ) : null}
      {!report.committed && report.badRows.length === 0 && !report.alreadyImportedAt ? (
        <p class="notice">{t('register.import.dry_run_ok')}</p>
      ) : null}
      {shown.length > 0 ? (
        <>
          <h3>{t('register.import.bad_rows', { count: report.badRows.length })}</h3>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('register.import.line')}</th>
                  <th scope="col">{t('register.import.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr>
                    <td>{row.line}</td>
                    <td>{row.problems.map((p) => t(p.key, p.params)).join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.badRows.length > shown.length ? (
            <p>
              {t('register.import.more_bad_rows', {
                count: report.badRows.length - shown.length,
              })}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function ImportPage(props: { c: C; error?: string | null; report?: ImportReport | null }) {
  const { c, error, report } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('register.import.title')}</h1>
      <p>{t('register.import.intro')}</p>
      <p>{t('register.import.columns', { columns: CSV_COLUMNS.join(', ') })}</p>
      {report ? <ImportResult c={c} report={report} /> : null}
      <form method="post" action="/members/import" enctype="multipart/form-data" class="stack">
        <Csrf c={c} />
        <div class={error ? 'field invalid' : 'field'}>
          <label for="f-file">{t('register.import.file')}</label>
          <p class="hint" id="f-file-hint">
            {t('register.import.file_hint')}
          </p>
          <input
            id="f-file"
            type="file"
            name="file"
            accept=".csv,text/csv"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'f-file-hint f-file-error' : 'f-file-hint'}
          />
          {error ? (
            <p class="error" id="f-file-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <p class="hint">{t('register.import.commit_hint')}</p>
        <div class="actions">
          <button type="submit" name="mode" value="check">
            {t('register.import.check')}
          </button>
          <button type="submit" name="mode" value="commit" class="secondary">
            {t('register.import.commit')}
          </button>
        </div>
      </form>
    </section>
  );
}
