import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import { meetingTitle } from './governance.labels.js';
import type { Meeting } from './meetings.repository.js';
import type { Attendee, RegisterEntry, VoterRegister } from './register.repository.js';

type C = Context<AppEnv>;

export function RegisterPage(props: {
  c: C;
  meeting: Meeting;
  register: VoterRegister | null;
  entries: RegisterEntry[];
  attendance: Attendee[];
  present: number;
  canManage: boolean;
  state: FormState;
}) {
  const { c, meeting, register, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const zone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const base = `/meetings/${meeting.id}`;
  const presentIds = new Set(
    props.attendance.filter((a) => !a.checkedOutAt).map((a) => a.memberId),
  );
  return (
    <section class="stack">
      <p>
        <a href={base}>{meetingTitle(t, meeting)}</a> ·{' '}
        <a href={`${base}/votes`}>{t('votes.link')}</a>
      </p>
      <h1>{t('votes.register.title')}</h1>
      <FormErrors state={state} />
      <p>
        {t('votes.register.intro', {
          date: meeting.qualifyingOn ? formatDate(meeting.qualifyingOn, locale) : '–',
        })}
      </p>
      {register ? (
        <>
          <p>
            {t('votes.register.frozen', {
              when: formatInstant(register.frozenAt, zone, locale),
              count: register.eligibleCount,
            })}
          </p>
          <p>
            {register.approvedAt
              ? t('votes.register.approved', {
                  when: formatInstant(register.approvedAt, zone, locale),
                  by: register.approvedBy ?? '',
                })
              : t('votes.register.not_approved')}
          </p>
          {register.approvedAt ? null : (
            <form method="post" action={`${base}/register/approve`}>
              <Csrf c={c} />
              <button type="submit">{t('votes.register.approve')}</button>
            </form>
          )}
        </>
      ) : (
        <>
          <p>{t('votes.register.not_frozen')}</p>
          {props.canManage ? (
            <form method="post" action={`${base}/register/freeze`}>
              <Csrf c={c} />
              <button type="submit">{t('votes.register.freeze')}</button>
            </form>
          ) : null}
        </>
      )}
      {meeting.status === 'scheduled' && props.canManage ? (
        <form method="post" action={`${base}/open`}>
          <Csrf c={c} />
          <p class="muted">{t('votes.meeting.open_hint')}</p>
          <button type="submit">{t('votes.meeting.open')}</button>
        </form>
      ) : null}
      {meeting.status === 'in_progress' ? (
        <>
          <h2>{t('votes.attendance.title')}</h2>
          <p>
            <strong>
              {t('votes.attendance.count', {
                present: props.present,
                eligible: register?.eligibleCount ?? 0,
              })}
            </strong>
          </p>
          <form method="post" action={`${base}/attendance`} class="stack">
            <Csrf c={c} />
            <Field
              state={state}
              name="member_number"
              label={t('votes.attendance.member_number')}
              inputmode="numeric"
              required
            />
            <div>
              <button type="submit" name="action" value="in">
                {t('votes.attendance.check_in')}
              </button>{' '}
              <button type="submit" name="action" value="out" class="secondary">
                {t('votes.attendance.check_out')}
              </button>
            </div>
          </form>
        </>
      ) : null}
      {register ? (
        <>
          <h2>{t('votes.register.voters')}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('votes.register.number')}</th>
                  <th scope="col">{t('votes.register.name')}</th>
                  <th scope="col">{t('votes.register.present')}</th>
                </tr>
              </thead>
              <tbody>
                {props.entries.map((e) => (
                  <tr>
                    <td>{e.memberNumber}</td>
                    <td>{e.name}</td>
                    <td>{presentIds.has(e.memberId) ? '✓' : ''}</td>
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
