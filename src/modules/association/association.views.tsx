import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Checkbox, Csrf, Field, FormErrors, Select, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import type { AssociationDocument } from './association.repository.js';

function monthOptions(c: Context<AppEnv>) {
  const t = c.get('t');
  return Array.from({ length: 12 }, (_, i) => ({
    value: String(i + 1),
    label: t(`month.${i + 1}` as MessageKey),
  }));
}

/** The association's fields, shared by setup and the settings page. */
export function AssociationFields(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <>
      <Field state={state} name="name" label={t('association.field.name')} required />
      <Field
        state={state}
        name="org_number"
        label={t('association.field.org_number')}
        hint={t('association.field.org_number_hint')}
        inputmode="numeric"
      />
      <Field
        state={state}
        name="address_line"
        label={t('association.field.address_line')}
        autocomplete="street-address"
      />
      <Field
        state={state}
        name="postal_code"
        label={t('association.field.postal_code')}
        autocomplete="postal-code"
        inputmode="numeric"
      />
      <Field state={state} name="city" label={t('association.field.city')} />
      <Field state={state} name="email" type="email" label={t('association.field.email')} />
      <Select
        state={state}
        name="year_start_month"
        label={t('association.field.year_start_month')}
        options={monthOptions(c)}
        value="1"
      />
      <Field
        state={state}
        name="time_zone"
        label={t('association.field.time_zone')}
        value="Europe/Oslo"
        required
      />
      <Select
        state={state}
        name="default_locale"
        label={t('association.field.default_locale')}
        options={[
          { value: 'nb', label: t('locale.nb') },
          { value: 'en', label: t('locale.en') },
        ]}
      />
      <Checkbox state={state} name="vat_registered" label={t('association.field.vat_registered')} />
      <Checkbox
        state={state}
        name="require_approval"
        label={t('association.field.require_approval')}
        checked
      />
    </>
  );
}

export function SetupPage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('association.setup.title')}</h1>
      <p>{t('association.setup.intro')}</p>
      <FormErrors state={state} />
      <form method="post" action="/setup" class="stack">
        <Csrf c={c} />
        <fieldset class="card">
          <legend>{t('association.setup.association')}</legend>
          <AssociationFields c={c} state={state} />
        </fieldset>
        <fieldset class="card">
          <legend>{t('association.setup.admin')}</legend>
          <Field
            state={state}
            name="admin_name"
            label={t('accounts.field.name')}
            autocomplete="name"
            required
          />
          <Field
            state={state}
            name="admin_handle"
            label={t('accounts.field.handle')}
            hint={t('accounts.field.handle_hint')}
            autocomplete="username"
            required
          />
          <Field
            state={state}
            name="admin_email"
            type="email"
            label={t('accounts.field.email')}
            autocomplete="email"
            required
          />
          <Field
            state={state}
            name="admin_password"
            type="password"
            label={t('accounts.field.password')}
            hint={t('accounts.field.password_hint')}
            autocomplete="new-password"
            required
          />
          <Checkbox
            state={state}
            name="admin_is_member"
            label={t('association.setup.admin_is_member')}
            checked
          />
        </fieldset>
        <button type="submit">{t('association.setup.submit')}</button>
      </form>
    </section>
  );
}

export function HomePage(props: { c: Context<AppEnv> }) {
  const { c } = props;
  const t = c.get('t');
  const association = c.get('association');
  const user = c.get('user');
  return (
    <section>
      <h1>{t('association.home.welcome', { name: association?.name ?? '' })}</h1>
      <p>{t('association.home.intro')}</p>
      {user ? (
        <p>
          {t('association.home.signed_in', { name: user.name })}{' '}
          <a href="/membership">{t('nav.my_membership')}</a>
        </p>
      ) : (
        <p class="actions">
          <a class="button" href="/signup">
            {t('association.home.apply')}
          </a>
          <a class="button secondary" href="/login">
            {t('nav.login')}
          </a>
        </p>
      )}
      <p>
        <a href="/documents">{t('nav.documents')}</a>
      </p>
    </section>
  );
}

export function DocumentsIndex(props: {
  c: Context<AppEnv>;
  statutes: AssociationDocument | null;
  aup: AssociationDocument | null;
}) {
  const t = props.c.get('t');
  return (
    <section>
      <h1>{t('association.documents.title')}</h1>
      <ul>
        {props.statutes ? (
          <li>
            <a href="/documents/statutes">{t('association.documents.statutes')}</a> (
            {t('association.documents.version', { version: props.statutes.version })})
          </li>
        ) : null}
        {props.aup ? (
          <li>
            <a href="/documents/aup">{t('association.documents.aup')}</a> (
            {t('association.documents.version', { version: props.aup.version })})
          </li>
        ) : null}
      </ul>
    </section>
  );
}

export function DocumentPage(props: {
  c: Context<AppEnv>;
  doc: AssociationDocument;
  versions: AssociationDocument[];
}) {
  const { c, doc } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const tz = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const body = locale === 'en' && doc.bodyEn ? doc.bodyEn : doc.bodyNb;
  const heading =
    doc.kind === 'statutes' ? t('association.documents.statutes') : t('association.documents.aup');
  return (
    <article>
      <h1>{heading}</h1>
      <p class="muted">
        {t('association.documents.version', { version: doc.version })} ·{' '}
        {t('association.documents.published', { date: formatInstant(doc.publishedAt, tz, locale) })}{' '}
        ·{' '}
        {doc.adoptedOn
          ? t('association.documents.adopted', { date: formatDate(doc.adoptedOn, locale) })
          : t('association.documents.draft')}
      </p>
      {doc.version > 1 || c.get('user')?.permissions.has('documents.manage') ? (
        <p class="actions">
          {doc.version > 1 ? (
            <a href={`/documents/${doc.kind}/${doc.version}/changes`}>
              {t('governance.diff.link', { version: doc.version - 1 })}
            </a>
          ) : null}
          {c.get('user')?.permissions.has('documents.manage') ? (
            <a class="button secondary" href={`/governance/documents/${doc.kind}/new`}>
              {t('governance.version.title')}
            </a>
          ) : null}
        </p>
      ) : null}
      {locale === 'en' && !doc.bodyEn ? (
        <p class="warn">{t('association.documents.only_nb')}</p>
      ) : null}
      <pre class="doc">{body}</pre>
      {props.versions.length > 1 ? (
        <>
          <h2>{t('association.documents.versions')}</h2>
          <ul>
            {props.versions.map((v) => (
              <li>
                <a href={`/documents/${v.kind}/${v.version}`}>
                  {t('association.documents.version', { version: v.version })}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}
