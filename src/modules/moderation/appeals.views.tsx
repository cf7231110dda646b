import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, FormErrors, TextArea, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { date, instant } from '../members/members.components.js';
import type { Appeal } from './appeals.repository.js';
import type { Decision } from './decisions.repository.js';

type C = Context<AppEnv>;

const kindKey = (k: Decision['kind']): MessageKey => `moderation.decision.kind.${k}`;

/** What the member sees of a decision about them: never who reported them. */
function DecisionFacts(props: { c: C; d: Decision }) {
  const { c, d } = props;
  const t = c.get('t');
  return (
    <>
      <p>
        <strong>{t(kindKey(d.kind))}</strong>
        {d.startsOn && d.endsOn
          ? ` · ${t('moderation.decision.period', { from: date(c, d.startsOn), to: date(c, d.endsOn) })}`
          : ''}{' '}
        <span class="muted">
          · {t(`moderation.decision.state.${d.state}`)} · {instant(c, d.decidedAt)}
        </span>
      </p>
      <p>
        {t('moderation.casepage.clause')}: {d.clause}
      </p>
      <p class="pre-wrap">{d.reasons}</p>
    </>
  );
}

export function appealable(d: Decision): boolean {
  return d.kind === 'suspension' || d.kind === 'exclusion';
}

export function MyDecisionsPage(props: {
  c: C;
  decisions: Decision[];
  appeals: Appeal[];
  meetings: Map<string, string>;
  today: string;
}) {
  const { c } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('moderation.appeal.mine_title')}</h1>
      <p>{t('moderation.appeal.mine_intro')}</p>
      {props.decisions.length === 0 ? <p>{t('moderation.appeal.none')}</p> : null}
      <div>
        {props.decisions.map((d) => {
          const appeal = props.appeals.find((a) => a.decisionId === d.id);
          const open =
            appealable(d) && !appeal && !!d.appealDeadlineOn && d.appealDeadlineOn >= props.today;
          return (
            <article class="card">
              <DecisionFacts c={c} d={d} />
              {appeal ? (
                <p>
                  <strong>{t('moderation.appeal.status')}:</strong>{' '}
                  {t(`moderation.appeal.status.${appeal.status}`)}
                  {appeal.meetingId && props.meetings.get(appeal.meetingId) ? (
                    <>
                      {' · '}
                      <a href={`/meetings/${appeal.meetingId}`}>
                        {t('moderation.appeal.meeting', {
                          date: date(c, props.meetings.get(appeal.meetingId) ?? null),
                        })}
                      </a>
                    </>
                  ) : null}
                </p>
              ) : null}
              {open ? (
                <p>
                  <a href={`/moderation/appeals/new?decision=${d.id}`}>
                    {t('moderation.appeal.new')}
                  </a>{' '}
                  <span class="muted">
                    (
                    {t('moderation.decision.appeal_deadline', {
                      date: date(c, d.appealDeadlineOn),
                    })}
                    )
                  </span>
                </p>
              ) : null}
            </article>
          );
        })}
      </div>
    </section>
  );
}

export function AppealPage(props: { c: C; decision: Decision; state: FormState; today: string }) {
  const { c, decision: d, state } = props;
  const t = c.get('t');
  const passed = !d.appealDeadlineOn || d.appealDeadlineOn < props.today;
  return (
    <section>
      <h1>{t('moderation.appeal.title')}</h1>
      <div class="card">
        <h2>{t('moderation.appeal.decision')}</h2>
        <DecisionFacts c={c} d={d} />
        {d.appealDeadlineOn ? (
          <p>{t('moderation.decision.appeal_deadline', { date: date(c, d.appealDeadlineOn) })}</p>
        ) : null}
      </div>
      {passed ? (
        <p class="alert" role="alert">
          {t('moderation.appeal.deadline_passed', { date: date(c, d.appealDeadlineOn) })}
        </p>
      ) : (
        <form method="post" action="/moderation/appeals" class="card">
          <p>{t('moderation.appeal.intro')}</p>
          <Csrf c={c} />
          <FormErrors state={state} />
          <input type="hidden" name="decision" value={d.id} />
          <TextArea
            state={state}
            name="text"
            label={t('moderation.appeal.text')}
            hint={t('moderation.appeal.text_hint')}
            rows={8}
            required
          />
          <button type="submit">{t('moderation.appeal.submit')}</button>
        </form>
      )}
    </section>
  );
}
