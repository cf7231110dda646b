import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import { meetingTitle } from './governance.labels.js';
import { RECOMMENDATIONS, type ProposalKind } from './governance.tables.js';
import type { Meeting } from './meetings.repository.js';
import type { Proposal } from './proposals.repository.js';
import type { DiffPart } from './statutes-diff.js';
import { DiffView } from './statutes.views.js';

type C = Context<AppEnv>;

/** Choosing the kind of proposal first lets the amendment form start from the current text. */
export function ProposalKindChoice(props: { c: C; meeting: Meeting; action: string }) {
  const { c, meeting } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section>
      <h1>{t('governance.proposal.new')}</h1>
      <p>
        {meetingTitle(t, meeting)} ·{' '}
        {t('governance.proposal.deadline', {
          date: formatDate(meeting.proposalDeadlineOn ?? meeting.meetingDate, locale),
        })}
      </p>
      <ul class="stack">
        {(['general', 'statutes', 'aup'] as const).map((kind) => (
          <li>
            <a href={`${props.action}?kind=${kind}`}>{t(`governance.proposal_kind.${kind}`)}</a>
            <p class="muted">{t(`governance.proposal_kind_hint.${kind}`)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ProposalForm(props: {
  c: C;
  meeting: Meeting;
  kind: ProposalKind;
  state: FormState;
  action: string;
  /** The board's form for a late proposal asks for the member and the decision. */
  late?: boolean;
}) {
  const { c, meeting, kind, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section>
      <h1>
        {props.late ? t('governance.late.title') : t('governance.proposal.new')}:{' '}
        {t(`governance.proposal_kind.${kind}`)}
      </h1>
      <p>
        {meetingTitle(t, meeting)} ·{' '}
        {t('governance.proposal.deadline', {
          date: formatDate(meeting.proposalDeadlineOn ?? meeting.meetingDate, locale),
        })}
      </p>
      {props.late ? <p class="warn">{t('governance.late.intro')}</p> : null}
      <FormErrors state={state} />
      <form method="post" action={props.action} class="stack">
        <Csrf c={c} />
        <input type="hidden" name="request_key" value={state.values['request_key'] ?? ''} />
        <input type="hidden" name="kind" value={kind} />
        <input
          type="hidden"
          name="amendment_locale"
          value={state.values['amendment_locale'] ?? 'nb'}
        />
        {props.late ? (
          <>
            <Field
              state={state}
              name="member_number"
              label={t('governance.late.member_number')}
              inputmode="numeric"
              required
            />
            <TextArea
              state={state}
              name="reason"
              label={t('governance.late.reason')}
              hint={t('governance.late.reason_hint')}
              required
            />
          </>
        ) : null}
        <Field state={state} name="title" label={t('governance.proposal.title_field')} required />
        <TextArea
          state={state}
          name="body"
          label={t('governance.proposal.body')}
          hint={t('governance.proposal.body_hint')}
          rows={6}
          required
        />
        {kind === 'general' || kind === 'appeal' ? null : (
          <TextArea
            state={state}
            name="amendment_text"
            label={t(`governance.proposal.amendment_${kind}`)}
            hint={t('governance.proposal.amendment_hint')}
            rows={24}
            required
          />
        )}
        <button type="submit">{t('governance.proposal.submit')}</button>
      </form>
    </section>
  );
}

export function ProposalPage(props: {
  c: C;
  meeting: Meeting;
  proposal: Proposal;
  diff: DiffPart[] | null;
  canEdit: boolean;
  canWithdraw: boolean;
  canManage: boolean;
  state: FormState;
  /** After the vote: the outcome (adoption.views). */
  outcome?: Child;
}) {
  const { c, meeting, proposal: p, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const tz = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const base = `/meetings/${meeting.id}/proposals/${p.id}`;
  return (
    <article>
      <h1>
        {t('governance.proposal.number', { number: p.number })}: {p.title}
      </h1>
      <p>
        <a href={`/meetings/${meeting.id}`}>{meetingTitle(t, meeting)}</a>
      </p>
      <FormErrors state={state} />
      {p.status === 'withdrawn' ? (
        <p class="warn">{t('governance.proposal.withdrawn_note')}</p>
      ) : null}
      <dl class="facts">
        <dt>{t('governance.proposal.kind')}</dt>
        <dd>{t(`governance.proposal_kind.${p.kind}`)}</dd>
        <dt>{t('governance.proposal.by')}</dt>
        <dd>{p.memberName}</dd>
        <dt>{t('governance.proposal.submitted')}</dt>
        <dd>{formatInstant(p.submittedAt, tz, locale)}</dd>
        {p.late ? (
          <>
            <dt>{t('governance.proposal.late_badge')}</dt>
            <dd>
              {t('governance.proposal.late_decision', {
                by: p.lateDecidedLabel ?? '',
                reason: p.lateReason ?? '',
              })}
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{t('governance.proposal.body')}</h2>
      <p class="doc">{p.body}</p>
      {props.diff ? (
        <>
          <h2>{t(`governance.proposal.amendment_${p.kind === 'aup' ? 'aup' : 'statutes'}`)}</h2>
          <DiffView c={c} parts={props.diff} />
        </>
      ) : null}
      {props.outcome ?? null}
      <h2>{t('governance.proposal.recommendation')}</h2>
      {p.recommendation ? (
        <p>
          <strong>{t(`governance.recommendation.${p.recommendation}`)}</strong>
          {p.recommendationText ? (
            <>
              <br />
              {p.recommendationText}
            </>
          ) : null}
        </p>
      ) : (
        <p class="muted">{t('governance.proposal.no_recommendation')}</p>
      )}
      {props.canEdit || props.canWithdraw ? (
        <p class="actions">
          {props.canEdit ? (
            <a class="button secondary" href={`${base}/edit`}>
              {t('governance.proposal.edit')}
            </a>
          ) : null}
          {props.canWithdraw ? (
            <form method="post" action={`${base}/withdraw`}>
              <Csrf c={c} />
              <button type="submit" class="danger">
                {t('governance.proposal.withdraw')}
              </button>
            </form>
          ) : null}
        </p>
      ) : null}
      {props.canManage && meeting.status === 'scheduled' ? (
        <form method="post" action={`${base}/recommendation`} class="stack card">
          <h2>{t('governance.proposal.recommend')}</h2>
          <Csrf c={c} />
          <Select
            state={state}
            name="recommendation"
            label={t('governance.proposal.recommendation')}
            options={RECOMMENDATIONS.map((r) => ({
              value: r,
              label: t(`governance.recommendation.${r}`),
            }))}
            value={p.recommendation ?? 'none'}
          />
          <TextArea
            state={state}
            name="recommendation_text"
            label={t('governance.proposal.recommendation_text')}
          />
          <button type="submit">{t('governance.proposal.recommend')}</button>
        </form>
      ) : null}
    </article>
  );
}

export function ProposalEditPage(props: {
  c: C;
  meeting: Meeting;
  proposal: Proposal;
  state: FormState;
}) {
  const { c, proposal: p, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>
        {t('governance.proposal.edit')}: {t('governance.proposal.number', { number: p.number })}
      </h1>
      <FormErrors state={state} />
      <form
        method="post"
        action={`/meetings/${props.meeting.id}/proposals/${p.id}/edit`}
        class="stack"
      >
        <Csrf c={c} />
        <Field state={state} name="title" label={t('governance.proposal.title_field')} required />
        <TextArea
          state={state}
          name="body"
          label={t('governance.proposal.body')}
          rows={6}
          required
        />
        {p.kind === 'general' || p.kind === 'appeal' ? null : (
          <TextArea
            state={state}
            name="amendment_text"
            label={t(`governance.proposal.amendment_${p.kind}`)}
            rows={24}
            required
          />
        )}
        <button type="submit">{t('form.save')}</button>
      </form>
    </section>
  );
}
