import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import { meetingTitle } from './governance.labels.js';
import type { Meeting } from './meetings.repository.js';
import type { Proxy } from './proxies.repository.js';
import type { Vote } from './votes.repository.js';
import { optionLabel } from './votes.views.js';

type C = Context<AppEnv>;

function Back(props: { c: C; meeting: Meeting }) {
  const t = props.c.get('t');
  const base = `/meetings/${props.meeting.id}`;
  return (
    <p>
      <a href={base}>{meetingTitle(t, props.meeting)}</a> ·{' '}
      <a href={`${base}/votes`}>{t('votes.link')}</a>
    </p>
  );
}

/** A member's page: give or revoke their proxy, and see the proxies they hold. */
export function ProxyPage(props: {
  c: C;
  meeting: Meeting;
  enabled: boolean;
  cap: number;
  frozen: boolean;
  mine: { onRegister: boolean; given: Proxy | null; held: Proxy[] } | null;
  state: FormState;
}) {
  const { c, meeting, mine, state } = props;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}/proxy`;
  const over = meeting.status === 'closed' || meeting.status === 'cancelled';
  let body;
  if (!props.enabled) body = <p>{t('proxies.disabled')}</p>;
  else if (over) body = <p>{t('proxies.over')}</p>;
  else if (!props.frozen) body = <p>{t('proxies.not_frozen')}</p>;
  else if (!mine?.onRegister) body = <p class="warn">{t('proxies.not_on_register')}</p>;
  else
    body = (
      <>
        {mine.given ? (
          <form method="post" action={`${base}/revoke`} class="stack">
            <Csrf c={c} />
            <p id="proxy-given">
              {t('proxies.given', {
                name: mine.given.holderName,
                number: mine.given.holderNumber,
              })}
            </p>
            <div>
              <button type="submit" class="secondary">
                {t('proxies.revoke')}
              </button>
            </div>
          </form>
        ) : mine.held.length === 0 ? (
          <form method="post" action={base} class="stack">
            <Csrf c={c} />
            <Field
              state={state}
              name="member_number"
              label={t('proxies.holder_number')}
              hint={t('proxies.holder_hint')}
              inputmode="numeric"
              required
            />
            <div>
              <button type="submit">{t('proxies.give')}</button>
            </div>
          </form>
        ) : null}
        <h2>{t('proxies.held_title')}</h2>
        {mine.held.length === 0 ? (
          <p>{t('proxies.held_none')}</p>
        ) : (
          <>
            <ul>
              {mine.held.map((p) => (
                <li>{t('proxies.member', { name: p.grantorName, number: p.grantorNumber })}</li>
              ))}
            </ul>
            <p class="muted">{t('proxies.held_note')}</p>
          </>
        )}
      </>
    );
  return (
    <section class="stack">
      <Back c={c} meeting={meeting} />
      <h1>{t('proxies.title')}</h1>
      <FormErrors state={state} />
      {props.enabled ? <p>{t('proxies.intro', { cap: props.cap })}</p> : null}
      {body}
    </section>
  );
}

/** The secretary's list of proxies, and the form for a written proxy handed in. */
export function ProxiesOfficerPage(props: {
  c: C;
  meeting: Meeting;
  enabled: boolean;
  proxies: Proxy[];
  presentByProxy: number;
  state: FormState;
}) {
  const { c, meeting, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const zone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const base = `/meetings/${meeting.id}/proxies`;
  const over = meeting.status === 'closed' || meeting.status === 'cancelled';
  const active = props.proxies.filter((p) => !p.revokedAt).length;
  return (
    <section class="stack">
      <Back c={c} meeting={meeting} />
      <h1>{t('proxies.officer.title')}</h1>
      <FormErrors state={state} />
      {props.enabled ? null : <p>{t('proxies.disabled')}</p>}
      {props.proxies.length === 0 ? (
        <p>{t('proxies.officer.none')}</p>
      ) : (
        <>
          <p>
            <strong>
              {t('proxies.officer.count', { count: active, present: props.presentByProxy })}
            </strong>
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('proxies.col.grantor')}</th>
                  <th scope="col">{t('proxies.col.holder')}</th>
                  <th scope="col">{t('proxies.col.given')}</th>
                  <th scope="col">{t('proxies.col.by')}</th>
                  <th scope="col">{t('proxies.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {props.proxies.map((p) => (
                  <tr>
                    <td>{t('proxies.member', { name: p.grantorName, number: p.grantorNumber })}</td>
                    <td>{t('proxies.member', { name: p.holderName, number: p.holderNumber })}</td>
                    <td>{formatInstant(p.createdAt, zone, locale)}</td>
                    <td>{p.createdBy ?? ''}</td>
                    <td>
                      {p.revokedAt ? (
                        t('proxies.status.revoked', {
                          when: formatInstant(p.revokedAt, zone, locale),
                        })
                      ) : (
                        <>
                          {t('proxies.status.active')}
                          {over ? null : (
                            <form method="post" action={`${base}/${p.id}/revoke`}>
                              <Csrf c={c} />
                              <button type="submit" class="secondary">
                                {t('proxies.revoke')}
                              </button>
                            </form>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {props.enabled && !over ? (
        <form method="post" action={base} class="stack card">
          <h2>{t('proxies.officer.record')}</h2>
          <p class="muted">{t('proxies.officer.record_hint')}</p>
          <Csrf c={c} />
          <Field
            state={state}
            name="grantor_number"
            label={t('proxies.officer.grantor_number')}
            inputmode="numeric"
            required
          />
          <Field
            state={state}
            name="holder_number"
            label={t('proxies.officer.holder_number')}
            inputmode="numeric"
            required
          />
          <div>
            <button type="submit">{t('proxies.officer.record')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

export type HeldBallot = { memberId: string; name: string; voted: boolean };

/** On a vote's page: one ballot per member whose proxy the (present) viewer holds. */
export function ProxyBallots(props: { c: C; vote: Vote; held: HeldBallot[] }) {
  const { c, vote } = props;
  const t = c.get('t');
  const action = `/meetings/${vote.meetingId}/votes/${vote.id}/ballot`;
  return (
    <>
      {props.held.map((h, n) =>
        h.voted ? (
          <p>{t('proxies.ballot.already', { name: h.name })}</p>
        ) : (
          <form method="post" action={action} class="stack card">
            <Csrf c={c} />
            <input type="hidden" name="on_behalf_of" value={h.memberId} />
            <fieldset>
              <legend>{t('proxies.ballot.title', { name: h.name })}</legend>
              {vote.options.map((o, i) => (
                <p>
                  <label>
                    <input type="radio" name="choice" value={o} required id={`proxy-${n}-${i}`} />{' '}
                    {optionLabel(t, o)}
                  </label>
                </p>
              ))}
            </fieldset>
            <button type="submit">{t('proxies.ballot.cast', { name: h.name })}</button>
          </form>
        ),
      )}
    </>
  );
}
