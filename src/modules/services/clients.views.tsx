import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
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
import { ServiceNav, useTime } from './catalogue.views.js';
import type { OidcClient } from './clients.repository.js';
import { CLIENT_SCOPES } from './clients.schemas.js';
import type { Service } from './services.repository.js';

const k = (key: string) => key as MessageKey;

export function clientFormValues(c: OidcClient): Record<string, string> {
  const values: Record<string, string> = {
    name: c.name,
    redirectUris: c.redirectUris.join('\n'),
    postLogoutRedirectUris: c.postLogoutRedirectUris.join('\n'),
    backchannelLogoutUri: c.backchannelLogoutUri ?? '',
    firstParty: c.firstParty ? 'on' : '',
  };
  for (const s of c.scopes) values[`scope_${s}`] = 'on';
  return values;
}

export const NEW_CLIENT_DEFAULTS: Record<string, string> = {
  type: 'confidential',
  scope_openid: 'on',
  scope_profile: 'on',
  scope_email: 'on',
  firstParty: 'on',
};

function ClientFields(props: { c: Context<AppEnv>; state: FormState; create: boolean }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <>
      <Field state={state} name="name" label={t('clients.field.name')} required />
      {props.create ? (
        <Select
          state={state}
          name="type"
          label={t('clients.field.type')}
          hint={t('clients.field.type_hint')}
          options={[
            { value: 'confidential', label: t('clients.type.confidential') },
            { value: 'public', label: t('clients.type.public') },
          ]}
        />
      ) : null}
      <TextArea
        state={state}
        name="redirectUris"
        label={t('clients.field.redirectUris')}
        hint={t('clients.field.uris_hint')}
        rows={3}
      />
      <TextArea
        state={state}
        name="postLogoutRedirectUris"
        label={t('clients.field.postLogoutRedirectUris')}
        hint={t('clients.field.uris_hint')}
        rows={2}
      />
      <Field
        state={state}
        name="backchannelLogoutUri"
        label={t('clients.field.backchannelLogoutUri')}
        hint={t('clients.field.backchannelLogoutUri_hint')}
      />
      <fieldset class={state.errors['scopes'] ? 'field invalid' : 'field'} id="f-scopes">
        <legend>{t('clients.field.scopes')}</legend>
        <p class="hint">{t('clients.field.scopes_hint')}</p>
        {CLIENT_SCOPES.map((s) => (
          <Checkbox
            state={state}
            name={`scope_${s}`}
            label={
              <>
                <code>{s}</code> – {t(k(`clients.scope.${s}`))}
              </>
            }
          />
        ))}
        {state.errors['scopes'] ? <p class="error">{state.errors['scopes']}</p> : null}
      </fieldset>
      <Checkbox state={state} name="firstParty" label={t('clients.field.firstParty')} />
    </>
  );
}

export function ClientsPage(props: {
  c: Context<AppEnv>;
  service: Service;
  clients: OidcClient[];
  state: FormState;
}) {
  const { c, service } = props;
  const t = c.get('t');
  const time = useTime(c);
  const base = `/admin/services/${service.id}/clients`;
  return (
    <section>
      <ServiceNav c={c} service={service} current={base} />
      <h1>{t('clients.title', { name: service.name })}</h1>
      <p>{t('clients.intro')}</p>
      {props.clients.length === 0 ? <p class="muted">{t('clients.none')}</p> : null}
      {props.clients.map((cl) => (
        <article class="card" id={`client-${cl.id}`}>
          <h2>
            {cl.name} {cl.disabledAt ? <span class="badge">{t('clients.disabled')}</span> : null}
          </h2>
          <dl class="facts">
            <dt>{t('clients.client_id')}</dt>
            <dd>
              <code class="client-id">{cl.id}</code>
            </dd>
            <dt>{t('clients.field.type')}</dt>
            <dd>
              {cl.confidential
                ? `${t('clients.type.confidential')} (${t('clients.secret_prefix', { prefix: cl.secretPrefix ?? '' })})`
                : t('clients.type.public')}
            </dd>
            <dt>{t('clients.field.redirectUris')}</dt>
            <dd>
              {cl.redirectUris.map((u) => (
                <div>
                  <code>{u}</code>
                </div>
              ))}
            </dd>
            <dt>{t('clients.field.scopes')}</dt>
            <dd>{cl.scopes.join(' ')}</dd>
            <dt>{t('clients.field.backchannelLogoutUri')}</dt>
            <dd>{cl.backchannelLogoutUri ? <code>{cl.backchannelLogoutUri}</code> : '–'}</dd>
            <dt>{t('clients.created')}</dt>
            <dd>{time(cl.createdAt)}</dd>
          </dl>
          <div class="actions">
            <a href={`${base}/${cl.id}`}>{t('clients.edit')}</a>
            {cl.confidential ? (
              <form method="post" action={`${base}/${cl.id}/secret`}>
                <Csrf c={c} />
                <button type="submit" class="secondary">
                  {t('clients.new_secret')}
                </button>
              </form>
            ) : null}
            <form method="post" action={`${base}/${cl.id}/${cl.disabledAt ? 'enable' : 'disable'}`}>
              <Csrf c={c} />
              <button type="submit" class={cl.disabledAt ? 'secondary' : 'danger'}>
                {cl.disabledAt ? t('clients.enable') : t('clients.disable')}
              </button>
            </form>
          </div>
        </article>
      ))}
      <h2 id="new">{t('clients.new')}</h2>
      <FormErrors state={props.state} />
      <form method="post" action={base} class="stack">
        <Csrf c={c} />
        <ClientFields c={c} state={props.state} create />
        <button type="submit">{t('clients.create')}</button>
      </form>
      <p>
        <a href={`/admin/services/${service.id}/setup`}>{t('clients.see_setup')}</a>
      </p>
    </section>
  );
}

export function ClientEditPage(props: {
  c: Context<AppEnv>;
  service: Service;
  client: OidcClient;
  state: FormState;
}) {
  const { c, service, client } = props;
  const t = c.get('t');
  const base = `/admin/services/${service.id}/clients`;
  return (
    <section>
      <ServiceNav c={c} service={service} current={base} />
      <h1>{t('clients.edit_title', { name: client.name })}</h1>
      <p>
        {t('clients.client_id')}: <code class="client-id">{client.id}</code>
      </p>
      <FormErrors state={props.state} />
      <form method="post" action={`${base}/${client.id}`} class="stack">
        <Csrf c={c} />
        <ClientFields c={c} state={props.state} create={false} />
        <button type="submit">{t('form.save')}</button>
      </form>
      <p>
        <a href={base}>{t('clients.back')}</a>
      </p>
    </section>
  );
}

/** The secret, once: after the client was made or given a new secret. */
export function ClientSecretPage(props: {
  c: Context<AppEnv>;
  service: Service;
  client: OidcClient;
  secret: string;
}) {
  const { c, service, client } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('clients.secret_title', { name: client.name })}</h1>
      <p class="warn" role="alert">
        <strong>{t('clients.secret_warning')}</strong>
      </p>
      <dl class="facts">
        <dt>{t('clients.client_id')}</dt>
        <dd>
          <code class="client-id">{client.id}</code>
        </dd>
      </dl>
      <p>{t('clients.secret_label')}</p>
      <code class="secret" id="client-secret">
        {props.secret}
      </code>
      <p class="actions">
        <a href={`/admin/services/${service.id}/setup`}>{t('clients.see_setup')}</a>
        <a href={`/admin/services/${service.id}/clients`}>{t('clients.back')}</a>
      </p>
    </section>
  );
}
