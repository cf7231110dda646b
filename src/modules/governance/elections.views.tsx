import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import type { T } from '../../app/i18n.js';
import { OFFICES } from '../members/members.tables.js';
import type { Candidate, Election } from './elections.repository.js';
import { electionName, termDates, type ElectionSpec } from './elections.usecases.js';
import { meetingTitle } from './governance.labels.js';
import type { AgendaItem, Meeting } from './meetings.repository.js';
import type { Vote } from './votes.repository.js';

type C = Context<AppEnv>;

export function Back(props: { c: C; meeting: Meeting; election?: Election }) {
  const t = props.c.get('t');
  const base = `/meetings/${props.meeting.id}`;
  return (
    <p>
      <a href={base}>{meetingTitle(t, props.meeting)}</a> ·{' '}
      <a href={`${base}/elections`}>{t('elections.title')}</a>
      {props.election ? (
        <>
          {' '}
          · <a href={`${base}/elections/${props.election.id}`}>{electionName(t, props.election)}</a>
        </>
      ) : null}
    </p>
  );
}

export function statusLabel(t: T, e: Election, tie: boolean): string {
  if (tie) return t('elections.status.tie');
  return t(`elections.status.${e.status}`);
}

export function Term(props: { c: C; election: Election }) {
  const { c, election } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const { startsOn, endsOn } = termDates(election);
  return (
    <>
      {t('elections.term', {
        months: election.termMonths,
        from: formatDate(startsOn, locale),
        to: formatDate(endsOn, locale),
      })}
    </>
  );
}

