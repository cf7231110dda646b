import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Checkbox, Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { Member } from './members.repository.js';

export function ProfilePage(props: {
  c: Context<AppEnv>;
  state: FormState;
  member: Pick<Member, 'memberNumber' | 'email'>;
  typeName: string;
  isOrganisation: boolean;
}) {
  const { c, state, member } = props;
  const t = c.get('t');
  const user = c.get('user')!;
  return (
    <section>
      <h1>{t('profile.title')}</h1>
      <p>{t('profile.intro')}</p>
      <p class="muted">
        {t('profile.member_number', { number: member.memberNumber, type: props.typeName })}
      </p>
      <p>
        {t('profile.email_note', { email: member.email ?? user.email })}{' '}
        <a href="/account">{t('profile.email_link')}</a>
      </p>
      <FormErrors state={state} />
      <form method="post" action="/membership/profile" class="stack">
        <Csrf c={c} />
        <Field
          state={state}
          name="name"
          label={t(props.isOrganisation ? 'profile.field.org_name' : 'profile.field.name')}
          autocomplete={props.isOrganisation ? 'organization' : 'name'}
          required
        />
        {props.isOrganisation ? (
          <>
            <Field
              state={state}
              name="org_number"
              label={t('profile.field.org_number')}
              hint={t('profile.field.org_number_hint')}
              inputmode="numeric"
            />
            <Field
              state={state}
              name="contact_person"
              label={t('profile.field.contact_person')}
              autocomplete="name"
            />
          </>
        ) : null}
        <Field
          state={state}
          name="phone"
          type="tel"
          label={t('profile.field.phone')}
          autocomplete="tel"
          inputmode="tel"
        />
        <Field
          state={state}
          name="address_line"
          label={t('profile.field.address_line')}
          autocomplete="street-address"
        />
        <Field
          state={state}
          name="postal_code"
          label={t('profile.field.postal_code')}
          autocomplete="postal-code"
        />
        <Field
          state={state}
          name="city"
          label={t('profile.field.city')}
          autocomplete="address-level2"
        />
        <Field
          state={state}
          name="country"
          label={t('profile.field.country')}
          autocomplete="country-name"
        />
        <button type="submit">{t('form.save')}</button>
      </form>
      <DataCard c={c} />
    </section>
  );
}

function DataCard(props: { c: Context<AppEnv> }) {
  const t = props.c.get('t');
  return (
    <div class="card">
      <h2>{t('profile.data.title')}</h2>
      <p>{t('profile.data.intro')}</p>
      <ul>
        <li>
          <a href="/membership/data.json" download>
            {t('profile.data.download')}
          </a>
        </li>
        <li>
          <a href="/membership/erase">{t('profile.data.erase')}</a>
        </li>
      </ul>
    </div>
  );
}

export function ErasePage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('profile.erase.title')}</h1>
      <p class="warn">
        {t('profile.erase.intro')}{' '}
        <a href="/membership/data.json" download>
          {t('profile.data.download')}
        </a>
      </p>
      <h2>{t('profile.erase.deleted_heading')}</h2>
      <ul>
        <li>{t('profile.erase.deleted_account')}</li>
        <li>{t('profile.erase.deleted_profile')}</li>
        <li>{t('profile.erase.deleted_log')}</li>
      </ul>
      <h2>{t('profile.erase.kept_heading')}</h2>
      <p>{t('profile.erase.kept')}</p>
      <p>{t('profile.erase.status')}</p>
      <FormErrors state={state} />
      <form method="post" action="/membership/erase" class="stack">
        <Csrf c={c} />
        <Field
          state={state}
          name="current_password"
          type="password"
          label={t('accounts.field.current_password')}
          autocomplete="current-password"
          required
        />
        <Checkbox state={state} name="confirm" label={t('profile.erase.confirm')} />
        <button type="submit" class="danger">
          {t('profile.erase.submit')}
        </button>
      </form>
    </section>
  );
}
