import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, TextArea, emptyForm, type FormState } from '../../app/forms.js';
import type { Hearing } from './hearings.repository.js';
import { hearingComplete } from './hearings.repository.js';
import { DEFAULT_HEARING_DAYS } from './hearings.usecases.js';

type C = Context<AppEnv>;

const zoneOf = (c: C) => c.get('association')?.timeZone ?? 'Europe/Oslo';

function HearingFacts(props: { c: C; h: Hearing; today: string }) {
  const { c, h } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <dl class="facts">
      <dt>{t('moderation.hearing.field.accusation')}</dt>
      <dd class="doc">{h.accusation}</dd>
      {h.aupClause ? (
        <>
          <dt>{t('moderation.hearing.field.clause')}</dt>
          <dd>{h.aupClause}</dd>
        </>
      ) : null}
      <dt>{t('moderation.hearing.sent')}</dt>
      <dd>{formatInstant(h.sentAt, zoneOf(c), locale)}</dd>
      <dt>{t('moderation.hearing.deadline')}</dt>
      <dd>{formatDate(h.deadlineOn, locale)}</dd>
      <dt>{t('moderation.hearing.answer')}</dt>
      <dd class="doc">
        {h.answer ??
          (h.deadlineOn < props.today
            ? t('moderation.hearing.deadline_passed')
            : t('moderation.hearing.not_answered'))}
      </dd>
    </dl>
  );
}

/**
 * The hearing on the case page (for moderators and the board): the notices sent, the
 * member's answers, and the form to send a notice. Plug into the case page's
 * `hearingPanel`; the form posts to /moderation/cases/:id/hearing, the assignment form to
 * /moderation/cases/:id/assign.
 */
export function HearingPanel(props: {
  c: C;
  caseId: string;
  hearings: Hearing[];
  today: string;
  /** False when the viewer may read but not handle the case (they reported it). */
  canHandle: boolean;
  caseOpen: boolean;
  handlers?: { userId: string; handle: string; name: string }[];
  assignedTo?: string | null;
  state?: FormState;
}) {
  const { c } = props;
  const t = c.get('t');
  const state = props.state ?? emptyForm();
  const satisfied = props.hearings.some((h) => hearingComplete(h, props.today));
  const pending = props.hearings.some((h) => !h.answeredAt && h.deadlineOn >= props.today);
  return (
    <section class="card" id="hearing">
      <h2>{t('moderation.hearing.section')}</h2>
      {props.hearings.length === 0 ? <p>{t('moderation.hearing.none')}</p> : null}
      {props.hearings.map((h) => (
        <HearingFacts c={c} h={h} today={props.today} />
      ))}
      {satisfied ? <p class="notice">{t('moderation.hearing.satisfied')}</p> : null}
      {props.canHandle && props.caseOpen && !pending ? (
        <>
          <FormErrors state={state} />
          <form method="post" action={`/moderation/cases/${props.caseId}/hearing`} class="stack">
            <Csrf c={c} />
            <TextArea
              state={state}
              name="accusation"
              label={t('moderation.hearing.field.accusation')}
              hint={t('moderation.hearing.hint.accusation')}
              required
              rows={5}
            />
            <Field
              state={state}
              name="aup_clause"
              label={t('moderation.hearing.field.clause')}
              hint={t('moderation.report.hint.clause')}
            />
            <Field
              state={state}
              name="deadline_days"
              type="number"
              inputmode="numeric"
              label={t('moderation.hearing.field.days')}
              value={String(DEFAULT_HEARING_DAYS)}
            />
            <button type="submit">{t('moderation.hearing.send')}</button>
          </form>
        </>
      ) : null}
      {props.canHandle && props.caseOpen && props.handlers?.length ? (
        <form method="post" action={`/moderation/cases/${props.caseId}/assign`} class="stack">
          <Csrf c={c} />
          <label for="f-assignee">{t('moderation.triage.assignee')}</label>
          <select id="f-assignee" name="assignee">
            {props.handlers.map((h) => (
              <option value={h.userId} selected={h.userId === props.assignedTo}>
                {h.name} (@{h.handle})
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            {t('moderation.triage.assign')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** The member's own page: what they are accused of, and their answer. Nothing else. */
export function MemberHearingPage(props: {
  c: C;
  hearing: Hearing;
  caseNumber: number;
  today: string;
  state: FormState;
}) {
  const { c, hearing: h, state } = props;
  const t = c.get('t');
  const open = !h.answeredAt && h.deadlineOn >= props.today;
  return (
    <section>
      <h1>{t('moderation.hearing.title')}</h1>
      <p>
        {t('moderation.hearing.member_intro', {
          association: c.get('association')?.name ?? t('app.name'),
          number: props.caseNumber,
        })}
      </p>
      <HearingFacts c={c} h={h} today={props.today} />
      <FormErrors state={state} />
      {open ? (
        <>
          <form method="post" action={`/moderation/hearings/${h.id}`} class="stack">
            <Csrf c={c} />
            <TextArea
              state={state}
              name="answer"
              label={t('moderation.hearing.your_answer')}
              hint={t('moderation.hearing.answer_hint')}
              required
              rows={8}
            />
            <button type="submit">{t('moderation.hearing.submit_answer')}</button>
          </form>
        </>
      ) : null}
      <p class="muted">{t('moderation.hearing.email_after')}</p>
    </section>
  );
}
