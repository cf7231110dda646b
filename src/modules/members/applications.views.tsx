import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, type FormState } from '../../app/forms.js';
import type { Member, MembershipType } from './members.repository.js';
import { date, instant, ScopedErrors, typeLabel } from './members.components.js';

/** A failed decision: which application it was about, and the form as sent. */
export type DecisionError = { memberId: string; state: FormState };

/** Approve and refuse, side by side; the refusal needs a reason the applicant is sent. */
export function DecisionForms(props: {
  c: Context<AppEnv>;
  memberId: string;
  back: 'applications' | 'member';
  error: FormState | null;
}) {
  const { c, memberId, error } = props;
  const t = c.get('t');
  const reasonId = `f-reason-${memberId}`;
  const reasonError = error?.errors['reason'];
  return (
    <div class="stack">
      <ScopedErrors state={error} idOf={(f) => `f-${f}-${memberId}`} />
      <form method="post" action={`/members/${memberId}/approve`}>
        <Csrf c={c} />
        <input type="hidden" name="back" value={props.back} />
        <button type="submit">{t('members.applications.approve')}</button>
      </form>
      <form method="post" action={`/members/${memberId}/refuse`} class="card">
        <Csrf c={c} />
        <input type="hidden" name="back" value={props.back} />
        <div class={reasonError ? 'field invalid' : 'field'}>
          <label for={reasonId}>{t('members.applications.reason')}</label>
          <p class="hint" id={`${reasonId}-hint`}>
            {t('members.applications.reason_hint')}
          </p>
          <textarea
            id={reasonId}
            name="reason"
            rows={3}
            required
            aria-invalid={reasonError ? 'true' : undefined}
            aria-describedby={reasonError ? `${reasonId}-error` : `${reasonId}-hint`}
          >
            {error?.values['reason'] ?? ''}
          </textarea>
          {reasonError ? (
            <p class="error" id={`${reasonId}-error`}>
              {reasonError}
            </p>
          ) : null}
        </div>
        <button type="submit" class="danger">
          {t('members.applications.refuse')}
        </button>
      </form>
    </div>
  );
}

export function ApplicationsPage(props: {
  c: Context<AppEnv>;
  applications: { member: Member; type: MembershipType | null }[];
  error: DecisionError | null;
}) {
  const { c, error } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('members.applications.title')}</h1>
      {error && !props.applications.some((a) => a.member.id === error.memberId) ? (
        <ScopedErrors state={error.state} idOf={(f) => `f-${f}-${error.memberId}`} />
      ) : null}
      {props.applications.length === 0 ? (
        <p>{t('members.applications.none')}</p>
      ) : (
        props.applications.map(({ member: m, type }) => (
          <article class="card" aria-labelledby={`app-${m.id}`}>
            <h2 id={`app-${m.id}`}>
              {m.name} <span class="muted">#{m.memberNumber}</span>
            </h2>
            <dl class="facts">
              <dt>{t('members.field.type')}</dt>
              <dd>{typeLabel(c, type)}</dd>
              <dt>{t('members.applications.applied_at')}</dt>
              <dd>{instant(c, m.statusChangedAt)}</dd>
              <dt>{t('members.field.email')}</dt>
              <dd>{m.email ?? '–'}</dd>
              <dt>{t('members.field.phone')}</dt>
              <dd>{m.phone ?? '–'}</dd>
              <dt>{t('members.field.address')}</dt>
              <dd>
                {[m.addressLine, [m.postalCode, m.city].filter(Boolean).join(' '), m.country]
                  .filter(Boolean)
                  .join(', ') || '–'}
              </dd>
              {m.orgNumber ? (
                <>
                  <dt>{t('members.field.org_number')}</dt>
                  <dd>{m.orgNumber}</dd>
                  <dt>{t('members.field.contact_person')}</dt>
                  <dd>{m.contactPerson ?? '–'}</dd>
                </>
              ) : null}
              {m.joinedOn ? (
                <>
                  <dt>{t('members.field.joined_on')}</dt>
                  <dd>{date(c, m.joinedOn)}</dd>
                </>
              ) : null}
              <dt>{t('members.applications.note')}</dt>
              <dd>{m.applicationNote ?? '–'}</dd>
            </dl>
            <p>
              <a href={`/members/${m.id}`}>{t('members.applications.open')}</a>
            </p>
            <DecisionForms
              c={c}
              memberId={m.id}
              back="applications"
              error={error?.memberId === m.id ? error.state : null}
            />
          </article>
        ))
      )}
    </section>
  );
}
