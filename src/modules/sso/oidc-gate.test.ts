import * as oidc from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { changeMemberStatus } from '../members/members.usecases.js';
import {
  authorizationRequest,
  follow,
  insertClient,
  insertService,
  loginThrough,
  REDIRECT_URI,
  relyingParty,
} from './oidc.test-support.js';

// The gate: a login or a token refresh for a client succeeds only while the membership
// is active and paid, access to that client's service is granted, and the member is not
// suspended. Status changes go through the members' use-case, as the board makes them.

const actor = { userId: null, label: 'test' };

describeEachDialect('OpenID Connect: the gate at login and at refresh', (h) => {
  let app: Running;
  let service: { id: string; slug: string };
  let client: { clientId: string; secret: string | null };

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    service = await insertService(h.db(), { name: 'Sky' });
    client = await insertClient(h.db(), { serviceId: service.id, confidential: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function logInAtClient(user: { email: string }) {
    const config = await relyingParty(app.url, client);
    const browser = new TestClient(app.url);
    const { url, checks } = await authorizationRequest(config);
    const step = await loginThrough(browser, url, { email: user.email, password: PASSWORD });
    return { config, browser, step, checks };
  }

  /** Codes and tokens stored for the account (none, when the gate refused it). */
  const issuedTo = (accountId: string) =>
    h
      .db()
      .selectFrom('oidc_payloads')
      .select('model')
      .where('account_id', '=', accountId)
      .where('model', 'in', ['AuthorizationCode', 'AccessToken', 'RefreshToken'])
      .execute();

  it('refuses a suspended member at login with a page that says why, and tells the client if asked', async () => {
    const { user, member } = await createMemberUser(h.db());
    await changeMemberStatus(app.ctx, {
      actor,
      memberId: member.id,
      to: 'suspended',
      reason: 'AUP violation',
      via: 'board',
    });
    const { browser, step } = await logInAtClient(user);
    expect(step.location).toBeNull();
    expect(step.status).toBe(403);
    expect(step.html).toContain('data-refusal="suspended"');
    expect(step.html).toContain('Medlemskapet ditt er suspendert');
    expect(step.html).toContain('href="/membership"');

    // Going back tells the service access_denied; nothing was issued.
    const uid = /\/sso\/interaction\/([^/"]+)\/abort/.exec(step.html)![1]!;
    const { res, html } = await browser.post(`/sso/interaction/${uid}/abort`, {});
    expect(res.status).toBe(200);
    const to = /<a class="button" href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const back = await follow(browser, to);
    const answer = new URL(back.location!);
    expect(answer.origin + answer.pathname).toBe(REDIRECT_URI);
    expect(answer.searchParams.get('error')).toBe('access_denied');
    expect(await issuedTo(user.id)).toEqual([]);
  });

  it('refuses an account without a membership at login, and issues nothing', async () => {
    // On PostgreSQL the read ahead finds no standing and the gate asks again by itself.
    const user = await createUser(h.db());
    const { step } = await logInAtClient(user);
    expect(step.location).toBeNull();
    expect(step.status).toBe(403);
    expect(step.html).toContain('data-refusal="no_member"');
    expect(await issuedTo(user.id)).toEqual([]);
  });

  it('refuses the refresh of a member whose membership lapsed, and userinfo with it', async () => {
    const { user, member } = await createMemberUser(h.db());
    const { config, step, checks } = await logInAtClient(user);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    await oidc.refreshTokenGrant(config, tokens.refresh_token!);

    await changeMemberStatus(app.ctx, {
      actor,
      memberId: member.id,
      to: 'lapsed',
      reason: 'Unpaid dues',
      via: 'board',
    });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, user.id)).rejects.toBeTruthy();
  });

  it("checks the client's service at every refresh, not only the membership", async () => {
    const { user } = await createMemberUser(h.db());
    const { config, step, checks } = await logInAtClient(user);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    const setStatus = (status: 'active' | 'maintenance') =>
      h.db().updateTable('services').set({ status }).where('id', '=', service.id).execute();

    await setStatus('maintenance');
    try {
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      await expect(oidc.fetchUserInfo(config, tokens.access_token, user.id)).rejects.toBeTruthy();
    } finally {
      await setStatus('active');
    }
    // The tokens were not destroyed by the gate: back in service, they work again.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
  });

  it('sends a member without access to an on-request service to request it', async () => {
    const onRequest = await insertService(h.db(), { accessPolicy: 'on_request' });
    const restricted = await insertClient(h.db(), { serviceId: onRequest.id });
    const { user } = await createMemberUser(h.db());
    const config = await relyingParty(app.url, restricted);
    const browser = new TestClient(app.url, { 'accept-language': 'en' });
    const { url } = await authorizationRequest(config);
    const step = await loginThrough(browser, url, { email: user.email, password: PASSWORD });
    expect(step.status).toBe(403);
    expect(step.html).toContain('data-refusal="access_required"');
    expect(step.html).toContain('Request access');
    expect(step.html).toContain('href="/services"');
  });

  it("asks a third-party client's consent on a CSRF-protected form", async () => {
    const thirdParty = await insertClient(h.db(), {
      serviceId: service.id,
      firstParty: false,
      confidential: true,
    });
    const { user } = await createMemberUser(h.db());
    const config = await relyingParty(app.url, thirdParty);
    const browser = new TestClient(app.url);
    const { url, checks } = await authorizationRequest(config, { scope: 'openid email' });
    const step = await loginThrough(browser, url, { email: user.email, password: PASSWORD });
    expect(step.status).toBe(200);
    expect(step.html).toContain('E-postadressen din');
    const uid = /\/sso\/interaction\/([^/"]+)\/consent/.exec(step.html)![1]!;

    const forged = await browser.post(`/sso/interaction/${uid}/consent`, {}, { csrf: null });
    expect(forged.res.status).toBe(403);

    const { html } = await browser.post(`/sso/interaction/${uid}/consent`, {});
    const to = /<a class="button" href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const done = await follow(browser, to);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), checks);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info.email).toBe(user.email);
    expect(info['groups']).toBeUndefined();

    // Consent is remembered: the next login goes straight through.
    const again = await authorizationRequest(config, { scope: 'openid email' });
    expect((await follow(browser, again.url)).location).toMatch(/\?code=/);
  });
});
