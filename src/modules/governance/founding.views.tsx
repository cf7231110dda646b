import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Checkbox, Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { Meeting } from './meetings.repository.js';
import type { Attendee } from './register.repository.js';

type C = Context<AppEnv>;

/** Whether the public page of a founding meeting takes registrations now. */
export function takesSelfRegistration(m: Meeting): boolean {
  if (m.kind !== 'founding') return false;
  return m.status === 'scheduled' || (m.status === 'in_progress' && m.format !== 'physical');
}

/** `self`: the person fills in their own details (the browser may suggest them). */
function AttendeeFields(props: { c: C; state: FormState; self: boolean }) {
  const t = props.c.get('t');
  return (
    <>
      <Field
        state={props.state}
        name="name"
        label={t('governance.founding.field.name')}
        autocomplete={props.self ? 'name' : 'off'}
        required
      />
      <Field
        state={props.state}
        name="email"
        type="email"
        label={t('governance.founding.field.email')}
        autocomplete={props.self ? 'email' : 'off'}
        required
      />
      <Checkbox
        state={props.state}
        name="wants_membership"
        label={t('governance.founding.field.wants_membership')}
        checked
      />
    </>
  );
}

/** The open call's sign-up: before the meeting, or online while it runs. */
export function FoundingSignup(props: { c: C; meeting: Meeting; state: FormState }) {
  const { c, meeting: m, state } = props;
  const t = c.get('t');
  if (m.kind !== 'founding') return null;
  if (!takesSelfRegistration(m))
    return (
      <>
        <FormErrors state={state} />
        {m.status === 'in_progress' ? (
          <p class="muted">{t('governance.founding.physical_note')}</p>
        ) : null}
      </>
    );
  return (
    <section aria-labelledby="founding-signup" class="card">
      <h2 id="founding-signup">{t('governance.founding.register_title')}</h2>
      <p>
        {m.status === 'scheduled'
          ? t('governance.founding.register_intro_before')
          : t('governance.founding.register_intro_during')}
      </p>
      <FormErrors state={state} />
      <form method="post" action={`/meetings/${m.id}/attend`} class="stack">
        <Csrf c={c} />
        <AttendeeFields c={c} state={state} self />
        <button type="submit">{t('governance.founding.submit')}</button>
      </form>
    </section>
  );
}

/** The secretary's list and form of the founding meeting's attendees. */
export function FoundingAttendees(props: {
  c: C;
  meeting: Meeting;
  attendance: Attendee[];
  state: FormState;
}) {
  const { c, meeting: m, state } = props;
  const t = c.get('t');
  const open = m.status === 'scheduled' || m.status === 'in_progress';
  const opened = m.openedAt;
  return (
    <section aria-labelledby="attendees" class="stack">
      <h2 id="attendees">{t('governance.founding.attendees_title')}</h2>
      <p>{t('governance.founding.register_rule')}</p>
      {open ? (
        <form method="post" action={`/meetings/${m.id}/attendees`} class="stack card">
          <p>{t('governance.founding.secretary_intro')}</p>
          <Csrf c={c} />
          <AttendeeFields c={c} state={state} self={false} />
          <button type="submit">{t('governance.founding.add')}</button>
        </form>
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('votes.register.number')}</th>
              <th scope="col">{t('votes.register.name')}</th>
              <th scope="col" class="optional">
                {t('governance.founding.field.email')}
              </th>
              <th scope="col">{t('governance.founding.joins')}</th>
              <th scope="col">{t('votes.register.present')}</th>
            </tr>
          </thead>
          <tbody>
            {props.attendance.map((a) => {
              const preRegistered = a.checkedOutAt !== null && (!opened || a.checkedOutAt < opened);
              return (
                <tr>
                  <td>{a.memberNumber ?? ''}</td>
                  <td>{a.name}</td>
                  <td class="optional">{a.email ?? ''}</td>
                  <td>{a.wantsMembership ? '✓' : ''}</td>
                  <td>
                    {a.checkedOutAt === null
                      ? '✓'
                      : preRegistered
                        ? t('governance.founding.pre_registered')
                        : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
