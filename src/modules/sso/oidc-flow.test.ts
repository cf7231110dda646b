import * as oidc from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import {
  authorizationRequest,
  follow,
  insertClient,
  insertService,
  loginThrough,
  POST_LOGOUT_URI,
  REDIRECT_URI,
  relyingParty,
} from './oidc.test-support.js';

// A real relying party (openid-client) against the running app: discovery, JWKS, the
// code flow with PKCE through Allmenning's login page, tokens, userinfo, refresh and
// RP-initiated logout.

describeEachDialect('OpenID Connect: the code flow with a real relying party', (h) => {
  let app: Running;
  let member: Awaited<ReturnType<typeof createMemberUser>>;
  let service: { id: string; slug: string };
  let publicClient: { clientId: string; secret: string | null };

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    member = await createMemberUser(h.db(), { name: 'Mona Member', offices: ['board_member'] });
    service = await insertService(h.db(), { slug: 'cloud', name: 'Sky' });
    publicClient = await insertClient(h.db(), { serviceId: service.id });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('publishes discovery and the JWKS at the issuer', async () => {
    const config = await relyingParty(app.url, publicClient);
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(`${app.url}/oidc`);
    expect(meta.authorization_endpoint).toBe(`${app.url}/oidc/auth`);
    expect(meta.token_endpoint).toBe(`${app.url}/oidc/token`);
    expect(meta.userinfo_endpoint).toBe(`${app.url}/oidc/me`);
    expect(meta.end_session_endpoint).toBe(`${app.url}/oidc/session/end`);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'groups', 'membership']),
    );
    expect(meta['backchannel_logout_supported']).toBe(true);
    const jwks = (await (await fetch(meta.jwks_uri!)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    const stored = await h.db().selectFrom('oidc_keys').select('kid').execute();
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(stored.map((k) => k.kid).sort());
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('logs a member in through the login page, with PKCE, and gives the claims', async () => {
    const config = await relyingParty(app.url, publicClient);
    const browser = new TestClient(app.url);
    const { url, checks } = await authorizationRequest(config, {
      scope: 'openid profile email groups membership offline_access',
      extra: { prompt: 'consent' },
    });
    const step = await loginThrough(browser, url, {
      email: member.user.email,
      password: PASSWORD,
    });
    expect(step.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(member.user.id);
    expect(claims['preferred_username']).toBe(member.user.handle);
    expect(claims['groups']).toEqual(['members', 'board', 'board_member', 'service:cloud']);
    expect(tokens.refresh_token).toBeTruthy();

    const info = await oidc.fetchUserInfo(config, tokens.access_token, member.user.id);
    expect(info).toMatchObject({
      sub: member.user.id,
      name: 'Mona Member',
      preferred_username: member.user.handle,
      email: member.user.email,
      email_verified: true,
      groups: ['members', 'board', 'board_member', 'service:cloud'],
      membership: { status: 'active', type: 'ordinary', paid_until: null },
    });

    // Refresh: a public client's refresh token is rotated at every use.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    // The artefacts carry the member and the client in their own columns (revocation).
    const rows = await h
      .db()
      .selectFrom('oidc_payloads')
      .select(['model', 'account_id', 'client_id', 'grant_id'])
      .where('account_id', '=', member.user.id)
      .execute();
    const models = new Set(rows.map((r) => r.model));
    expect(models).toEqual(expect.objectContaining(new Set(['Session', 'Grant'])));
    expect(rows.filter((r) => r.model === 'Grant').every((r) => r.client_id)).toBe(true);
  });

  it('goes straight through for a member already logged in (first-party: no consent)', async () => {
    const config = await relyingParty(app.url, publicClient);
    const browser = new TestClient(app.url);
    await browser.logIn(member.user.email, PASSWORD);
    const { url, checks } = await authorizationRequest(config);
    const step = await follow(browser, url);
    expect(step.location).toMatch(/\?code=/);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    expect(tokens.claims()!.sub).toBe(member.user.id);
    // Without offline_access a public client gets no refresh token.
    expect(tokens.refresh_token).toBeUndefined();

    // Logging out of Allmenning means the next authorization asks for a login again.
    await browser.get('/account');
    await browser.post('/logout', {});
    const again = await follow(browser, (await authorizationRequest(config)).url);
    expect(again.location).toBeNull();
    expect(again.path).toMatch(/^\/login\?next=%2Fsso%2Finteraction%2F/);
  });

  it('ends the session by RP-initiated logout, to a registered address only', async () => {
    const config = await relyingParty(app.url, publicClient);
    const browser = new TestClient(app.url);
    await browser.logIn(member.user.email, PASSWORD);
    const { url, checks } = await authorizationRequest(config);
    const step = await follow(browser, url);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);

    // An unregistered post_logout_redirect_uri is refused.
    const evil = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://evil.example/',
    });
    const refused = await browser.get(evil.href);
    expect(refused.res.status).toBe(400);
    expect(refused.html).toContain('post_logout_redirect_uri');

    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'bye',
    });
    const confirm = await browser.get(end.href);
    expect(confirm.res.status).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(confirm.html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.html)![1]!;
    const done = await browser.request('POST', action, {
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${POST_LOGOUT_URI}?state=bye`);
    // The Allmenning session ended with it.
    const account = await browser.get('/account');
    expect(account.res.status).toBe(303);
    expect(account.res.headers.get('location')).toMatch(/^\/login/);
  });
});
