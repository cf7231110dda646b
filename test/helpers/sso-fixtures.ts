import type { Kysely } from 'kysely';
import type { DB } from '../../src/app/database.js';
import { sha256 } from '../../src/app/crypto.js';
import { newId } from '../../src/app/ids.js';
import { secretBox } from '../../src/app/secret-box.js';
import type {
  AccessPolicy,
  LoginMethod,
  ServiceSoftware,
} from '../../src/modules/services/services.tables.js';

// Rows for the single sign-on tests, written straight to the database (the catalogue and
// client pages have their own tests).

let counter = 0;

/** A service in the catalogue; `discourseSecret` is sealed like the admin page seals it. */
export async function insertService(
  db: Kysely<DB>,
  opts: {
    appSecret: string;
    url: string;
    slug?: string;
    name?: string;
    software?: ServiceSoftware;
    loginMethod?: LoginMethod;
    accessPolicy?: AccessPolicy;
    offices?: string[];
    discourseSecret?: string;
  },
): Promise<{ id: string; slug: string }> {
  const id = newId();
  const slug = opts.slug ?? `svc-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const now = new Date().toISOString();
  await db
    .insertInto('services')
    .values({
      id,
      slug,
      name: opts.name ?? 'Forum',
      description_nb: '',
      description_en: '',
      url: opts.url,
      kind: 'shared',
      software: opts.software ?? 'other',
      login_method: opts.loginMethod ?? 'oidc',
      access_policy: opts.accessPolicy ?? 'all_members',
      offices: JSON.stringify(opts.offices ?? []),
      status: 'active',
      sort_order: 0,
      connector: 'none',
      connector_url: null,
      connector_token_enc: null,
      webhook_url: null,
      webhook_secret_enc: null,
      discourse_secret_enc: opts.discourseSecret
        ? secretBox(opts.appSecret).seal(opts.discourseSecret)
        : null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, slug };
}

/** An OpenID Connect client of a service; a confidential one when `secret` is given. */
export async function insertOidcClient(
  db: Kysely<DB>,
  opts: {
    serviceId: string;
    clientId?: string;
    secret?: string | null;
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
    backchannelLogoutUri?: string | null;
    scopes?: string[];
    firstParty?: boolean;
  },
): Promise<{ clientId: string }> {
  const clientId = opts.clientId ?? `client-${Date.now().toString(36)}${(counter++).toString(36)}`;
  const now = new Date().toISOString();
  await db
    .insertInto('oidc_clients')
    .values({
      id: clientId,
      service_id: opts.serviceId,
      name: clientId,
      secret_hash: opts.secret ? sha256(opts.secret) : null,
      secret_prefix: opts.secret ? opts.secret.slice(0, 6) : null,
      redirect_uris: JSON.stringify(opts.redirectUris),
      post_logout_redirect_uris: JSON.stringify(opts.postLogoutRedirectUris ?? []),
      backchannel_logout_uri: opts.backchannelLogoutUri ?? null,
      scopes: JSON.stringify(opts.scopes ?? ['openid', 'email', 'profile']),
      first_party: opts.firstParty === false ? 0 : 1,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { clientId };
}
