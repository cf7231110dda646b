import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../app/context.js';
import {
  Checkbox,
  Csrf,
  Field,
  FormErrors,
  Select,
  TextArea,
  type FormState,
} from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { date, instant, StatusBadge } from '../members/members.components.js';
import type { MemberStatus } from '../members/members.tables.js';
import type { CaseEvent, CaseReport, ModerationCase } from './cases.repository.js';
import type { Appeal } from './appeals.repository.js';
import type { Decision } from './decisions.repository.js';
import type { Hearing } from './hearings.repository.js';
import { ReportFacts } from './reports.views.js';
import { DECISION_KINDS } from './moderation.tables.js';

type C = Context<AppEnv>;

export type CasePageData = {
  kase: ModerationCase;
  memberStatus: MemberStatus;
  reports: CaseReport[];
  events: CaseEvent[];
  hearings: Hearing[];
  decisions: Decision[];
  appeals: Appeal[];
  violations: (Decision & { caseNumber: number })[];
  today: string;
  latestEnd: string;
  urgentHours: number;
  /** Null when the viewer may act; otherwise why not. */
  conflict: 'own_case' | 'reporter' | null;
  canExclude: boolean;
  /** The hearing module's panel (notices, answers, the send and assign forms). */
  hearingPanel: Child;
};

const kindKey = (k: Decision['kind']): MessageKey => `moderation.decision.kind.${k}`;

function DecisionSummary(props: { c: C; d: Decision }) {
  const { c, d } = props;
  const t = c.get('t');
  return (
    <>
      <strong>{t(kindKey(d.kind))}</strong>
      {d.urgent ? <> · {t('moderation.decision.urgent_badge')}</> : null}
      {d.startsOn && d.endsOn ? (
        <>
          {' '}
          · {t('moderation.decision.period', { from: date(c, d.startsOn), to: date(c, d.endsOn) })}
        </>
      ) : null}{' '}
      <span class="muted">
        · {t(`moderation.decision.state.${d.state}`)}
        {d.liftReason
          ? ` (${t(`moderation.decision.lift_reason.${d.liftReason}` as MessageKey)})`
          : ''}{' '}
        · {instant(c, d.decidedAt)}
      </span>
    </>
  );
}