/** The meeting's elections; the board gets the standard set and a form for one more. */
export function ElectionsPage(props: {
  c: C;
  meeting: Meeting;
  elections: { election: Election; standing: number }[];
  /** The standard elections the settings give for this meeting (empty: none offered). */
  standard: ElectionSpec[];
  agenda: AgendaItem[];
  canManage: boolean;
  state: FormState;
  requestKey: string;
}) {
  const { c, meeting, state } = props;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}/elections`;
  const open = meeting.status !== 'closed' && meeting.status !== 'cancelled';
  return (
    <section class="stack">
      <p>
        <a href={`/meetings/${meeting.id}`}>{meetingTitle(t, meeting)}</a>
      </p>
      <h1>{t('elections.title')}</h1>
      <FormErrors state={state} />
      {props.elections.length === 0 ? <p>{t('elections.none')}</p> : null}
      <ul class="stack">
        {props.elections.map(({ election: e, standing }) => (
          <li>
            <a href={`${base}/${e.id}`}>{electionName(t, e)}</a> ·{' '}
            {t('elections.seats', { seats: e.seats })} · <Term c={c} election={e} /> ·{' '}
            {t('elections.candidates_count', { count: standing })} ·{' '}
            {t(`elections.status.${e.status}`)}
          </li>
        ))}
      </ul>
      {props.canManage && open && meeting.kind !== 'board' ? (
        <>
          {props.elections.length === 0 && meeting.kind !== 'extraordinary' ? (
            <form method="post" action={`${base}/standard`} class="stack">
              <Csrf c={c} />
              <input type="hidden" name="request_key" value={props.requestKey} />
              <h2>{t('elections.standard.title')}</h2>
              <p>
                {t(
                  meeting.kind === 'founding'
                    ? 'elections.standard.intro_founding'
                    : 'elections.standard.intro',
                )}
              </p>
              <ul>
                {props.standard.map((s) => (
                  <li>
                    {t(`elections.office.${s.office}`)} · {t('elections.seats', { seats: s.seats })}{' '}
                    · {t('elections.standard.term', { months: s.termMonths })}
                  </li>
                ))}
              </ul>
              <button type="submit">{t('elections.standard.create')}</button>
            </form>
          ) : null}
          <h2>{t('elections.new')}</h2>
          <form method="post" action={base} class="stack">
            <Csrf c={c} />
            <input type="hidden" name="request_key" value={props.requestKey} />
            <Select
              state={state}
              name="office"
              label={t('elections.field.office')}
              options={OFFICES.map((o) => ({ value: o, label: t(`elections.office.${o}`) }))}
            />
            <Field
              state={state}
              name="title"
              label={t('elections.field.title')}
              hint={t('elections.field.title_hint')}
            />
            <Field
              state={state}
              name="seats"
              label={t('elections.field.seats')}
              inputmode="numeric"
              value="1"
              required
            />
            <Field
              state={state}
              name="term_months"
              label={t('elections.field.term_months')}
              inputmode="numeric"
              value="24"
              required
            />
            <Field
              state={state}
              name="term_starts_on"
              type="date"
              label={t('elections.field.term_starts_on')}
              hint={t('elections.field.term_starts_on_hint')}
            />
            <Select
              state={state}
              name="agenda_item_id"
              label={t('elections.field.agenda_item')}
              options={[
                { value: '', label: t('elections.field.agenda_default') },
                ...props.agenda
                  .filter((a) => a.kind === 'elections')
                  .map((a) => ({
                    value: a.id,
                    label: `${a.position}. ${a.title ?? t('governance.agenda.elections')}`,
                  })),
              ]}
            />
            <button type="submit">{t('elections.create')}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}

export type ElectionView = {
  election: Election;
  candidates: Candidate[];
  vote: Vote | null;
  voted: number;
  present: number;
  tie: { tied: string[]; seatsLeft: number } | null;
  me: { memberId: string; mayVote: boolean; hasVoted: boolean } | null;
  officer: boolean;
  meetingLive: boolean;
};

function candidateState(t: T, c: Candidate, decided: boolean): string {
  if (c.withdrawnAt) return t('elections.candidate.withdrawn');
  if (!c.acceptedAt) return t('elections.candidate.pending');
  if (c.elected) return t('elections.candidate.elected');
  return decided ? t('elections.candidate.not_elected') : t('elections.candidate.standing');
}

/** One election: candidates, nominations, and what the officers can do next. */
export function ElectionPage(props: {
  c: C;
  meeting: Meeting;
  view: ElectionView;
  state: FormState;
}) {
  const { c, meeting, state } = props;
  const { election: e, candidates, vote, me, officer } = props.view;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}/elections/${e.id}`;
  const nominating = e.status === 'nominating';
  const standing = candidates.filter((x) => x.acceptedAt && !x.withdrawnAt);
  const shown = candidates.filter((x) => !x.withdrawnAt || officer);
  return (
    <section class="stack">
      <Back c={c} meeting={meeting} />
      <h1>{electionName(t, e)}</h1>
      <p>
        {t(`elections.office.${e.office}`)} · {t('elections.seats', { seats: e.seats })} ·{' '}
        <Term c={c} election={e} />
      </p>
      <p>
        <strong>{statusLabel(t, e, !!props.view.tie)}</strong>
      </p>
      <FormErrors state={state} />

      <h2>{t('elections.candidates')}</h2>
      {shown.length === 0 ? <p>{t('elections.no_candidates')}</p> : null}
      <ul class="stack" id="candidates">
        {shown.map((x) => (
          <li>
            <strong>{x.name}</strong> ({t('elections.member_no', { number: x.memberNumber })}) ·{' '}
            {candidateState(t, x, e.status === 'decided')}
            {x.selfNominated ? <> · {t('elections.candidate.self')}</> : null}
            {x.statement ? <p class="doc">{x.statement}</p> : null}
            {nominating && me?.memberId === x.memberId && !x.acceptedAt && !x.withdrawnAt ? (
              <div class="actions">
                <form method="post" action={`${base}/candidates/${x.id}/accept`}>
                  <Csrf c={c} />
                  <button type="submit">{t('elections.nomination.accept')}</button>
                </form>{' '}
                <form method="post" action={`${base}/candidates/${x.id}/decline`}>
                  <Csrf c={c} />
                  <button type="submit" class="secondary">
                    {t('elections.nomination.decline')}
                  </button>
                </form>
              </div>
            ) : null}
            {nominating &&
            !x.withdrawnAt &&
            (officer || me?.memberId === x.memberId || me?.memberId === x.nominatedBy) &&
            !(me?.memberId === x.memberId && !x.acceptedAt) ? (
              <form method="post" action={`${base}/candidates/${x.id}/withdraw`}>
                <Csrf c={c} />
                <button type="submit" class="secondary">
                  {t('elections.nomination.withdraw')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>

      {nominating && me ? (
        <form method="post" action={`${base}/nominations`} class="stack">
          <Csrf c={c} />
          <h2>{t('elections.nomination.title')}</h2>
          <p class="hint">{t('elections.nomination.intro')}</p>
          <div class="field">
            <div class="checkbox">
              <input
                id="f-self"
                type="checkbox"
                name="self"
                checked={state.values['self'] === 'on'}
              />
              <label for="f-self">{t('elections.nomination.self')}</label>
            </div>
          </div>
          <Field
            state={state}
            name="member_number"
            label={t('elections.field.member_number')}
            hint={t('elections.field.member_number_hint')}
            inputmode="numeric"
          />
          <TextArea
            state={state}
            name="statement"
            label={t('elections.field.statement')}
            rows={3}
          />
          <button type="submit">{t('elections.nomination.submit')}</button>
        </form>
      ) : null}

      {vote && vote.status === 'open' ? (
        <p>
          {me?.hasVoted ? (
            t('elections.ballot.already')
          ) : me?.mayVote ? (
            <a class="button" href={`${base}/ballot`}>
              {t('elections.ballot.go')}
            </a>
          ) : (
            t('elections.voting_now')
          )}
        </p>
      ) : null}
      {vote || e.status === 'decided' ? (
        <p>
          <a href={`${base}/results`}>{t('elections.results.show')}</a>
        </p>
      ) : null}

      {officer && props.view.meetingLive ? (
        <OfficerActions c={c} base={base} view={props.view} standing={standing.length} />
      ) : null}
      {officer && nominating ? (
        <form method="post" action={`${base}/nominations/room`} class="stack">
          <Csrf c={c} />
          <h2>{t('elections.room.title')}</h2>
          <p class="hint">{t('elections.room.intro')}</p>
          <Field
            state={state}
            name="member_number"
            idPrefix="room-"
            label={t('elections.field.member_number')}
            inputmode="numeric"
            required
          />
          <button type="submit">{t('elections.room.submit')}</button>
        </form>
      ) : null}
    </section>
  );
}

function OfficerActions(props: { c: C; base: string; view: ElectionView; standing: number }) {
  const { c, base, view } = props;
  const t = c.get('t');
  const e = view.election;
  const vote = view.vote;
  return (
    <section class="stack" aria-labelledby="officer-actions">
      <h2 id="officer-actions">{t('elections.officer.title')}</h2>
      {e.status === 'nominating' && props.standing > 0 ? (
        <>
          {props.standing <= e.seats ? (
            <form method="post" action={`${base}/acclamation`}>
              <Csrf c={c} />
              <p>{t('elections.acclamation.intro', { count: props.standing, seats: e.seats })}</p>
              <button type="submit">{t('elections.acclamation.declare')}</button>
            </form>
          ) : null}
          <form method="post" action={`${base}/start`}>
            <Csrf c={c} />
            <p>{t('elections.start.intro')}</p>
            <button type="submit">{t('elections.start.button')}</button>
          </form>
        </>
      ) : null}
      {vote && vote.status === 'open' ? (
        <form method="post" action={`${base}/close`}>
          <Csrf c={c} />
          <p>{t('votes.results.progress', { voted: view.voted, present: view.present })}</p>
          <button type="submit">{t('elections.close')}</button>
        </form>
      ) : null}
      {view.tie ? (
        <>
          <p>
            {t('elections.tie.intro', {
              names: view.candidates
                .filter((x) => view.tie!.tied.includes(x.id))
                .map((x) => x.name)
                .join(', '),
              seats: view.tie.seatsLeft,
            })}
          </p>
          <form method="post" action={`${base}/runoff`}>
            <Csrf c={c} />
            <button type="submit">{t('elections.tie.runoff')}</button>
          </form>
          <form method="post" action={`${base}/lots`}>
            <Csrf c={c} />
            <button type="submit" class="secondary">
              {t('elections.tie.lots')}
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}
