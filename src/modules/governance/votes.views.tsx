import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import type { MessageKey, T } from '../../app/i18n.js';
import { meetingTitle } from './governance.labels.js';
import type { AgendaItem, Meeting } from './meetings.repository.js';
import type { Proposal } from './proposals.repository.js';
import type { Vote } from './votes.repository.js';
import { MAJORITY_RULES, VOTE_KINDS } from './votes.tables.js';

type C = Context<AppEnv>;

export function optionLabel(t: T, option: string): string {
  return option === 'yes' || option === 'no' || option === 'blank'
    ? t(`votes.option.${option}` as MessageKey)
    : option;
}

export function ruleLabel(t: T, vote: Pick<Vote, 'rule' | 'majority'>): string {
  const rule =
    vote.rule === 'statutes'
      ? t('votes.rule.statutes', { n: vote.majority.numerator, d: vote.majority.denominator })
      : t(`votes.rule.${vote.rule}`);
  return `${rule}, ${t(`votes.base.${vote.majority.base}`)}`;
}

/** The meeting's votes; officers get the form for a new one. */
export function VotesPage(props: {
  c: C;
  meeting: Meeting;
  votes: Vote[];
  /** Candidate names by id: an election vote's options are candidate ids. */
  candidateNames?: Record<string, string>;
  agenda: AgendaItem[];
  proposals: Proposal[];
  officer: boolean;
  voter: { onRegister: boolean; present: boolean } | null;
  present: number;
  state: FormState;
  proxiesEnabled?: boolean;
}) {
  const { c, meeting, state } = props;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}`;
  return (
    <section class="stack">
      <p>
        <a href={base}>{meetingTitle(t, meeting)}</a>
        {props.officer ? (
          <>
            {' '}
            · <a href={`${base}/register`}>{t('votes.register.link')}</a> ·{' '}
            <a href={`${base}/proxies`}>{t('proxies.officer.link')}</a>
          </>
        ) : null}
        {props.proxiesEnabled && props.voter?.onRegister ? (
          <>
            {' '}
            · <a href={`${base}/proxy`}>{t('proxies.link')}</a>
          </>
        ) : null}
      </p>
      <h1>{t('votes.title')}</h1>
      <FormErrors state={state} />
      {meeting.status === 'scheduled' ? <p>{t('votes.meeting.not_started')}</p> : null}
      {meeting.status === 'in_progress' ? (
        <p>{t('votes.results.present', { present: props.present })}</p>
      ) : null}
      <CheckIn c={c} meeting={meeting} voter={props.voter} />
      {props.votes.length === 0 ? <p>{t('votes.none')}</p> : null}
      <ul class="stack">
        {props.votes.map((v) => (
          <li>
            <a
              href={v.electionRef ? `${base}/elections/${v.electionRef}` : `${base}/votes/${v.id}`}
            >
              {v.subject}
            </a>{' '}
            · {t(`votes.status.${v.status}`)}
            {v.outcome ? <> · {t(`votes.results.outcome.${v.outcome}`)}</> : null}
            {v.electionRef ? (
              <span class="muted">
                {' '}
                · {v.options.map((o) => props.candidateNames?.[o] ?? optionLabel(t, o)).join(', ')}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {props.officer && meeting.status !== 'closed' && meeting.status !== 'cancelled' ? (
        <>
          <h2>{t('votes.new')}</h2>
          <form method="post" action={`${base}/votes`} class="stack">
            <Csrf c={c} />
            <Field state={state} name="subject" label={t('votes.field.subject')} required />
            <Select
              state={state}
              name="kind"
              label={t('votes.field.kind')}
              options={VOTE_KINDS.map((k) => ({ value: k, label: t(`votes.kind.${k}`) }))}
            />
            <Select
              state={state}
              name="rule"
              label={t('votes.field.rule')}
              options={MAJORITY_RULES.map((r) => ({
                value: r,
                label: t(`votes.rule_choice.${r}`),
              }))}
            />
            <Select
              state={state}
              name="agenda_item_id"
              label={t('votes.field.agenda_item')}
              options={[
                { value: '', label: t('votes.field.none') },
                ...props.agenda.map((a) => ({
                  value: a.id,
                  label: `${a.position}. ${a.title ?? t(`governance.agenda.${a.kind}` as MessageKey)}`,
                })),
              ]}
            />
            <Select
              state={state}
              name="proposal_id"
              label={t('votes.field.proposal')}
              options={[
                { value: '', label: t('votes.field.none') },
                ...props.proposals.map((p) => ({ value: p.id, label: `${p.number}. ${p.title}` })),
              ]}
            />
            <TextArea
              state={state}
              name="options"
              label={t('votes.field.options')}
              hint={t('votes.field.options_hint')}
              rows={3}
            />
            <button type="submit">{t('votes.create')}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}

function CheckIn(props: {
  c: C;
  meeting: Meeting;
  voter: { onRegister: boolean; present: boolean } | null;
}) {
  const { c, meeting, voter } = props;
  const t = c.get('t');
  if (!voter || meeting.status !== 'in_progress') return null;
  if (!voter.onRegister)
    return (
      <p class="warn">
        {t('votes.checkin.not_on_register', {
          date: meeting.qualifyingOn ? formatDate(meeting.qualifyingOn, c.get('locale')) : '–',
        })}
      </p>
    );
  if (voter.present) return <p>{t('votes.checkin.you_are_in')}</p>;
  return (
    <form method="post" action={`/meetings/${meeting.id}/checkin`}>
      <Csrf c={c} />
      <button type="submit">{t('votes.checkin.button')}</button>
    </form>
  );
}

export function VotePage(props: {
  c: C;
  meeting: Meeting;
  vote: Vote;
  officer: boolean;
  voter: { onRegister: boolean; present: boolean; voted: boolean } | null;
  secretRequests: number;
  threshold: number;
  voted: number;
  present: number;
  /** Of those present, members represented by a proxy holder (docs: Proxies). */
  byProxy?: number;
  /** A proxy holder's ballots on behalf of others (proxies.views). */
  proxyBallots?: Child;
  participants: { memberNumber: number; name: string }[] | null;
  named: { memberNumber: number; name: string; choice: string }[] | null;
  state: FormState;
}) {
  const { c, meeting, vote, state } = props;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}/votes/${vote.id}`;
  return (
    <section class="stack">
      <p>
        <a href={`/meetings/${meeting.id}/votes`}>
          {meetingTitle(t, meeting)} · {t('votes.title')}
        </a>
      </p>
      <h1>{vote.subject}</h1>
      <p>
        {t(`votes.kind.${vote.kind}`)} · {ruleLabel(t, vote)} · {t(`votes.status.${vote.status}`)}
      </p>
      {props.byProxy ? (
        <p id="present-by-proxy">
          {t('proxies.present_line', { present: props.present, proxies: props.byProxy })}
        </p>
      ) : null}
      <FormErrors state={state} />
      <CheckIn c={c} meeting={meeting} voter={props.voter} />
      {vote.status === 'draft' && vote.kind !== 'secret' && props.voter?.present ? (
        <form method="post" action={`${base}/secret-request`}>
          <Csrf c={c} />
          <p>
            {t('votes.secret_request.count', {
              count: props.secretRequests,
              threshold: props.threshold,
            })}
          </p>
          <button type="submit" class="secondary">
            {t('votes.secret_request.button')}
          </button>
        </form>
      ) : null}
      {vote.status === 'open' && vote.kind !== 'open' && props.voter?.present ? (
        props.voter.voted ? (
          <p>{t('votes.ballot.already')}</p>
        ) : (
          <form method="post" action={`${base}/ballot`} class="stack">
            <Csrf c={c} />
            <fieldset>
              <legend>{t('votes.ballot.title')}</legend>
              {vote.options.map((o, i) => (
                <p>
                  <label>
                    <input type="radio" name="choice" value={o} required id={`choice-${i}`} />{' '}
                    {optionLabel(t, o)}
                  </label>
                </p>
              ))}
            </fieldset>
            <p class="muted">
              {vote.kind === 'secret'
                ? t('votes.ballot.secret_note')
                : t('votes.ballot.named_note')}
            </p>
            <button type="submit">{t('votes.ballot.cast')}</button>
          </form>
        )
      ) : null}
      {props.proxyBallots ?? null}
      <p>
        <a href={`${base}/results`}>{t('votes.results.show')}</a>
      </p>
      {props.officer ? (
        <>
          {vote.status === 'draft' ? (
            <form method="post" action={`${base}/open`}>
              <Csrf c={c} />
              <p>
                {t('votes.secret_request.count', {
                  count: props.secretRequests,
                  threshold: props.threshold,
                })}
              </p>
              <button type="submit">{t('votes.open')}</button>
            </form>
          ) : null}
          {vote.status === 'open' && vote.kind !== 'open' ? (
            <form method="post" action={`${base}/close`}>
              <Csrf c={c} />
              <p>{t('votes.results.progress', { voted: props.voted, present: props.present })}</p>
              <button type="submit">{t('votes.close')}</button>
            </form>
          ) : null}
          {vote.status === 'open' && vote.kind === 'open' ? (
            <form method="post" action={`${base}/counts`} class="stack">
              <Csrf c={c} />
              <h2>{t('votes.counts.title')}</h2>
              <p>{t('votes.results.present', { present: props.present })}</p>
              {vote.options.map((o, i) => (
                <Field
                  state={state}
                  name={`count_${i}`}
                  label={optionLabel(t, o)}
                  inputmode="numeric"
                  required
                />
              ))}
              <button type="submit">{t('votes.counts.save')}</button>
            </form>
          ) : null}
          {props.participants ? (
            <>
              <h2>{t('votes.participants.title')}</h2>
              {vote.kind === 'secret' ? (
                <p class="muted">{t('votes.participants.secret_note')}</p>
              ) : null}
              <ul>
                {props.participants.map((p) => (
                  <li>
                    {p.memberNumber} {p.name}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
      {props.named ? (
        <>
          <h2>{t('votes.named.title')}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('votes.register.number')}</th>
                  <th scope="col">{t('votes.register.name')}</th>
                  <th scope="col">{t('votes.choice')}</th>
                </tr>
              </thead>
              <tbody>
                {props.named.map((n) => (
                  <tr>
                    <td>{n.memberNumber}</td>
                    <td>{n.name}</td>
                    <td>{optionLabel(t, n.choice)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

export function ReceiptPage(props: { c: C; vote: Vote; receipt: string }) {
  const { c, vote } = props;
  const t = c.get('t');
  const base = `/meetings/${vote.meetingId}/votes/${vote.id}`;
  return (
    <section class="stack">
      <h1>{t('votes.receipt.title')}</h1>
      <p>{t('votes.ballot.done')}</p>
      <p>
        <strong>{vote.subject}</strong>
      </p>
      <p class="receipt-code" id="receipt">
        {props.receipt}
      </p>
      <p>{t('votes.receipt.intro')}</p>
      <p>
        <a href={`${base}/receipt`}>{t('votes.receipt.check')}</a> ·{' '}
        <a href={`${base}/results`}>{t('votes.results.show')}</a>
      </p>
    </section>
  );
}

export function ReceiptCheckPage(props: {
  c: C;
  meeting: Meeting;
  vote: Vote;
  code: string;
  counted: boolean | null;
}) {
  const { c, meeting, vote } = props;
  const t = c.get('t');
  return (
    <section class="stack">
      <h1>{t('votes.receipt.check')}</h1>
      <p>{vote.subject}</p>
      {props.counted === true ? <p class="notice">{t('votes.receipt.counted')}</p> : null}
      {props.counted === false ? <p class="warn">{t('votes.receipt.not_found')}</p> : null}
      <form method="get" action={`/meetings/${meeting.id}/votes/${vote.id}/receipt`} class="stack">
        <Field
          state={{ values: { code: props.code }, errors: {} }}
          name="code"
          label={t('votes.receipt.code')}
          required
        />
        <button type="submit">{t('votes.receipt.check')}</button>
      </form>
    </section>
  );
}

/** Results for people on a phone: refreshes itself (no JavaScript) while the vote runs. */
export function ResultsPage(props: {
  c: C;
  meeting: Meeting;
  vote: Vote;
  voted: number;
  present: number;
}) {
  const { c, meeting, vote } = props;
  const t = c.get('t');
  const r = vote.result;
  return (
    <section class="stack" aria-live="polite">
      {vote.status !== 'closed' ? <meta http-equiv="refresh" content="5" /> : null}
      <p>
        <a href={`/meetings/${meeting.id}/votes/${vote.id}`}>{meetingTitle(t, meeting)}</a>
      </p>
      <h1>{vote.subject}</h1>
      <p>
        {t(`votes.kind.${vote.kind}`)} · {ruleLabel(t, vote)} · {t(`votes.status.${vote.status}`)}
      </p>
      {vote.status !== 'closed' ? (
        <>
          <p>
            {vote.kind === 'open'
              ? t('votes.results.present', { present: props.present })
              : t('votes.results.progress', { voted: props.voted, present: props.present })}
          </p>
          <p class="muted">{t('votes.results.live')}</p>
        </>
      ) : null}
      {r && vote.outcome ? (
        <>
          <h2 id="outcome">{t(`votes.results.outcome.${vote.outcome}`)}</h2>
          <div class="table-wrap">
            <table>
              <tbody>
                {vote.options.map((o) => (
                  <tr>
                    <th scope="row">{optionLabel(t, o)}</th>
                    <td>{r.counts[o] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>{t('votes.results.cast', { cast: r.cast, blank: r.blank })}</p>
          <p>{t('votes.results.present', { present: r.present })}</p>
          <p>
            {t('votes.results.required', {
              required: r.required,
              base: r.base,
              base_label: t(`votes.base.${vote.majority.base}`),
            })}
          </p>
          {r.winner && r.winner !== 'yes' ? (
            <p>{t('votes.results.winner', { option: optionLabel(t, r.winner) })}</p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
