import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, FormErrors, type FormState } from '../../app/forms.js';
import type { Candidate, Election } from './elections.repository.js';
import { electionName, termDates } from './elections.usecases.js';
import { Back, statusLabel } from './elections.views.js';
import type { Meeting } from './meetings.repository.js';
import type { Vote } from './votes.repository.js';

type C = Context<AppEnv>;

/** The ballot, for a phone: check up to `seats` candidates, or blank. */
export function BallotPage(props: {
  c: C;
  meeting: Meeting;
  election: Election;
  vote: Vote;
  candidates: Candidate[];
  seatsOpen: number;
  state: FormState;
}) {
  const { c, meeting, election, vote, state } = props;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}/elections/${election.id}`;
  const inVote = props.candidates.filter((x) => vote.options.includes(x.id));
  return (
    <section class="stack">
      <Back c={c} meeting={meeting} election={election} />
      <h1>{t('elections.ballot.title', { election: electionName(t, election) })}</h1>
      <FormErrors state={state} />
      <form method="post" action={`${base}/ballot`} class="stack">
        <Csrf c={c} />
        <fieldset>
          <legend>{t('elections.ballot.mark', { seats: props.seatsOpen })}</legend>
          {inVote.map((x) => (
            <p class="checkbox">
              <input
                type="checkbox"
                id={`c_${x.id}`}
                name={`c_${x.id}`}
                checked={state.values[`c_${x.id}`] === 'on'}
              />
              <label for={`c_${x.id}`}>{x.name}</label>
            </p>
          ))}
          <p class="checkbox">
            <input
              type="checkbox"
              id="blank"
              name="blank"
              checked={state.values['blank'] === 'on'}
            />
            <label for="blank">{t('elections.ballot.blank')}</label>
          </p>
        </fieldset>
        <p class="muted">{t('votes.ballot.secret_note')}</p>
        <button type="submit">{t('votes.ballot.cast')}</button>
      </form>
    </section>
  );
}

/** After casting: the receipt code, shown once. */
export function ElectionReceiptPage(props: {
  c: C;
  meeting: Meeting;
  election: Election;
  vote: Vote;
  receipt: string;
}) {
  const { c, meeting, election, vote } = props;
  const t = c.get('t');
  return (
    <section class="stack">
      <Back c={c} meeting={meeting} election={election} />
      <h1>{t('votes.receipt.title')}</h1>
      <p>{t('votes.ballot.done')}</p>
      <p class="receipt-code" id="receipt">
        {props.receipt}
      </p>
      <p>{t('votes.receipt.intro')}</p>
      <p>
        <a href={`/meetings/${meeting.id}/votes/${vote.id}/receipt`}>{t('votes.receipt.check')}</a>{' '}
        ·{' '}
        <a href={`/meetings/${meeting.id}/elections/${election.id}/results`}>
          {t('elections.results.show')}
        </a>
      </p>
    </section>
  );
}

/** Results with the votes per candidate, round by round; refreshes while a vote runs. */
export function ElectionResultsPage(props: {
  c: C;
  meeting: Meeting;
  election: Election;
  candidates: Candidate[];
  votes: Vote[];
  tie: boolean;
}) {
  const { c, meeting, election: e } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const running = props.votes.some((v) => v.status === 'open');
  const byId = new Map(props.candidates.map((x) => [x.id, x]));
  const elected = props.candidates
    .filter((x) => x.elected)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const { startsOn, endsOn } = termDates(e);
  return (
    <section class="stack" aria-live="polite">
      {running ? <meta http-equiv="refresh" content="5" /> : null}
      <Back c={c} meeting={meeting} election={e} />
      <h1>{t('elections.results.title', { election: electionName(t, e) })}</h1>
      <p>
        <strong id="outcome">{statusLabel(t, e, props.tie)}</strong>
      </p>
      {e.status === 'decided' ? (
        <>
          {props.votes.length === 0 ? <p>{t('elections.results.acclamation')}</p> : null}
          <h2>{t('elections.results.elected')}</h2>
          {elected.length === 0 ? <p>{t('elections.results.nobody')}</p> : null}
          <ul id="elected">
            {elected.map((x) => (
              <li>
                {x.name} — {t(`elections.office.${e.office}`)},{' '}
                {t('elections.results.term', {
                  from: formatDate(startsOn, locale),
                  to: formatDate(endsOn, locale),
                })}
              </li>
            ))}
          </ul>
          {elected.length < e.seats ? (
            <p class="warn">
              {t('elections.results.unfilled', { count: e.seats - elected.length })}
            </p>
          ) : null}
        </>
      ) : null}
      {props.votes.map((v, i) => (
        <section class="stack">
          <h2>
            {i === 0 ? t('elections.results.round_first') : t('elections.results.runoff', { n: i })}
            {' · '}
            {t(`votes.status.${v.status}`)}
          </h2>
          {v.status === 'open' ? <p class="muted">{t('votes.results.live')}</p> : null}
          {v.result ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('elections.results.rank')}</th>
                    <th scope="col">{t('elections.results.candidate')}</th>
                    <th scope="col">{t('elections.results.votes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.options
                    .filter((o) => o !== 'blank')
                    .sort((a, b) => (v.result!.counts[b] ?? 0) - (v.result!.counts[a] ?? 0))
                    .map((o) => {
                      const x = byId.get(o);
                      return (
                        <tr>
                          <td>{x?.rank ?? ''}</td>
                          <td>
                            {x?.name ?? o}
                            {x?.elected ? ` ✓ ${t('elections.candidate.elected')}` : ''}
                          </td>
                          <td>{v.result!.counts[o] ?? 0}</td>
                        </tr>
                      );
                    })}
                </tbody>
              </table>
            </div>
          ) : null}
          {v.result ? (
            <p>
              {t('elections.results.cast', {
                cast: v.result.cast,
                blank: v.result.blank,
                present: v.result.present,
              })}
            </p>
          ) : null}
        </section>
      ))}
    </section>
  );
}
