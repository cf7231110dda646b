import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Checkbox, Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { API_SCOPE_NAMES } from '../../app/policy.js';
import type { ApiTokenWithOwner } from './api-tokens.repository.js';
import { scopeField } from './api-tokens.schemas.js';

export function ApiTokensPage(props: {
  c: Context<AppEnv>;
  state: FormState;
  tokens: ApiTokenWithOwner[];
  now: Date;
}) {
  const { c, state } = props;
  const t = c.get('t');
  const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const locale = c.get('locale');
  const time = (iso: string | null) =>
    iso ? <time datetime={iso}>{formatInstant(iso, timeZone, locale)}</time> : '–';
  const scopesError = state.errors['scopes'];
  return (
    <section>
      <h1>{t('admin.tokens.title')}</h1>
      <p>{t('admin.tokens.intro')}</p>

      <h2>{t('admin.tokens.list')}</h2>
      {props.tokens.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.tokens.name')}</th>
                <th scope="col">{t('admin.tokens.owner')}</th>
                <th scope="col">{t('admin.tokens.prefix')}</th>
                <th scope="col" class="optional">
                  {t('admin.tokens.scopes')}
                </th>
                <th scope="col" class="optional">
                  {t('admin.tokens.created')}
                </th>
                <th scope="col" class="optional">
                  {t('admin.tokens.last_used')}
                </th>
                <th scope="col" class="optional">
                  {t('admin.tokens.expires')}
                </th>
                <th scope="col">{t('admin.tokens.state')}</th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((tok) => {
                const expired = !!tok.expiresAt && tok.expiresAt <= props.now.toISOString();
                return (
                  <tr>
                    <td>{tok.name}</td>
                    <td>{tok.ownerHandle}</td>
                    <td>
                      <code>alm_{tok.prefix}…</code>
                    </td>
                    <td class="optional">{tok.scopes.join(', ')}</td>
                    <td class="optional">{time(tok.createdAt)}</td>
                    <td class="optional">{time(tok.lastUsedAt)}</td>
                    <td class="optional">{time(tok.expiresAt)}</td>
                    <td>
                      {tok.revokedAt ? (
                        t('admin.tokens.revoked', {
                          date: formatInstant(tok.revokedAt, timeZone, locale),
                        })
                      ) : (
                        <>
                          {t(expired ? 'admin.tokens.expired' : 'admin.tokens.active')}
                          <form method="post" action={`/admin/api-tokens/${tok.id}/revoke`}>
                            <Csrf c={c} />
                            <button
                              type="submit"
                              class="secondary"
                              aria-label={t('admin.tokens.revoke_label', { name: tok.name })}
                            >
                              {t('admin.tokens.revoke')}
                            </button>
                          </form>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="create">{t('admin.tokens.create')}</h2>
      <FormErrors state={state} />
      <form method="post" action="/admin/api-tokens" class="stack">
        <Csrf c={c} />
        <Field
          state={state}
          name="name"
          label={t('admin.tokens.name')}
          hint={t('admin.tokens.name_hint')}
          required
        />
        <Field
          state={state}
          name="owner"
          label={t('admin.tokens.owner')}
          hint={t('admin.tokens.owner_hint')}
        />
        <fieldset
          id="f-scopes"
          class={scopesError ? 'field invalid' : 'field'}
          aria-describedby={scopesError ? 'f-scopes-error' : undefined}
        >
          <legend>{t('admin.tokens.scopes')}</legend>
          {API_SCOPE_NAMES.map((s) => (
            <Checkbox
              state={state}
              name={scopeField(s)}
              label={t(`admin.tokens.scope.${s}` as MessageKey)}
            />
          ))}
          {scopesError ? (
            <p class="error" id="f-scopes-error">
              {scopesError}
            </p>
          ) : null}
        </fieldset>
        <Field
          state={state}
          name="expires_days"
          label={t('admin.tokens.expires_days')}
          hint={t('admin.tokens.expires_days_hint')}
          inputmode="numeric"
        />
        <button type="submit">{t('admin.tokens.create')}</button>
      </form>
    </section>
  );
}

export function TokenCreatedPage(props: {
  c: Context<AppEnv>;
  token: string;
  name: string;
  ownerHandle: string;
}) {
  const t = props.c.get('t');
  return (
    <section>
      <h1>{t('admin.tokens.created_title')}</h1>
      <p>
        {props.name} · {props.ownerHandle}
      </p>
      <p class="warn" role="alert">
        <strong>{t('admin.tokens.created_warning')}</strong>
      </p>
      <code class="secret" id="new-token">
        {props.token}
      </code>
      <p>{t('admin.tokens.created_usage')}</p>
      <p>
        <a href="/admin/api-tokens">{t('admin.tokens.back')}</a>
      </p>
    </section>
  );
}
