import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import type { CaseReport, ModerationCase } from './cases.repository.js';

type C = Context<AppEnv>;

const zoneOf = (c: C) => c.get('association')?.timeZone ?? 'Europe/Oslo';

export function ReportForm(props: {
  c: C;
  state: FormState;
  services: { id: string; name: string }[];
}) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('moderation.report.title')}</h1>
      <p>{t('moderation.report.intro')}</p>
      <p>
        <a href="/documents/aup">{t('moderation.report.aup_link')}</a>
      </p>
      <FormErrors state={state} />
      <form method="post" action="/report" class="stack">
        <Csrf c={c} />
        <Field
          state={state}
          name="reported"
          label={t('moderation.report.field.reported')}
          hint={t('moderation.report.hint.reported')}
        />
        <Select
          state={state}
          name="service_id"
          label={t('moderation.report.field.service')}
          options={[
            { value: '', label: t('moderation.report.no_service') },
            ...props.services.map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
        <Field
          state={state}
          name="content_url"
          type="url"
          label={t('moderation.report.field.url')}
          hint={t('moderation.report.hint.url')}
        />
        <TextArea
          state={state}
          name="description"
          label={t('moderation.report.field.description')}
          hint={t('moderation.report.hint.description')}
          required
          rows={6}
        />
        <Field
          state={state}
          name="aup_clause"
          label={t('moderation.report.field.clause')}
          hint={t('moderation.report.hint.clause')}
        />
        <button type="submit">{t('moderation.report.submit')}</button>
      </form>
    </section>
  );
}

/** One report as moderators see it (the reporter included). */
export function ReportFacts(props: { c: C; report: CaseReport; memberLabel: string | null }) {
  const { c, report: r } = props;
  const t = c.get('t');
  return (
    <dl class="facts">
      <dt>{t('moderation.queue.received')}</dt>
      <dd>
        {formatInstant(r.createdAt, zoneOf(c), c.get('locale'))} (
        {t(`moderation.queue.source.${r.source}`)})
      </dd>
      {r.reporterName ? (
        <>
          <dt>{t('moderation.queue.reporter')}</dt>
          <dd>{r.reporterName}</dd>
        </>
      ) : null}
      <dt>{t('moderation.queue.reported')}</dt>
      <dd>
        {props.memberLabel ??
          t('moderation.queue.unknown_member', { handle: r.reportedHandle ?? '–' })}
      </dd>
      {r.serviceName ? (
        <>
          <dt>{t('moderation.queue.service')}</dt>
          <dd>{r.serviceName}</dd>
        </>
      ) : null}
      {r.contentUrl ? (
        <>
          <dt>{t('moderation.queue.content')}</dt>
          <dd>
            <a href={r.contentUrl} rel="noopener noreferrer nofollow">
              {r.contentUrl}
            </a>
          </dd>
        </>
      ) : null}
      {r.aupClause ? (
        <>
          <dt>{t('moderation.queue.clause')}</dt>
          <dd>{r.aupClause}</dd>
        </>
      ) : null}
    </dl>
  );
}

export type QueueItem = {
  report: CaseReport;
  memberLabel: string | null;
  /** Open cases about the same member, to add the report to. */
  cases: ModerationCase[];
};

export function QueuePage(props: {
  c: C;
  state: FormState;
  items: QueueItem[];
  openCases: ModerationCase[];
}) {
  const { c, state } = props;
  const t = c.get('t');
  const empty: FormState = { values: {}, errors: {} };
  return (
    <section>
      <h1>{t('moderation.queue.title')}</h1>
      <p class="actions">
        <a href="/moderation/statistics">{t('moderation.queue.statistics')}</a>
      </p>
      <FormErrors state={state} />
      <h2>{t('moderation.queue.open_cases')}</h2>
      {props.openCases.length === 0 ? (
        <p class="muted">{t('moderation.queue.no_cases')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('moderation.queue.case_n', { number: '' })}</th>
                <th scope="col">{t('moderation.queue.reported')}</th>
                <th scope="col">{t('moderation.queue.status')}</th>
                <th scope="col">{t('moderation.queue.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {props.openCases.map((k) => (
                <tr>
                  <td>
                    <a href={`/moderation/cases/${k.id}`}>
                      {t('moderation.queue.case_n', { number: k.number })}
                    </a>
                    <br />
                    {k.summary}
                  </td>
                  <td>
                    {k.memberName} (#{k.memberNumber})
                  </td>
                  <td>{t(`moderation.status.${k.status}`)}</td>
                  <td>{k.assignedHandle ?? t('moderation.queue.unassigned')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('moderation.queue.new_reports')}</h2>
      {props.items.length === 0 ? <p class="muted">{t('moderation.queue.empty')}</p> : null}
      {props.items.map(({ report: r, memberLabel, cases }) => {
        const own = state.values['report_id'] === r.id ? state : empty;
        const base = `/moderation/reports/${r.id}`;
        return (
          <article class="card" id={`report-${r.number}`}>
            <h3>{t('moderation.queue.report_n', { number: r.number })}</h3>
            <ReportFacts c={c} report={r} memberLabel={memberLabel} />
            <p class="doc">{r.description}</p>
            <details>
              <summary>{t('moderation.triage.open_case')}</summary>
              <form method="post" action={`${base}/case`} class="stack">
                <Csrf c={c} />
                <input type="hidden" name="report_id" value={r.id} />
                <Field
                  state={own}
                  idPrefix={`${r.number}-`}
                  name="summary"
                  label={t('moderation.triage.summary')}
                  required
                />
                {r.reportedMemberId ? null : (
                  <Field
                    state={own}
                    idPrefix={`${r.number}-`}
                    name="member"
                    label={t('moderation.triage.member')}
                    hint={t('moderation.triage.member_hint')}
                    inputmode="numeric"
                  />
                )}
                <Field
                  state={own}
                  idPrefix={`${r.number}-`}
                  name="also"
                  label={t('moderation.triage.also')}
                  hint={t('moderation.triage.also_hint')}
                />
                <button type="submit">{t('moderation.triage.open_case')}</button>
              </form>
            </details>
            {cases.length > 0 ? (
              <details>
                <summary>{t('moderation.triage.add_to_case')}</summary>
                <form method="post" action={`${base}/add`} class="stack">
                  <Csrf c={c} />
                  <input type="hidden" name="report_id" value={r.id} />
                  <label for={`f-${r.number}-case`}>{t('moderation.triage.case')}</label>
                  <select id={`f-${r.number}-case`} name="case_id">
                    {cases.map((k) => (
                      <option value={k.id}>
                        {t('moderation.queue.case_n', { number: k.number })}: {k.summary}
                      </option>
                    ))}
                  </select>
                  <button type="submit">{t('moderation.triage.add_to_case')}</button>
                </form>
              </details>
            ) : null}
            <details>
              <summary>{t('moderation.triage.dismiss')}</summary>
              <form method="post" action={`${base}/dismiss`} class="stack">
                <Csrf c={c} />
                <input type="hidden" name="report_id" value={r.id} />
                <Field
                  state={own}
                  idPrefix={`${r.number}-`}
                  name="reason"
                  label={t('moderation.triage.dismiss_reason')}
                  required
                />
                <button type="submit" class="secondary">
                  {t('moderation.triage.dismiss')}
                </button>
              </form>
            </details>
          </article>
        );
      })}
    </section>
  );
}
