import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import type { TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import {
  authorizationRequest,
  follow,
  relyingParty,
  startWithLoggedInMember,
} from './oidc.test-support.js';

// On PostgreSQL each OIDC request reads its artefact, its client and the gate's standing
// of the account at that client's service in its first statement (oidc-adapter.ts,
// withRelatedQuery): a flow with an existing session and grant is an authorization of
// two statements (that read, the code's insert), a token request of two (that read, the
// consumption and the tokens together) and a userinfo request of one. The gate decides
// from what that statement read, so a change of standing between two requests shows in
// the next one. SQLite reads the artefact and client so, and the standing by itself.

/** Counts the statements the app sends through its database handle. */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    return Promise.resolve(args.result);
  }
}

describeEachDialect('OpenID Connect: statements per request', (h) => {
  let app: Running;
  let member: Awaited<ReturnType<typeof startWithLoggedInMember>>['member'];
  let client: { clientId: string; secret: string | null };
  let browser: TestClient;
  const counter = new StatementCounter();

  beforeAll(async () => {
    const database = h.database();
    ({ app, member, client, browser } = await startWithLoggedInMember({
      ...database,
      db: database.db.withPlugin(counter),
    }));
  });
  afterAll(async () => {
    await app?.close();
  });

  async function counted<T>(work: () => Promise<T>): Promise<{ value: T; statements: number }> {
    const before = counter.count;
    const value = await work();
    return { value, statements: counter.count - before };
  }

  async function flow(config: oidc.Configuration) {
    const { url, checks } = await authorizationRequest(config);
    const authorize = await counted(() => follow(browser, url));
    expect(authorize.value.location).toMatch(/\?code=/);
    const token = await counted(() =>
      oidc.authorizationCodeGrant(config, new URL(authorize.value.location!), checks),
    );
    const userinfo = await counted(() =>
      oidc.fetchUserInfo(config, token.value.access_token, member.user.id),
    );
    return {
      statements: [authorize.statements, token.statements, userinfo.statements],
      tokens: token.value,
      userinfo: userinfo.value,
    };
  }

  it('reads the artefact, the client and (PostgreSQL) the standing in one statement', async () => {
    const config = await relyingParty(app.url, client);
    await flow(config); // the first flow stores the grant
    const second = await flow(config);
    // PostgreSQL reads the standing ahead and writes the token request's changes in one
    // statement; SQLite runs the gate's own statement in each request (oidc-provider.ts)
    // and writes in a transaction of three (oidc-adapter.ts, applyPending).
    expect(second.statements).toEqual(h.dialect === 'postgres' ? [2, 2, 1] : [3, 5, 2]);
    // What the gate read ahead reached the claims.
    expect(second.userinfo).toMatchObject({
      sub: member.user.id,
      preferred_username: member.user.handle,
      membership: { status: 'active' },
    });
    expect(second.userinfo['groups']).toContain('members');
  });

  it('decides from the standing read with the token, request by request', async () => {
    const config = await relyingParty(app.url, client);
    const { tokens } = await flow(config);
    // Suspended behind the revocation's back: only the gate stands between the member
    // and the service now, and it must see the change at the very next request.
    const setStatus = (status: 'active' | 'suspended') =>
      h.db().updateTable('members').set({ status }).where('id', '=', member.member.id).execute();
    await setStatus('suspended');
    try {
      await expect(
        oidc.fetchUserInfo(config, tokens.access_token, member.user.id),
      ).rejects.toBeTruthy();
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    } finally {
      await setStatus('active');
    }
    const again = await flow(config);
    expect(again.userinfo).toMatchObject({ membership: { status: 'active' } });
  });
});