function ViolationsList(props: { c: C; violations: CasePageData['violations'] }) {
  const { c } = props;
  const t = c.get('t');
  return (
    <div class="card" id="violations">
      <h3>{t('moderation.decision.violations')}</h3>
      <p class="hint">{t('moderation.decision.violations_hint')}</p>
      {props.violations.length === 0 ? (
        <p>{t('moderation.decision.no_violations')}</p>
      ) : (
        <ul>
          {props.violations.map((v) => (
            <li>
              {t('moderation.decision.case_ref', { number: v.caseNumber })}:{' '}
              <DecisionSummary c={c} d={v} />
              <br />
              {v.clause}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DecisionForm(props: { c: C; data: CasePageData; state: FormState }) {
  const { c, data, state } = props;
  const t = c.get('t');
  const kinds = DECISION_KINDS.filter((k) => k !== 'exclusion' || data.canExclude);
  return (
    <form
      method="post"
      action={`/moderation/cases/${data.kase.id}/decisions`}
      class="card"
      id="decide"
    >
      <h2>{t('moderation.decision.new')}</h2>
      <Csrf c={c} />
      <FormErrors state={state} />
      <Select
        state={state}
        name="kind"
        label={t('moderation.decision.kind')}
        options={kinds.map((k) => ({ value: k, label: t(kindKey(k)) }))}
        {...(data.canExclude ? {} : { hint: t('moderation.decision.exclusion_board') })}
      />
      <Field
        state={state}
        name="ends_on"
        type="date"
        label={t('moderation.decision.ends_on')}
        hint={t('moderation.decision.ends_on_hint', {
          today: date(c, data.today),
          latest: date(c, data.latestEnd),
        })}
      />
      <Checkbox
        state={state}
        name="urgent"
        label={t('moderation.decision.urgent', { hours: data.urgentHours })}
      />
      <Field
        state={state}
        name="clause"
        label={t('moderation.decision.clause')}
        hint={t('moderation.decision.clause_hint')}
        required
      />
      <TextArea
        state={state}
        name="reasons"
        label={t('moderation.decision.reasons')}
        hint={t('moderation.decision.reasons_hint')}
        rows={6}
        required
      />
      <button type="submit">{t('moderation.decision.submit')}</button>
    </form>
  );
}

function DecisionItem(props: { c: C; data: CasePageData; d: Decision }) {
  const { c, data, d } = props;
  const t = c.get('t');
  const appeal = data.appeals.find((a) => a.decisionId === d.id);
  const mayAct = data.conflict === null;
  return (
    <article class="card">
      <p>
        <DecisionSummary c={c} d={d} />
      </p>
      <p>
        {t('moderation.casepage.clause')}: {d.clause}
      </p>
      <p class="pre-wrap">{d.reasons}</p>
      {d.appealDeadlineOn ? (
        <p class="muted">
          {t('moderation.decision.appeal_deadline', { date: date(c, d.appealDeadlineOn) })}
        </p>
      ) : null}
      {d.urgent && d.state === 'active' ? (
        <p>
          {d.confirmedAt
            ? t('moderation.decision.confirmed', { at: instant(c, d.confirmedAt) })
            : t('moderation.decision.confirm_by', { at: instant(c, d.confirmBy) })}
        </p>
      ) : null}
      {mayAct && d.urgent && d.state === 'active' && !d.confirmedAt ? (
        <form method="post" action={`/moderation/decisions/${d.id}/confirm`}>
          <Csrf c={c} />
          <button type="submit">{t('moderation.decision.confirm')}</button>
        </form>
      ) : null}
      {mayAct && d.kind === 'suspension' && d.state === 'active' ? (
        <form method="post" action={`/moderation/decisions/${d.id}/lift`}>
          <Csrf c={c} />
          <div class="field">
            <label for={`f-lift-${d.id}`}>{t('moderation.decision.lift_note')}</label>
            <input id={`f-lift-${d.id}`} name="note" required />
          </div>
          <button type="submit" class="secondary">
            {t('moderation.decision.lift')}
          </button>
        </form>
      ) : null}
      {appeal ? (
        <div>
          <p>
            <strong>{t('moderation.appeal.status')}:</strong>{' '}
            {t(`moderation.appeal.status.${appeal.status}`)} · {instant(c, appeal.submittedAt)}
          </p>
          <p class="pre-wrap">{appeal.text}</p>
          {data.canExclude &&
          (appeal.status === 'on_agenda' || appeal.status === 'pending_meeting') ? (
            <form method="post" action={`/moderation/appeals/${appeal.id}/outcome`}>
              <Csrf c={c} />
              <fieldset>
                <legend>{t('moderation.appeal.outcome')}</legend>
                {(['upheld', 'rejected'] as const).map((o) => (
                  <div class="checkbox">
                    <input
                      type="radio"
                      id={`f-outcome-${appeal.id}-${o}`}
                      name="outcome"
                      value={o}
                      required
                    />
                    <label for={`f-outcome-${appeal.id}-${o}`}>
                      {t(`moderation.appeal.outcome.${o}`)}
                    </label>
                  </div>
                ))}
              </fieldset>
              <div class="field">
                <label for={`f-outcome-note-${appeal.id}`}>
                  {t('moderation.appeal.outcome_note')}
                </label>
                <input id={`f-outcome-note-${appeal.id}`} name="note" />
              </div>
              <button type="submit">{t('moderation.appeal.outcome_submit')}</button>
            </form>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

export function CasePage(props: { c: C; data: CasePageData; form: FormState }) {
  const { c, data } = props;
  const t = c.get('t');
  const k = data.kase;
  return (
    <section>
      <p>
        <a href="/moderation">{t('nav.moderation')}</a>
        {data.canExclude ? (
          <>
            {' · '}
            <a href="/moderation/settings">{t('moderation.settings.title')}</a>
          </>
        ) : null}
      </p>
      <h1>{t('moderation.casepage.title', { number: k.number })}</h1>
      <div class="card">
        <dl class="facts">
          <dt>{t('moderation.casepage.member')}</dt>
          <dd>
            {k.memberName} <span class="muted">#{k.memberNumber}</span>{' '}
            <StatusBadge c={c} status={data.memberStatus} />
          </dd>
          <dt>{t('moderation.casepage.status')}</dt>
          <dd>{t(`moderation.casepage.case_status.${k.status}`)}</dd>
          <dt>{t('moderation.casepage.assigned')}</dt>
          <dd>{k.assignedHandle ?? t('moderation.casepage.nobody')}</dd>
          <dt>{t('moderation.casepage.opened')}</dt>
          <dd>{instant(c, k.createdAt)}</dd>
          <dt>{t('moderation.casepage.summary')}</dt>
          <dd class="pre-wrap">{k.summary}</dd>
        </dl>
      </div>

      <h2>{t('moderation.casepage.reports')}</h2>
      {data.reports.length === 0 ? <p>{t('moderation.casepage.no_reports')}</p> : null}
      <div>
        {data.reports.map((r) => (
          <article class="card">
            <p class="pre-wrap">{r.description}</p>
            <ReportFacts c={c} report={r} memberLabel={`${k.memberName} (#${k.memberNumber})`} />
          </article>
        ))}
      </div>

      {data.hearingPanel}

      <h2>{t('moderation.decision.heading')}</h2>
      {data.decisions.length === 0 ? <p>{t('moderation.decision.none')}</p> : null}
      <div>
        {data.decisions.map((d) => (
          <DecisionItem c={c} data={data} d={d} />
        ))}
      </div>

      {data.conflict === null ? (
        <>
          {data.canExclude ? <ViolationsList c={c} violations={data.violations} /> : null}
          <DecisionForm c={c} data={data} state={props.form} />
        </>
      ) : (
        <p class="alert">{t('moderation.casepage.own_case_note')}</p>
      )}

      <section class="card" id="log">
        <h2>{t('moderation.casepage.log')}</h2>
        {data.events.length === 0 ? <p>{t('moderation.casepage.no_log')}</p> : null}
        <ol>
          {data.events.map((e) => (
            <li>
              <span class="muted">{instant(c, e.at)}</span> · {e.actorLabel} ·{' '}
              <code>{e.action}</code>
              {e.note ? <> · {e.note}</> : null}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
