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
  REDIRECT_URI,
  relyingParty,
} from './oidc.test-support.js';

/** The OAuth error code of a failed openid-client call (a body or a WWW-Authenticate challenge). */
function oauthError(err: unknown): string | undefined {
  const e = err as { error?: string; cause?: { parameters?: { error?: string } }[] };
  return e.error ?? e.cause?.[0]?.parameters?.error;
}

// Bad input and attacks on the provider: client secrets (stored hashed), PKCE, redirect
// URIs, replayed codes, disabled clients, scopes a client may not have.

describeEachDialect('OpenID Connect: clients, secrets and attacks', (h) => {
  let app: Running;
  let member: Awaited<ReturnType<typeof createMemberUser>>;
  let serviceId: string;
  let confidential: { clientId: string; secret: string | null };
  let publicClient: { clientId: string; secret: string | null };
  let browser: TestClient;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    member = await createMemberUser(h.db(), { name: 'Sara Secure' });
    serviceId = (await insertService(h.db())).id;
    confidential = await insertClient(h.db(), { serviceId, confidential: true });
    publicClient = await insertClient(h.db(), { serviceId });
    browser = new TestClient(app.url);
    await browser.logIn(member.user.email, PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function codeFor(config: oidc.Configuration, opts: { pkce?: boolean } = {}) {
    const { url, checks } = await authorizationRequest(config, opts);
    const step = await follow(browser, url);
    expect(step.location).toMatch(/\?code=/);
    return { callback: new URL(step.location!), checks };
  }

  it('stores only the hash of a client secret', async () => {
    const row = await h
      .db()
      .selectFrom('oidc_clients')
      .select('secret_hash')
      .where('id', '=', confidential.clientId)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toContain(confidential.secret);
  });

  for (const auth of ['basic', 'post'] as const) {
    it(`authenticates a confidential client with client_secret_${auth}`, async () => {
      const config = await relyingParty(app.url, confidential, auth);
      const { callback, checks } = await codeFor(config, { pkce: false });
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        expectedState: checks.expectedState,
        expectedNonce: checks.expectedNonce,
      });
      expect(tokens.claims()!.sub).toBe(member.user.id);
      // Confidential clients get a refresh token without offline_access.
      expect(tokens.refresh_token).toBeTruthy();
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.access_token).toBeTruthy();
    });
  }

  it('refuses a wrong client secret, in either place', async () => {
    for (const auth of ['basic', 'post'] as const) {
      const wrong = await relyingParty(
        app.url,
        { clientId: confidential.clientId, secret: 'not-the-secret' },
        auth,
      );
      const { callback, checks } = await codeFor(wrong, { pkce: false });
      await expect(
        oidc.authorizationCodeGrant(wrong, callback, {
          expectedState: checks.expectedState,
          expectedNonce: checks.expectedNonce,
        }),
      ).rejects.toSatisfy((err) => oauthError(err) === 'invalid_client');
    }
    // The hash itself is not a secret that works.
    const row = await h
      .db()
      .selectFrom('oidc_clients')
      .select('secret_hash')
      .where('id', '=', confidential.clientId)
      .executeTakeFirstOrThrow();
    const withHash = await relyingParty(app.url, {
      clientId: confidential.clientId,
      secret: row.secret_hash,
    });
    const { callback, checks } = await codeFor(withHash, { pkce: false });
    await expect(
      oidc.authorizationCodeGrant(withHash, callback, {
        expectedState: checks.expectedState,
        expectedNonce: checks.expectedNonce,
      }),
    ).rejects.toSatisfy((err) => oauthError(err) === 'invalid_client');
  });

  it('refuses a public client without PKCE, and a wrong verifier', async () => {
    const config = await relyingParty(app.url, publicClient);
    const { url } = await authorizationRequest(config, { pkce: false });
    const step = await follow(browser, url);
    const answer = new URL(step.location!);
    expect(answer.origin + answer.pathname).toBe(REDIRECT_URI);
    expect(answer.searchParams.get('error')).toBe('invalid_request');
    expect(answer.searchParams.get('error_description')).toMatch(/PKCE/);

    const { callback, checks } = await codeFor(config);
    await expect(
      oidc.authorizationCodeGrant(config, callback, {
        ...checks,
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a redirect URI that is not registered exactly, without redirecting', async () => {
    const config = await relyingParty(app.url, publicClient);
    for (const redirectUri of [
      'https://evil.example/callback',
      `${REDIRECT_URI}/extra`,
      `${REDIRECT_URI}?x=1`,
    ]) {
      const { url } = await authorizationRequest(config, { redirectUri });
      const step = await follow(browser, url);
      expect(step.location).toBeNull();
      expect(step.status).toBe(400);
      expect(step.html).toContain('redirect_uri');
    }
  });

  it('refuses a replayed authorization code and revokes what it issued', async () => {
    const config = await relyingParty(app.url, confidential);
    const { callback, checks } = await codeFor(config, { pkce: false });
    const noPkce = { expectedState: checks.expectedState, expectedNonce: checks.expectedNonce };
    const tokens = await oidc.authorizationCodeGrant(config, callback, noPkce);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, member.user.id);
    expect(info.sub).toBe(member.user.id);

    await expect(oidc.authorizationCodeGrant(config, callback, noPkce)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(
      oidc.fetchUserInfo(config, tokens.access_token, member.user.id),
    ).rejects.toBeTruthy();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('refuses a scope the client may not have, and a disabled client', async () => {
    const narrow = await insertClient(h.db(), { serviceId, scopes: ['openid', 'profile'] });
    const config = await relyingParty(app.url, narrow);
    const { url } = await authorizationRequest(config, { scope: 'openid profile membership' });
    const step = await follow(browser, url);
    expect(new URL(step.location!).searchParams.get('error')).toBe('invalid_scope');

    await h
      .db()
      .updateTable('oidc_clients')
      .set({ disabled_at: new Date().toISOString() })
      .where('id', '=', narrow.clientId)
      .execute();
    const disabled = await follow(browser, (await authorizationRequest(config)).url);
    expect(disabled.location).toBeNull();
    expect(disabled.status).toBe(400);
    expect(disabled.html).toContain('invalid_client');
  });

  // Each request reads its client row with its first statement (the code, the refresh
  // token or the access token presented): a client disabled between two requests is
  // refused at the next one, whichever it is.
  it('refuses the code, the refresh token and the access token of a client disabled meanwhile', async () => {
    const later = await insertClient(h.db(), { serviceId, confidential: true });
    const config = await relyingParty(app.url, later);
    const disable = (at: string | null) =>
      h
        .db()
        .updateTable('oidc_clients')
        .set({ disabled_at: at })
        .where('id', '=', later.clientId)
        .execute();

    const { callback, checks } = await codeFor(config, { pkce: false });
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      expectedState: checks.expectedState,
      expectedNonce: checks.expectedNonce,
    });
    const second = await codeFor(config, { pkce: false });
    await disable(new Date().toISOString());

    const exchange = await oidc
      .authorizationCodeGrant(config, second.callback, {
        expectedState: second.checks.expectedState,
        expectedNonce: second.checks.expectedNonce,
      })
      .then(
        () => 'tokens',
        (err: unknown) => oauthError(err),
      );
    expect(exchange).toBe('invalid_client');
    const refresh = await oidc.refreshTokenGrant(config, tokens.refresh_token!).then(
      () => 'tokens',
      (err: unknown) => oauthError(err),
    );
    expect(refresh).toBe('invalid_client');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, member.user.id).then(
      () => 'claims',
      (err: unknown) => oauthError(err),
    );
    expect(userinfo).toBe('invalid_token');

    // Enabled again, the same access token is answered: the refusal was the client's.
    await disable(null);
    const claims = await oidc.fetchUserInfo(config, tokens.access_token, member.user.id);
    expect(claims.sub).toBe(member.user.id);
  });
});
