import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import {
  Csrf,
  emptyForm,
  Field,
  FormErrors,
  Select,
  TextArea,
  type FormState,
} from '../../app/forms.js';
import { officeKey, statusKey, typeLabel } from './members.components.js';
import type { Member, MembershipType } from './members.repository.js';
import type { OfficeTerm } from './member-history.repository.js';
import { OFFICES } from './members.tables.js';
import { boardTargets } from './members.transitions.js';
import { ContactFields, OrganisationFields } from './membership.views.js';

// The board's forms on the member page. Each keeps its own state so that an error
// re-renders beside the form it belongs to.

export type DetailForms = {
  status?: FormState | undefined;
  edit?: FormState | undefined;
  office?: FormState | undefined;
  endTerm?: { termId: string; state: FormState } | undefined;
  decision?: FormState | undefined;
};

export function memberFormValues(m: Member, type: MembershipType | null): Record<string, string> {
  return {
    type: type?.code ?? '',
    name: m.name,
    email: m.email ?? '',
    phone: m.phone ?? '',
    address_line: m.addressLine ?? '',
    postal_code: m.postalCode ?? '',
    city: m.city ?? '',
    country: m.country ?? '',
    org_number: m.orgNumber ?? '',
    contact_person: m.contactPerson ?? '',
  };
}

export function StatusForm(props: { c: Context<AppEnv>; member: Member; state?: FormState }) {
  const { c, member } = props;
  const t = c.get('t');
  const state = props.state ?? emptyForm();
  const targets = boardTargets(member.status);
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">{t('members.detail.change_status')}</h2>
      {targets.length === 0 ? (
        <p class="muted">{t('members.detail.no_transitions')}</p>
      ) : (
        <>
          <FormErrors state={state} />
          <form method="post" action={`/members/${member.id}/status`} class="stack card">
            <Csrf c={c} />
            <Select
              state={state}
              name="to"
              label={t('members.detail.new_status')}
              options={targets.map((s) => ({ value: s, label: t(statusKey(s)) }))}
            />
            <TextArea
              state={state}
              name="reason"
              label={t('members.detail.reason')}
              hint={t('members.detail.reason_hint')}
              rows={3}
            />
            <button type="submit">{t('members.detail.status_submit')}</button>
          </form>
        </>
      )}
    </section>
  );
}

export function EditMemberForm(props: {
  c: Context<AppEnv>;
  member: Member;
  types: MembershipType[];
  state?: FormState | undefined;
}) {
  const { c, member } = props;
  const t = c.get('t');
  const type = props.types.find((x) => x.id === member.typeId) ?? null;
  const state = props.state ?? emptyForm(memberFormValues(member, type));
  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">{t('members.detail.edit')}</h2>
      <FormErrors state={state} />
      <form method="post" action={`/members/${member.id}/edit`} class="stack card">
        <Csrf c={c} />
        <Select
          state={state}
          name="type"
          label={t('members.field.type')}
          options={props.types.map((x) => ({ value: x.code, label: typeLabel(c, x) }))}
        />
        {member.userId ? (
          <p>
            <strong>{t('members.field.email')}:</strong> {member.email ?? '–'}{' '}
            <span class="muted">{t('members.detail.email_locked')}</span>
          </p>
        ) : (
          <Field
            state={state}
            name="email"
            type="email"
            label={t('members.field.email')}
            autocomplete="off"
          />
        )}
        <ContactFields c={c} state={state} addressRequired={false} />
        <OrganisationFields c={c} state={state} />
        <button type="submit">{t('form.save')}</button>
      </form>
    </section>
  );
}

export function AssignOfficeForm(props: {
  c: Context<AppEnv>;
  memberId: string;
  today: string;
  state?: FormState | undefined;
}) {
  const { c } = props;
  const t = c.get('t');
  const state = props.state ?? emptyForm();
  return (
    <section aria-labelledby="office-heading">
      <h3 id="office-heading">{t('members.detail.assign_office')}</h3>
      <FormErrors state={state} />
      <form method="post" action={`/members/${props.memberId}/offices`} class="stack card">
        <Csrf c={c} />
        <Select
          state={state}
          name="office"
          label={t('members.offices.office')}
          options={OFFICES.map((o) => ({ value: o, label: t(officeKey(o)) }))}
        />
        <Field
          state={state}
          name="starts_on"
          type="date"
          label={t('members.detail.starts_on')}
          value={props.today}
          required
        />
        <Field state={state} name="ends_on" type="date" label={t('members.detail.ends_on')} />
        <Field state={state} name="note" label={t('members.detail.office_note')} />
        <button type="submit">{t('members.detail.assign_submit')}</button>
      </form>
    </section>
  );
}

export function EndTermForm(props: {
  c: Context<AppEnv>;
  memberId: string;
  term: OfficeTerm;
  today: string;
  state?: FormState | undefined;
}) {
  const { c, term } = props;
  const t = c.get('t');
  const id = `f-end-${term.id}`;
  const error = props.state?.errors['ends_on'] ?? props.state?.message;
  return (
    <form
      method="post"
      action={`/members/${props.memberId}/offices/${term.id}/end`}
      class="actions"
    >
      <Csrf c={c} />
      <label for={id}>{t('members.detail.end_on')}</label>
      <input
        id={id}
        type="date"
        name="ends_on"
        value={props.state?.values['ends_on'] ?? props.today}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <button type="submit" class="secondary">
        {t('members.detail.end_term')}
      </button>
      {error ? (
        <p class="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
