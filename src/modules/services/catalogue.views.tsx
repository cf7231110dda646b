import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import {
  Checkbox,
  Csrf,
  Field,
  FormErrors,
  Select,
  TextArea,
  type FormState,
} from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { OFFICES } from '../members/members.tables.js';
import type { Service } from './services.repository.js';
import type { ShownSecrets } from './services.usecases.js';
import {
  ACCESS_POLICIES,
  CONNECTORS,
  LOGIN_METHODS,
  SERVICE_KINDS,
  SERVICE_SOFTWARE,
  SERVICE_STATUSES,
} from './services.tables.js';

const k = (key: string) => key as MessageKey;

export function useTime(c: Context<AppEnv>) {
  const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const locale = c.get('locale');
  return (iso: string | null) =>
    iso ? <time datetime={iso}>{formatInstant(iso, timeZone, locale)}</time> : '–';
}

/** Links between the pages of one service. */
export function ServiceNav(props: { c: Context<AppEnv>; service: Service; current: string }) {
  const { c, service } = props;
  const t = c.get('t');
  const base = `/admin/services/${service.id}`;
  const links: { href: string; label: MessageKey }[] = [
    { href: base, label: 'services.nav.edit' },
    { href: `${base}/access`, label: 'services.nav.access' },
    { href: `${base}/clients`, label: 'services.nav.clients' },
    { href: `${base}/setup`, label: 'services.nav.setup' },
    { href: `${base}/enforcements`, label: 'services.nav.enforcements' },
    { href: `${base}/inbound-secret`, label: 'moderation.inbound.nav' },
  ];
  return (
    <nav aria-label={t('services.nav.label', { name: service.name })} class="actions">
      <a href="/admin/services">{t('services.nav.all')}</a>
      {links.map((l) => (
        <a href={l.href} aria-current={l.href === props.current ? 'page' : undefined}>
          {t(l.label)}
        </a>
      ))}
    </nav>
  );
}

