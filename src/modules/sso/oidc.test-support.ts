import * as oidc from 'openid-client';
import type { Database, Db } from '../../app/db.js';
import { newId, newToken } from '../../app/ids.js';
import type { AccessPolicy, ServiceStatus } from '../services/services.tables.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { hashClientSecret } from './oidc-adapter.js';

// Rows for the OpenID Connect tests (the administrators' pages have their own tests),
// and a relying party built on openid-client driving a TestClient as its browser.

export async function insertService(
  db: Db,
  opts: { slug?: string; name?: string; accessPolicy?: AccessPolicy; status?: ServiceStatus } = {},
) {
  const id = newId();
  const slug = opts.slug ?? `svc-${id.slice(-8)}`;
  const now = new Date().toISOString();
  await db
    .insertInto('services')
    .values({
      id,
      slug,
      name: opts.name ?? `Service ${slug}`,
      description_nb: '',
      description_en: '',
      url: 'http://127.0.0.1:9/',
      kind: 'shared',
      software: 'other',
      login_method: 'oidc',
      access_policy: opts.accessPolicy ?? 'all_members',
      offices: '[]',
      status: opts.status ?? 'active',
      sort_order: 0,
      connector: 'none',
      connector_url: null,
      connector_token_enc: null,
      webhook_url: null,
      webhook_secret_enc: null,
      discourse_secret_enc: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, slug };
}

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const POST_LOGOUT_URI = 'http://127.0.0.1:9/logged-out';

export async function insertClient(
  db: Db,
  opts: {
    serviceId: string;
    confidential?: boolean;
    firstParty?: boolean;
    scopes?: string[];
    redirectUris?: string[];
    backchannelLogoutUri?: string | null;
  },
) {
  const id = `client-${newId().slice(-10)}`;
  const secret = opts.confidential ? newToken(32) : null;
  const now = new Date().toISOString();
  await db
    .insertInto('oidc_clients')
    .values({
      id,
      service_id: opts.serviceId,
      name: `Client ${id}`,
      secret_hash: secret ? hashClientSecret(secret) : null,
      secret_prefix: secret ? secret.slice(0, 4) : null,
      redirect_uris: JSON.stringify(opts.redirectUris ?? [REDIRECT_URI]),
      post_logout_redirect_uris: JSON.stringify([POST_LOGOUT_URI]),
      backchannel_logout_uri: opts.backchannelLogoutUri ?? null,
      scopes: JSON.stringify(
        opts.scopes ?? ['openid', 'profile', 'email', 'groups', 'membership', 'offline_access'],
      ),
      first_party: opts.firstParty === false ? 0 : 1,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { clientId: id, secret };
}

/** openid-client's configuration for a client of the app at `baseUrl`. */
export async function relyingParty(
  baseUrl: string,
  client: { clientId: string; secret: string | null },
  auth: 'basic' | 'post' | 'none' = client.secret ? 'basic' : 'none',
) {
  const clientAuth =
    auth === 'none'
      ? oidc.None()
      : auth === 'post'
        ? oidc.ClientSecretPost(client.secret!)
        : oidc.ClientSecretBasic(client.secret!);
  return oidc.discovery(new URL(`${baseUrl}/oidc`), client.clientId, undefined, clientAuth, {
    execute: [oidc.allowInsecureRequests],
  });
}

/**
 * Follows redirects within the app the way a browser would, until the browser is sent
 * away (the answer's Location, e.g. the client's redirect URI) or a page is shown.
 */
export async function follow(
  browser: TestClient,
  start: string,
): Promise<{ location: string | null; status: number; html: string; path: string }> {
  let url = start;
  for (let hop = 0; hop < 12; hop++) {
    const { res, html } = await browser.get(url);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location)
      return { location: null, status: res.status, html, path: url };
    const next = new URL(location, new URL(url, browser.baseUrl));
    if (next.origin !== new URL(browser.baseUrl).origin)
      return { location: next.href, status: res.status, html, path: url };
    url = next.pathname + next.search;
  }
  throw new Error('too many redirects');
}

/** Starts an authorization request; returns the URL and the checks to verify its answer. */
export async function authorizationRequest(
  config: oidc.Configuration,
  opts: {
    scope?: string;
    pkce?: boolean;
    redirectUri?: string;
    extra?: Record<string, string>;
  } = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: opts.redirectUri ?? REDIRECT_URI,
    scope: opts.scope ?? 'openid profile email groups membership',
    state,
    nonce,
    ...opts.extra,
  };
  if (opts.pkce !== false) {
    params['code_challenge'] = await oidc.calculatePKCECodeChallenge(verifier);
    params['code_challenge_method'] = 'S256';
  }
  const url = oidc.buildAuthorizationUrl(config, params);
  return {
    url: url.href,
    checks: {
      pkceCodeVerifier: opts.pkce === false ? undefined : verifier,
      expectedState: state,
      expectedNonce: nonce,
    },
  };
}

/** A browser session that logs in through /login when the provider sends it there. */
export async function loginThrough(
  browser: TestClient,
  authUrl: string,
  credentials: { email: string; password: string },
) {
  let step = await follow(browser, authUrl);
  if (step.location === null && step.path.startsWith('/login')) {
    const next = new URL(step.path, browser.baseUrl).searchParams.get('next') ?? '';
    const { res } = await browser.post('/login', { ...credentials, next });
    if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
    step = await follow(browser, res.headers.get('location')!);
  }
  return step;
}

/**
 * Where a flow test starts: the app on `database`, a confidential client of a service
 * open to every member, and a member logged in to Allmenning in `browser`.
 */
export async function startWithLoggedInMember(database: Database) {
  const app = await startTestApp({ database });
  await setUpAssociation(app);
  const member = await createMemberUser(database.db);
  const client = await insertClient(database.db, {
    serviceId: (await insertService(database.db)).id,
    confidential: true,
  });
  const browser = new TestClient(app.url);
  await browser.logIn(member.user.email, PASSWORD);
  return { app, member, client, browser };
}
