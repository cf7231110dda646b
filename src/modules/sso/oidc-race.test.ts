import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { systemClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { moveStatus, scopeOf } from '../members/member-status.js';
import { findMemberById } from '../members/members.repository.js';
import { createOidcAdapter } from './oidc-adapter.js';
import {
  authorizationRequest,
  insertClient,
  insertService,
  loginThrough,
  relyingParty,
} from './oidc.test-support.js';

// Tokens are stored only for an active member, decided by the statement that stores them:
// a refresh that passed the gate just before a suspension committed must not store (and
// answer with) a token after the suspension deleted the member's artefacts.

const actor = { userId: null, label: 'test' };

describeEachDialect('OpenID Connect: no token after a suspension', (h) => {
  let app: Running;
  let client: { clientId: string; secret: string | null };

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const service = await insertService(h.db(), { name: 'Sky' });
    client = await insertClient(h.db(), { serviceId: service.id, confidential: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  const tokenRows = (accountId: string) =>
    h
      .db()
      .selectFrom('oidc_payloads')
      .select(['model', 'id'])
      .where('account_id', '=', accountId)
      .where('model', 'in', ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Grant'])
      .execute();

  it('stores tokens, codes and grants only for an active member', async () => {
    const { Adapter } = createOidcAdapter({ db: h.db(), clock: systemClock });
    const { user: active } = await createMemberUser(h.db());
    const { user: suspended } = await createMemberUser(h.db(), { status: 'suspended' });
    const { user: lapsed } = await createMemberUser(h.db(), { status: 'lapsed' });
    const noMember = await createUser(h.db());
    const payload = (accountId: string) => ({
      accountId,
      clientId: client.clientId,
      grantId: `grant-${accountId}`,
    });

    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Grant']) {
      const adapter = new Adapter(model);
      await adapter.upsert(`${model}-ok`, payload(active.id), 60);
      // Saving again (the provider re-saves grants) updates the row.
      await adapter.upsert(`${model}-ok`, payload(active.id), 60);
      for (const refused of [suspended.id, lapsed.id, noMember.id])
        await expect(
          adapter.upsert(`${model}-${refused}`, payload(refused), 60),
        ).rejects.toMatchObject({ error: 'invalid_grant' });
    }
    expect((await tokenRows(active.id)).length).toBe(4);
    for (const refused of [suspended.id, lapsed.id, noMember.id])
      expect(await tokenRows(refused)).toEqual([]);
    // What is not issued to an account (sessions, interactions) is stored as before.
    await new Adapter('Session').upsert('session-x', { accountId: suspended.id, uid: 'u-x' }, 60);
    expect(await new Adapter('Session').findByUid('u-x')).toMatchObject({
      accountId: suspended.id,
    });
  });

  it('refuses a refresh that was running when a suspension committed, and stores nothing', async () => {
    if (h.dialect !== 'postgres') return; // SQLite runs one writer at a time: no such race.
    const { user, member } = await createMemberUser(h.db());
    const config = await relyingParty(app.url, client);
    const browser = new TestClient(app.url);
    const { url, checks } = await authorizationRequest(config);
    const step = await loginThrough(browser, url, { email: user.email, password: PASSWORD });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    expect(tokens.refresh_token).toBeTruthy();

    // The suspension: its transaction changes the status and deletes the member's
    // artefacts, and is held open before the commit.
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let suspended!: () => void;
    const inTransaction = new Promise<void>((resolve) => (suspended = resolve));
    const suspension = h
      .db()
      .transaction()
      .execute(async (tx) => {
        const now = new Date();
        const current = (await findMemberById(tx, member.id))!;
        await moveStatus(tx, await scopeOf(tx, now), {
          member: current,
          to: 'suspended',
          reason: 'AUP violation',
          actor,
          via: 'board',
        });
        suspended();
        await held;
      });
    await inTransaction;

    // The refresh passes the gate (the suspension is not committed) and reaches the
    // store of the new access token, which waits for the member's row.
    const refresh = oidc.refreshTokenGrant(config, tokens.refresh_token!).then(
      () => 'issued',
      (err: unknown) => (err as { error?: string }).error ?? String(err),
    );
    const waiting = async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db());
      return rows[0]!.n;
    };
    const deadline = Date.now() + 10_000;
    while ((await waiting()) === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await waiting()).toBe(1);

    commit();
    await suspension;
    expect(await refresh).toBe('invalid_grant');
    expect(await tokenRows(user.id)).toEqual([]);
    await expect(oidc.fetchUserInfo(config, tokens.access_token, user.id)).rejects.toBeTruthy();
  });
});