export function ServicesAdminPage(props: {
  c: Context<AppEnv>;
  services: Service[];
  pending: number;
}) {
  const { c } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('services.admin.title')}</h1>
      <p>{t('services.admin.intro')}</p>
      <p class="actions">
        <a class="button" href="/admin/services/new">
          {t('services.admin.new')}
        </a>
        <a href="/admin/services/requests">
          {t('services.admin.requests', { count: props.pending })}
        </a>
      </p>
      {props.services.length === 0 ? (
        <p class="muted">{t('services.admin.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('services.field.name')}</th>
                <th scope="col" class="optional">
                  {t('services.field.software')}
                </th>
                <th scope="col" class="optional">
                  {t('services.field.loginMethod')}
                </th>
                <th scope="col">{t('services.field.accessPolicy')}</th>
                <th scope="col">{t('services.field.status')}</th>
              </tr>
            </thead>
            <tbody>
              {props.services.map((s) => (
                <tr>
                  <td>
                    <a href={`/admin/services/${s.id}`}>{s.name}</a>
                    <br />
                    <span class="muted">{s.slug}</span>
                  </td>
                  <td class="optional">{t(k(`services.software.${s.software}`))}</td>
                  <td class="optional">{t(k(`services.login.${s.loginMethod}`))}</td>
                  <td>{t(k(`services.policy.${s.accessPolicy}`))}</td>
                  <td>
                    <span class="badge">{t(k(`services.status.${s.status}`))}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The form's values for an existing service (secrets are never put back in a form). */
export function formValuesOf(s: Service): Record<string, string> {
  const values: Record<string, string> = {
    name: s.name,
    slug: s.slug,
    url: s.url,
    descriptionNb: s.descriptionNb,
    descriptionEn: s.descriptionEn,
    kind: s.kind,
    software: s.software,
    loginMethod: s.loginMethod,
    accessPolicy: s.accessPolicy,
    status: s.status,
    sortOrder: String(s.sortOrder),
    connector: s.connector,
    connectorUrl: s.connectorUrl ?? '',
    webhookUrl: s.webhookUrl ?? '',
  };
  for (const o of s.offices) values[`office_${o}`] = 'on';
  return values;
}

export function ServiceFormPage(props: {
  c: Context<AppEnv>;
  state: FormState;
  service: Service | null;
}) {
  const { c, state, service } = props;
  const t = c.get('t');
  const options = (list: readonly string[], prefix: string) =>
    list.map((v) => ({ value: v, label: t(k(`${prefix}.${v}`)) }));
  const action = service ? `/admin/services/${service.id}` : '/admin/services';
  return (
    <section>
      {service ? <ServiceNav c={c} service={service} current={action} /> : null}
      <h1>
        {service
          ? t('services.form.edit_title', { name: service.name })
          : t('services.form.new_title')}
      </h1>
      <FormErrors state={state} />
      <form method="post" action={action} class="stack" novalidate>
        <Csrf c={c} />
        <Field state={state} name="name" label={t('services.field.name')} required />
        <Field
          state={state}
          name="slug"
          label={t('services.field.slug')}
          hint={t('services.field.slug_hint')}
          required
        />
        <Field
          state={state}
          name="url"
          type="url"
          label={t('services.field.url')}
          hint={t('services.field.url_hint')}
          required
        />
        <TextArea
          state={state}
          name="descriptionNb"
          label={t('services.field.descriptionNb')}
          rows={3}
        />
        <TextArea
          state={state}
          name="descriptionEn"
          label={t('services.field.descriptionEn')}
          rows={3}
        />
        <Select
          state={state}
          name="kind"
          label={t('services.field.kind')}
          hint={t('services.field.kind_hint')}
          options={options(SERVICE_KINDS, 'services.kind')}
        />
        <Select
          state={state}
          name="software"
          label={t('services.field.software')}
          options={options(SERVICE_SOFTWARE, 'services.software')}
        />
        <Select
          state={state}
          name="loginMethod"
          label={t('services.field.loginMethod')}
          options={options(LOGIN_METHODS, 'services.login')}
        />
        <Select
          state={state}
          name="accessPolicy"
          label={t('services.field.accessPolicy')}
          options={options(ACCESS_POLICIES, 'services.policy')}
        />
        <fieldset class={state.errors['offices'] ? 'field invalid' : 'field'} id="f-offices">
          <legend>{t('services.field.offices')}</legend>
          <p class="hint">{t('services.field.offices_hint')}</p>
          {OFFICES.map((o) => (
            <Checkbox state={state} name={`office_${o}`} label={t(k(`members.office.${o}`))} />
          ))}
          {state.errors['offices'] ? <p class="error">{state.errors['offices']}</p> : null}
        </fieldset>
        <Select
          state={state}
          name="status"
          label={t('services.field.status')}
          options={options(SERVICE_STATUSES, 'services.status')}
        />
        <Field
          state={state}
          name="sortOrder"
          label={t('services.field.sortOrder')}
          inputmode="numeric"
        />
        <h2>{t('services.form.connector_heading')}</h2>
        <p class="hint">{t('services.form.connector_intro')}</p>
        <Select
          state={state}
          name="connector"
          label={t('services.field.connector')}
          options={options(CONNECTORS, 'services.connector')}
        />
        <Field
          state={state}
          name="connectorUrl"
          type="url"
          label={t('services.field.connectorUrl')}
        />
        <Field
          state={state}
          name="connectorToken"
          type="password"
          autocomplete="off"
          label={t('services.field.connectorToken')}
          hint={
            service?.hasConnectorToken
              ? t('services.field.connectorToken_keep')
              : t('services.field.connectorToken_hint')
          }
        />
        <h2>{t('services.form.webhook_heading')}</h2>
        <Field
          state={state}
          name="webhookUrl"
          type="url"
          label={t('services.field.webhookUrl')}
          hint={t('services.field.webhookUrl_hint')}
        />
        {service?.hasWebhookSecret ? (
          <Checkbox
            state={state}
            name="newWebhookSecret"
            label={t('services.field.newWebhookSecret')}
          />
        ) : null}
        <h2>{t('services.form.discourse_heading')}</h2>
        <p class="hint">{t('services.form.discourse_intro')}</p>
        {service?.hasDiscourseSecret ? (
          <Checkbox
            state={state}
            name="newDiscourseSecret"
            label={t('services.field.newDiscourseSecret')}
          />
        ) : null}
        <p>
          <button type="submit">{t('form.save')}</button>
        </p>
      </form>
      {service ? (
        <p class="muted">
          {t('services.form.secrets_state', {
            token: service.hasConnectorToken ? t('form.yes') : t('form.no'),
            webhook: service.hasWebhookSecret ? t('form.yes') : t('form.no'),
            discourse: service.hasDiscourseSecret ? t('form.yes') : t('form.no'),
          })}
        </p>
      ) : null}
    </section>
  );
}

/** After a save that generated secrets: shown here once, never again. */
export function SecretsShownPage(props: {
  c: Context<AppEnv>;
  service: Service;
  secrets: ShownSecrets;
  baseUrl: string;
}) {
  const { c, service, secrets } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('services.secrets.title', { name: service.name })}</h1>
      <p class="warn" role="alert">
        <strong>{t('services.secrets.warning')}</strong>
      </p>
      {secrets.webhookSecret ? (
        <>
          <h2>{t('services.secrets.webhook')}</h2>
          <p>{t('services.secrets.webhook_usage', { url: service.webhookUrl ?? '' })}</p>
          <code class="secret" id="webhook-secret">
            {secrets.webhookSecret}
          </code>
        </>
      ) : null}
      {secrets.discourseSecret ? (
        <>
          <h2>{t('services.secrets.discourse')}</h2>
          <p>
            {t('services.secrets.discourse_usage', {
              url: `${props.baseUrl}/sso/discourse/${service.slug}`,
            })}
          </p>
          <code class="secret" id="discourse-secret">
            {secrets.discourseSecret}
          </code>
        </>
      ) : null}
      <p class="actions">
        <a href={`/admin/services/${service.id}/setup`}>{t('services.nav.setup')}</a>
        <a href={`/admin/services/${service.id}`}>{t('services.secrets.back')}</a>
      </p>
    </section>
  );
}
