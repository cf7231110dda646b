import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, type FormState } from '../../app/forms.js';
import { FoundingAttendees } from './founding.views.js';
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
      <MeetingState c={c} meeting={meeting} attendance={props.attendance} />
      {meeting.kind === 'founding' ? null : (
        <p>
          {t('votes.register.intro', {
            date: meeting.qualifyingOn ? formatDate(meeting.qualifyingOn, locale) : '–',
          })}
        </p>
      )}
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
      {meeting.status === 'in_progress' && props.canManage ? (
        <OfficersForm c={c} meeting={meeting} attendance={props.attendance} state={state} />
      ) : null}
      {meeting.kind === 'founding' ? (
        <FoundingAttendees c={c} meeting={meeting} attendance={props.attendance} state={state} />
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
      {meeting.status === 'in_progress' ? <CloseForm c={c} meeting={meeting} /> : null}
    </section>
  );
}

/** Whether the meeting runs or has closed, and who chairs it and keeps the minutes. */
function MeetingState(props: { c: C; meeting: Meeting; attendance: Attendee[] }) {
  const { c, meeting } = props;
  const t = c.get('t');
  const zone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const nameOf = (id: string | null) =>
    id ? (props.attendance.find((a) => a.memberId === id)?.name ?? '–') : '–';
  return (
    <>
      {meeting.status === 'closed' && meeting.closedAt ? (
        <p class="alert" role="status">
          {t('governance.meeting.closed', {
            when: formatInstant(meeting.closedAt, zone, c.get('locale')),
          })}
        </p>
      ) : null}
      {meeting.status === 'in_progress' ? (
        <p>
          <strong>{t('governance.meeting.in_progress')}</strong>
        </p>
      ) : null}
      {meeting.chairMemberId || meeting.secretaryMemberId ? (
        <dl class="facts">
          <dt>{t('governance.meeting.chair')}</dt>
          <dd>{nameOf(meeting.chairMemberId)}</dd>
          <dt>{t('governance.meeting.secretary')}</dt>
          <dd>{nameOf(meeting.secretaryMemberId)}</dd>
        </dl>
      ) : null}
    </>
  );
}

/** The chair and the secretary, elected as the first item, chosen among those present. */
function OfficersForm(props: { c: C; meeting: Meeting; attendance: Attendee[]; state: FormState }) {
  const { c, meeting, state } = props;
  const t = c.get('t');
  const present = props.attendance.filter((a) => a.memberId && a.checkedOutAt === null);
  const options = [
    { value: '', label: '–' },
    ...present.map((a) => ({
      value: a.memberId ?? '',
      label: a.memberNumber ? `${a.name} (${a.memberNumber})` : a.name,
    })),
  ];
  return (
    <section aria-labelledby="officers" class="stack card">
      <h2 id="officers">{t('governance.officers.title')}</h2>
      <p>{t('governance.officers.intro')}</p>
      {present.length === 0 ? (
        <p class="muted">{t('governance.officers.none_present')}</p>
      ) : (
        <form method="post" action={`/meetings/${meeting.id}/officers`} class="stack">
          <Csrf c={c} />
          <Select
            state={state}
            name="chair_member_id"
            label={t('governance.meeting.chair')}
            options={options}
            value={meeting.chairMemberId ?? ''}
          />
          <Select
            state={state}
            name="secretary_member_id"
            label={t('governance.meeting.secretary')}
            options={options}
            value={meeting.secretaryMemberId ?? ''}
          />
          <button type="submit">{t('governance.officers.submit')}</button>
        </form>
      )}
    </section>
  );
}

function CloseForm(props: { c: C; meeting: Meeting }) {
  const { c, meeting } = props;
  const t = c.get('t');
  return (
    <form method="post" action={`/meetings/${meeting.id}/close`} class="stack card">
      <h2>{t('governance.close.title')}</h2>
      <p>{t('governance.close.intro')}</p>
      {meeting.kind === 'founding' ? <p>{t('governance.close.intro_founding')}</p> : null}
      <Csrf c={c} />
      <button type="submit" class="danger">
        {t('governance.close.submit')}
      </button>
    </form>
  );
}
