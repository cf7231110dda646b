import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { ServiceNav } from './catalogue.views.js';
import type { OidcClient } from './clients.repository.js';
import type { Service } from './services.repository.js';
import type { Guide } from './setup-guides.js';

export function SetupPage(props: {
  c: Context<AppEnv>;
  service: Service;
  clients: OidcClient[];
  guide: Guide;
  endpoints: { issuer: string; discovery: string };
}) {
  const { c, service, guide } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const oidc = service.loginMethod === 'oidc';
  const active = props.clients.filter((cl) => !cl.disabledAt);
  return (
    <section>
      <ServiceNav c={c} service={service} current={`/admin/services/${service.id}/setup`} />
      <h1>{t('services.setup.title', { name: service.name })}</h1>
      <p>{t('services.setup.intro')}</p>
      <dl class="facts">
        {oidc ? (
          <>
            <dt>{t('services.setup.issuer')}</dt>
            <dd>
              <code id="issuer">{props.endpoints.issuer}</code>
            </dd>
            <dt>{t('services.setup.discovery')}</dt>
            <dd>
              <code id="discovery">{props.endpoints.discovery}</code>
            </dd>
            <dt>{t('services.setup.client_ids')}</dt>
            <dd>
              {active.length === 0 ? (
                <a href={`/admin/services/${service.id}/clients#new`}>
                  {t('services.setup.no_client')}
                </a>
              ) : (
                active.map((cl) => (
                  <div>
                    <code class="client-id">{cl.id}</code> ({cl.name})
                  </div>
                ))
              )}
            </dd>
            <dt>{t('services.setup.username_claim')}</dt>
            <dd>
              <code>preferred_username</code>
            </dd>
          </>
        ) : null}
        {guide.redirectUris.length > 0 ? (
          <>
            <dt>{t('services.setup.redirect_uris')}</dt>
            <dd>
              {guide.redirectUris.map((u) => (
                <div>
                  <code>{u}</code>
                </div>
              ))}
            </dd>
          </>
        ) : null}
        {guide.backchannelLogoutUri ? (
          <>
            <dt>{t('services.setup.backchannel')}</dt>
            <dd>
              <code>{guide.backchannelLogoutUri}</code>
            </dd>
          </>
        ) : null}
        {guide.scopes.length > 0 ? (
          <>
            <dt>{t('services.setup.scopes')}</dt>
            <dd>
              <code>{guide.scopes.join(' ')}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {service.loginMethod === 'none' ? <p class="warn">{t('services.setup.login_none')}</p> : null}
      <ol>
        {guide.steps.map((step) => (
          <li>
            <h2>{step.title[locale]}</h2>
            {step.text.map((p) => (
              <p>{p[locale]}</p>
            ))}
            {step.code ? (
              <pre class="config">
                <code>{step.code}</code>
              </pre>
            ) : null}
          </li>
        ))}
      </ol>
      <p class="muted">{t('services.setup.secret_note')}</p>
    </section>
  );
}
