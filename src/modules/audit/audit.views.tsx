import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Field, FormErrors, Select, type FormState } from '../../app/forms.js';
import type { AuditQuery } from './audit.filters.js';
import { filterQueryString } from './audit.filters.js';
import type { AuditEntry } from './audit.repository.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A value as one short line: strings as they are, the rest as JSON, long ones cut. */
export function showValue(v: unknown): string {
  const s = v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

/**
 * The compact diff: for objects, one line per key that changed (before → after); for a
 * one-sided entry, its keys and values.
 */
export function diffLines(
  before: unknown,
  after: unknown,
): { key: string; from?: string; to?: string }[] {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys
      .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((k) => ({
        key: k,
        ...(isRecord(before) ? { from: showValue(b[k]) } : {}),
        ...(isRecord(after) ? { to: showValue(a[k]) } : {}),
      }));
  }
  if (before === null && after === null) return [];
  return [
    {
      key: '',
      ...(before !== null ? { from: showValue(before) } : {}),
      ...(after !== null ? { to: showValue(after) } : {}),
    },
  ];
}

function Changes(props: { c: Context<AppEnv>; entry: AuditEntry }) {
  const t = props.c.get('t');
  const { before, after } = props.entry;
  const lines = diffLines(before, after);
  if (lines.length === 0) return <span class="muted">–</span>;
  return (
    <>
      <ul class="diff">
        {lines.map((l) => (
          <li>
            {l.key ? <code>{l.key}</code> : null}
            {l.key ? ': ' : null}
            {l.from !== undefined ? <del>{l.from}</del> : null}
            {l.from !== undefined && l.to !== undefined ? ' → ' : null}
            {l.to !== undefined ? <ins>{l.to}</ins> : null}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('audit.full_json')}</summary>
        {before !== null ? (
          <>
            <p>{t('audit.before')}</p>
            <pre>{JSON.stringify(before, null, 2)}</pre>
          </>
        ) : null}
        {after !== null ? (
          <>
            <p>{t('audit.after')}</p>
            <pre>{JSON.stringify(after, null, 2)}</pre>
          </>
        ) : null}
      </details>
    </>
  );
}

function Filters(props: { c: Context<AppEnv>; state: FormState; entityTypes: string[] }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <form method="get" action="/audit" class="filters" aria-label={t('audit.filter.heading')}>
      <Field
        state={state}
        name="action"
        label={t('audit.filter.action')}
        hint={t('audit.filter.action_hint')}
      />
      <Select
        state={state}
        name="entity_type"
        label={t('audit.filter.entity_type')}
        options={[
          { value: '', label: t('audit.filter.any') },
          ...props.entityTypes.map((e) => ({ value: e, label: e })),
        ]}
      />
      <Field state={state} name="entity_id" label={t('audit.filter.entity_id')} />
      <Field state={state} name="actor" label={t('audit.filter.actor')} />
      <Field state={state} name="from" type="date" label={t('audit.filter.from')} />
      <Field state={state} name="to" type="date" label={t('audit.filter.to')} />
      <p class="actions">
        <button type="submit">{t('list.filter')}</button>
        <a href="/audit">{t('audit.filter.reset')}</a>
      </p>
    </form>
  );
}

export function AuditPage(props: {
  c: Context<AppEnv>;
  state: FormState;
  query: AuditQuery | null;
  entityTypes: string[];
  entries: AuditEntry[];
  older: string | null;
  newer: string | null;
}) {
  const { c, query } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const qs = (extra: Record<string, string>) => (query ? filterQueryString(query, extra) : '');
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <FormErrors state={props.state} />
      <Filters c={c} state={props.state} entityTypes={props.entityTypes} />
      {query ? (
        <p>
          <a href={`/audit/export.csv${qs({})}`}>{t('audit.export_csv')}</a>
        </p>
      ) : null}
      {props.entries.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('audit.results_table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.when')}</th>
                <th scope="col">{t('audit.col.who')}</th>
                <th scope="col">{t('audit.col.what')}</th>
                <th scope="col" class="optional">
                  {t('audit.col.entity')}
                </th>
                <th scope="col">{t('audit.col.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr id={`e-${e.id}`}>
                  <td>
                    <time datetime={e.at}>{formatInstant(e.at, timeZone, locale)}</time>
                  </td>
                  <td>
                    {e.actorLabel}
                    {e.ip ? <div class="muted">{e.ip}</div> : null}
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td class="optional">
                    {e.entityType}
                    {e.entityId ? (
                      <div>
                        <a
                          href={`/audit${filterQueryString({
                            entity_type: e.entityType,
                            entity_id: e.entityId,
                          })}`}
                          title={t('audit.entity_link')}
                        >
                          <code>{e.entityId}</code>
                        </a>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <Changes c={c} entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t('audit.title')}>
        {props.newer ? (
          <>
            <a href={`/audit${qs({})}`}>{t('audit.first_page')}</a>
            <a href={`/audit${qs({ after: props.newer })}`} rel="prev">
              {t('audit.newer')}
            </a>
          </>
        ) : null}
        {props.older ? (
          <a href={`/audit${qs({ before: props.older })}`} rel="next">
            {t('audit.older')}
          </a>
        ) : null}
      </nav>
    </section>
  );
}
