import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Csrf, FormErrors, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { yearLabel } from '../members/members.components.js';
import type { DuesRun } from './dues-run.repository.js';
import { BillingNav } from './fees.views.js';
import { formatNok } from './invoice-format.js';

type C = Context<AppEnv>;

const statusKey = (s: DuesRun['status']): MessageKey => `invoices.dues.status.${s}`;

function when(c: C, iso: string | null): string {
  return iso
    ? formatInstant(iso, c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('locale'))
    : '–';
}

export function DuesRunsPage(props: {
  c: C;
  runs: DuesRun[];
  years: number[];
  defaultYear: number;
  canStart: boolean;
  state: FormState;
}) {
  const { c, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const chosen = state.values['year'] ?? String(props.defaultYear);
  return (
    <section>
      <BillingNav c={c} current="/billing/dues-runs" />
      <h1>{t('invoices.dues.title')}</h1>
      <p>{t('invoices.dues.intro')}</p>
      {props.canStart ? (
        <form method="post" action="/billing/dues-runs" class="card stack">
          <Csrf c={c} />
          <FormErrors state={state} />
          <div class={state.errors['year'] ? 'field invalid' : 'field'}>
            <label for="f-year">{t('invoices.dues.year')}</label>
            <select
              id="f-year"
              name="year"
              aria-invalid={state.errors['year'] ? 'true' : undefined}
              aria-describedby={state.errors['year'] ? 'f-year-error' : undefined}
            >
              {props.years.map((y) => (
                <option value={String(y)} selected={String(y) === chosen}>
                  {yearLabel(c, y)}
                </option>
              ))}
            </select>
            {state.errors['year'] ? (
              <p class="error" id="f-year-error">
                {state.errors['year']}
              </p>
            ) : null}
          </div>
          <p class="hint">{t('invoices.dues.start_hint')}</p>
          <button type="submit">{t('invoices.dues.start')}</button>
        </form>
      ) : null}
      <h2>{t('invoices.dues.history')}</h2>
      {props.runs.length === 0 ? (
        <p class="muted">{t('invoices.dues.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('invoices.dues.year')}</th>
                <th scope="col">{t('invoices.dues.started')}</th>
                <th scope="col">{t('invoices.dues.state')}</th>
                <th scope="col">{t('invoices.dues.created')}</th>
                <th scope="col" class="optional">
                  {t('invoices.dues.skipped')}
                </th>
                <th scope="col">{t('invoices.dues.total')}</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((r) => (
                <tr>
                  <td>
                    <a href={`/billing/dues-runs/${r.id}`}>{yearLabel(c, r.year)}</a>
                  </td>
                  <td>{when(c, r.startedAt)}</td>
                  <td>{t(statusKey(r.status))}</td>
                  <td>{r.createdCount}</td>
                  <td class="optional">{r.skippedCount}</td>
                  <td>{formatNok(r.totalOre, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DuesRunPage(props: { c: C; run: DuesRun }) {
  const { c, run } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const processed = run.createdCount + run.skippedCount;
  const running = run.status === 'running';
  return (
    <section>
      {running ? <meta http-equiv="refresh" content="2" /> : null}
      <BillingNav c={c} current="/billing/dues-runs" />
      <h1>{t('invoices.dues.run_title', { year: yearLabel(c, run.year) })}</h1>
      <p role="status" class={run.status === 'failed' ? 'alert' : running ? 'warn' : 'notice'}>
        {t(statusKey(run.status))}
        {running ? ` – ${t('invoices.dues.refreshing')}` : ''}
      </p>
      <div class="field">
        <label for="progress">
          {t('invoices.dues.progress', { done: processed, due: run.dueCount })}
        </label>
        <progress id="progress" max={String(Math.max(run.dueCount, 1))} value={String(processed)}>
          {`${processed}/${run.dueCount}`}
        </progress>
      </div>
      <dl class="facts">
        <dt>{t('invoices.dues.due')}</dt>
        <dd>{run.dueCount}</dd>
        <dt>{t('invoices.dues.created')}</dt>
        <dd>{run.createdCount}</dd>
        <dt>{t('invoices.dues.skipped')}</dt>
        <dd>{run.skippedCount}</dd>
        <dt>{t('invoices.dues.total')}</dt>
        <dd>{formatNok(run.totalOre, locale)}</dd>
        <dt>{t('invoices.dues.started')}</dt>
        <dd>{when(c, run.startedAt)}</dd>
        <dt>{t('invoices.dues.finished')}</dt>
        <dd>{when(c, run.finishedAt)}</dd>
      </dl>
      {run.lastError ? (
        <div class="alert" role="alert">
          <p>{t('invoices.dues.failed_hint')}</p>
          <p>
            <code>{run.lastError}</code>
          </p>
        </div>
      ) : null}
      <p>
        <a href={`/billing/invoices?year=${run.year}&purpose=dues`}>
          {t('invoices.dues.see_invoices')}
        </a>
      </p>
    </section>
  );
}
