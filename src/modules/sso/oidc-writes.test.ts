import * as oidc from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import type { TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import {
  authorizationRequest,
  follow,
  insertClient,
  insertService,
  relyingParty,
  startWithLoggedInMember,
} from './oidc.test-support.js';

// How the provider's storage writes (oidc-adapter.ts): the token endpoint applies the
// consumption of the code and the tokens it issues together, so two exchanges of one
// code at once cannot both get tokens; a session whose only change is its rolling
// expiry is not rewritten at every authorization.

describeEachDialect('OpenID Connect: the writes of a flow', (h) => {
  let app: Running;
  let member: Awaited<ReturnType<typeof startWithLoggedInMember>>['member'];
  let client: { clientId: string; secret: string | null };
  let browser: TestClient;

  beforeAll(async () => {
    ({ app, member, client, browser } = await startWithLoggedInMember(h.database()));
  });
  afterAll(async () => {
    await app?.close();
  });

  async function code(config: oidc.Configuration) {
    const { url, checks } = await authorizationRequest(config);
    const step = await follow(browser, url);
    expect(step.location).toMatch(/\?code=/);
    return { callback: new URL(step.location!), checks };
  }

  it('gives tokens to one of two exchanges of the same code at once, and revokes them', async () => {
    const config = await relyingParty(app.url, client);
    const { callback, checks } = await code(config);
    const results = await Promise.allSettled([
      oidc.authorizationCodeGrant(config, callback, checks),
      oidc.authorizationCodeGrant(config, callback, checks),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
    // A code used twice revokes what it issued, whichever exchange came second.
    const tokens = (won[0] as PromiseFulfilledResult<oidc.TokenEndpointResponse>).value;
    await expect(
      oidc.fetchUserInfo(config, tokens.access_token, member.user.id),
    ).rejects.toBeTruthy();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('does not rewrite a session at every authorization, but does when it changes', async () => {
    const config = await relyingParty(app.url, client);
    const sessions = () =>
      h
        .db()
        .selectFrom('oidc_payloads')
        .select(['id', 'payload', 'expires_at'])
        .where('model', '=', 'Session')
        .where('account_id', '=', member.user.id)
        .execute();
    await code(config);
    const [before] = await sessions();
    expect(before).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the expiry moves by seconds
    await code(config);
    expect(await sessions()).toEqual([before]);

    // A second client: the session gains an authorization, and is written.
    const other = await insertClient(h.db(), {
      serviceId: (await insertService(h.db())).id,
      confidential: true,
    });
    await code(await relyingParty(app.url, other));
    const [after] = await sessions();
    expect(after!.id).toBe(before!.id);
    expect(JSON.parse(after!.payload)).toMatchObject({
      authorizations: { [client.clientId]: {}, [other.clientId]: {} },
    });
    expect(after!.expires_at! > before!.expires_at!).toBe(true);
  });
});
