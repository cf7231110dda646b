import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { secretBox } from '../../app/secret-box.js';
import { ADMIN, startTestApp, setUpAssociation, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { insertOidcClient, insertService } from '../../../test/helpers/sso-fixtures.js';
import { moveStatus, scopeOf } from '../members/member-status.js';
import { findMemberById } from '../members/members.repository.js';
import { changeMemberStatus } from '../members/members.usecases.js';
import { eraseMyself } from '../members/profile.usecases.js';
import { LOGOUT_EVENT } from './backchannel.js';
import { createOidcAdapter } from './oidc-adapter.js';
import { ensureSigningKey, publicJwks } from './oidc-keys.js';
import {
  startDiscourse,
  startForgejo,
  startMastodon,
  startPeer,
  startSynapse,
  type Peer,
} from './peers.test-support.js';
import { onServiceAccessWithdrawn } from './revocation.js';
import { verifyWebhook, type WebhookBody } from './webhooks.js';

const WEBHOOK_SECRET = 'whsec-test-0123456789';
const actor = { userId: null, label: 'test' };

describeEachDialect('revocation and enforcement', (h) => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let running: Running;
  let mastodon: Awaited<ReturnType<typeof startMastodon>>;
  let synapse: Awaited<ReturnType<typeof startSynapse>>;
  let discourse: Awaited<ReturnType<typeof startDiscourse>>;
  let forgejo: Awaited<ReturnType<typeof startForgejo>>;
  let webhook: Peer;
  let backchannel: Peer;
  const services: Record<string, string> = {};
  let clientId = '';
  let otherClientId = '';
  let discourseIds = 100;

  const db = () => running.ctx.db;

  async function configure(
    serviceId: string,
    set: {
      connector?: 'mastodon' | 'synapse' | 'discourse' | 'forgejo';
      url?: string;
      token?: string;
      webhook?: string;
    },
  ) {
    const box = secretBox(running.ctx.secret);
    await db()
      .updateTable('services')
      .set({
        ...(set.connector
          ? {
              connector: set.connector,
              connector_url: set.url!,
              connector_token_enc: box.seal(set.token!),
            }
          : {}),
        ...(set.webhook
          ? { webhook_url: set.webhook, webhook_secret_enc: box.seal(WEBHOOK_SECRET) }
          : {}),
      })
      .where('id', '=', serviceId)
      .execute();
  }

  /** A member with an account in every service. */
  async function memberEverywhere() {
    const { user, member } = await createMemberUser(db());
    mastodon.accounts.push({
      id: String(200000 + mastodon.accounts.length),
      username: user.handle,
      domain: null,
      disabled: false,
    });
    synapse.users.set(`@${user.handle}:example.org`, { locked: false });
    discourse.users.push({
      externalId: user.id,
      id: ++discourseIds,
      suspendedTill: null,
      reason: '',
      loggedOut: 0,
    });
    forgejo.users.set(user.handle, {
      login: user.handle,
      source_id: 3,
      login_name: user.id,
      prohibit_login: false,
    });
    return { user, member };
  }

  /** What oidc-provider stores for a member logged in at a client, through the real adapter. */
  async function artefacts(accountId: string, client: string, tag: string) {
    const { Adapter } = createOidcAdapter({ db: db(), clock });
    const now = Math.floor(clock.now().getTime() / 1000);
    const grantId = `grant-${tag}`;
    const common = { iat: now, exp: now + 3600, accountId, clientId: client, grantId };
    await new Adapter('Session').upsert(
      `sess-${tag}`,
      {
        iat: now,
        exp: now + 86400,
        jti: `sess-${tag}`,
        uid: `uid-${tag}`,
        kind: 'Session',
        accountId,
        loginTs: now,
        authorizations: { [client]: { sid: `sid-${tag}`, grantId, persistsLogout: true } },
      },
      86400,
    );
    await new Adapter('Grant').upsert(
      grantId,
      {
        iat: now,
        exp: now + 86400,
        jti: grantId,
        kind: 'Grant',
        accountId,
        clientId: client,
        openid: { scope: 'openid email profile offline_access' },
      },
      86400,
    );
    await new Adapter('AuthorizationCode').upsert(
      `code-${tag}`,
      { ...common, kind: 'AuthorizationCode', jti: `code-${tag}` },
      60,
    );
    await new Adapter('AccessToken').upsert(
      `at-${tag}`,
      { ...common, kind: 'AccessToken', jti: `at-${tag}` },
      3600,
    );
    await new Adapter('RefreshToken').upsert(
      `rt-${tag}`,
      { ...common, kind: 'RefreshToken', jti: `rt-${tag}` },
      86400 * 14,
    );
    await new Adapter('Interaction').upsert(
      `int-${tag}`,
      {
        iat: now,
        exp: now + 600,
        jti: `int-${tag}`,
        kind: 'Interaction',
        session: { accountId, uid: `uid-${tag}`, cookie: `sess-${tag}` },
        params: { client_id: client },
      },
      600,
    );
  }

  const rowsOf = (accountId: string) =>
    db()
      .selectFrom('oidc_payloads')
      .select(['model', 'id', 'client_id'])
      .where('account_id', '=', accountId)
      .orderBy('model')
      .execute();

  beforeAll(async () => {
    running = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(running);
    await ensureSigningKey(db(), { secret: running.ctx.secret, now: clock.now() });
    mastodon = await startMastodon({ token: 'm-token', accounts: [] });
    synapse = await startSynapse({ token: 's-token', users: [] });
    discourse = await startDiscourse({ apiKey: 'd-key', users: [] });
    forgejo = await startForgejo({ token: 'f-token', users: [] });
    webhook = await startPeer(() => ({ status: 200 }));
    backchannel = await startPeer(() => ({ status: 200 }));
    const secret = running.ctx.secret;
    for (const [slug, software] of [
      ['mastodon', 'mastodon'],
      ['matrix', 'synapse'],
      ['forum', 'discourse'],
      ['git', 'forgejo'],
      ['cloud', 'nextcloud'],
      ['photos', 'pixelfed'],
    ] as const) {
      services[slug] = (
        await insertService(db(), {
          appSecret: secret,
          url: `https://${slug}.example.org`,
          slug,
          software,
        })
      ).id;
    }
    await configure(services['mastodon']!, {
      connector: 'mastodon',
      url: mastodon.peer.url,
      token: 'm-token',
    });
    await configure(services['matrix']!, {
      connector: 'synapse',
      url: `${synapse.peer.url}#example.org`,
      token: 's-token',
    });
    await configure(services['forum']!, {
      connector: 'discourse',
      url: discourse.peer.url,
      token: 'd-key',
    });
    await configure(services['git']!, {
      connector: 'forgejo',
      url: forgejo.peer.url,
      token: 'f-token',
    });
    await configure(services['cloud']!, { webhook: `${webhook.url}/hooks/allmenning` });
    clientId = (
      await insertOidcClient(db(), {
        serviceId: services['cloud']!,
        secret: 'cloud-secret',
        redirectUris: ['https://cloud.example.org/apps/user_oidc/code'],
        backchannelLogoutUri: `${backchannel.url}/apps/user_oidc/backchannel-logout/allmenning`,
      })
    ).clientId;
    otherClientId = (
      await insertOidcClient(db(), {
        serviceId: services['photos']!,
        redirectUris: ['https://photos.example.org/auth/oidc/callback'],
        backchannelLogoutUri: `${backchannel.url}/pixelfed/logout`,
      })
    ).clientId;
  });

  afterAll(async () => {
    await running.close();
    for (const p of [
      mastodon.peer,
      synapse.peer,
      discourse.peer,
      forgejo.peer,
      webhook,
      backchannel,
    ])
      await p.close();
  });

  it('a rolled-back status change leaves every artefact and queues nothing', async () => {
    const { user, member } = await memberEverywhere();
    await artefacts(user.id, clientId, `rb-${user.id}`);
    const before = await rowsOf(user.id);
    expect(before.map((r) => r.model)).toEqual([
      'AccessToken',
      'AuthorizationCode',
      'Grant',
      'Interaction',
      'RefreshToken',
      'Session',
    ]);
    const outboxBefore = (await db().selectFrom('outbox').select('id').execute()).length;
    const seenInside: number[] = [];
    await expect(
      db()
        .transaction()
        .execute(async (tx) => {
          const scope = await scopeOf(tx, clock.now());
          const row = (await findMemberById(tx, member.id))!;
          await moveStatus(tx, scope, {
            member: row,
            to: 'suspended',
            reason: 'AUP',
            actor,
            via: 'board',
          });
          // Inside the transaction the tokens are already gone …
          const inside = await tx
            .selectFrom('oidc_payloads')
            .select('id')
            .where('account_id', '=', user.id)
            .execute();
          seenInside.push(inside.length);
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    expect(seenInside).toEqual([0]);
    // … and the rollback brings them back, with nothing queued.
    expect(await rowsOf(user.id)).toEqual(before);
    expect((await db().selectFrom('outbox').select('id').execute()).length).toBe(outboxBefore);
  });

  it('a suspension revokes in its transaction, logs out, signs the webhook, and the connectors disable; reinstatement reverses', async () => {
    const { user, member } = await memberEverywhere();
    const other = await createMemberUser(db());
    await artefacts(user.id, clientId, `s-${user.id}`);
    await artefacts(other.user.id, clientId, `o-${other.user.id}`);
    const otherBefore = await rowsOf(other.user.id);

    await changeMemberStatus(running.ctx, {
      actor,
      memberId: member.id,
      to: 'suspended',
      reason: 'AUP §3',
      via: 'board',
    });

    // The transaction itself refused the tokens: nothing of the member is left.
    expect(await rowsOf(user.id)).toEqual([]);
    expect(await rowsOf(other.user.id)).toEqual(otherBefore);
    // Allmenning's own login keeps working, to see why and to pay.
    const client = new TestClient(running.url);
    await client.logIn(user.email, PASSWORD);
    expect((await client.get('/membership')).res.status).toBe(200);

    const webhooksBefore = webhook.requests.length;
    const logoutsBefore = backchannel.requests.length;
    await running.worker.runOnce();

    // Back-channel logout: one, for the client the member used, with the session's sid.
    const logouts = backchannel.requests.slice(logoutsBefore);
    expect(logouts).toHaveLength(1);
    const logout = logouts[0]!;
    expect(logout.method).toBe('POST');
    expect(logout.path).toBe('/apps/user_oidc/backchannel-logout/allmenning');
    expect(logout.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const token = new URLSearchParams(logout.body).get('logout_token')!;
    const jwks = createLocalJWKSet(await publicJwks(db()));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: `${running.ctx.config.baseUrl}/oidc`,
      audience: clientId,
      typ: 'logout+jwt',
      currentDate: clock.now(),
    });
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload.sub).toBe(user.id);
    expect(payload['sid']).toBe(`sid-s-${user.id}`);
    expect(payload['events']).toEqual({ [LOGOUT_EVENT]: {} });
    expect(payload).not.toHaveProperty('nonce');
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(120);

    // The signed webhook.
    const hooks = webhook.requests.slice(webhooksBefore);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook.path).toBe('/hooks/allmenning');
    expect(hook.headers['content-type']).toBe('application/json');
    const ts = hook.headers['allmenning-timestamp'] as string;
    const signature = hook.headers['allmenning-signature'] as string;
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(
      verifyWebhook({
        secret: WEBHOOK_SECRET,
        body: hook.body,
        timestamp: ts,
        signature,
        now: clock.now(),
      }),
    ).toBe(true);
    expect(
      verifyWebhook({
        secret: WEBHOOK_SECRET,
        body: hook.body.replace('suspended', 'reinstated'),
        timestamp: ts,
        signature,
        now: clock.now(),
      }),
    ).toBe(false);
    expect(
      verifyWebhook({
        secret: 'wrong',
        body: hook.body,
        timestamp: ts,
        signature,
        now: clock.now(),
      }),
    ).toBe(false);
    expect(
      verifyWebhook({
        secret: WEBHOOK_SECRET,
        body: hook.body,
        timestamp: ts,
        signature,
        now: new Date(clock.now().getTime() + 301_000),
      }),
    ).toBe(false);
    const body = JSON.parse(hook.body) as WebhookBody;
    expect(body).toMatchObject({
      event: 'membership.suspended',
      member: { sub: user.id, preferred_username: user.handle },
      service: { id: services['cloud'], slug: 'cloud' },
      at: clock.now().toISOString(),
    });
    expect(hook.headers['allmenning-event-id']).toBe(body.id);

    // The connectors.
    expect(mastodon.accounts.find((a) => a.username === user.handle)!.disabled).toBe(true);
    expect(synapse.users.get(`@${user.handle}:example.org`)!.locked).toBe(true);
    const d = discourse.users.find((u) => u.externalId === user.id)!;
    expect(d.suspendedTill).not.toBeNull();
    expect(d.loggedOut).toBe(1);
    expect(forgejo.users.get(user.handle)!.prohibit_login).toBe(true);
    const rows = await db()
      .selectFrom('service_enforcements')
      .selectAll()
      .where('member_id', '=', member.id)
      .execute();
    expect(rows).toHaveLength(4);
    expect(
      rows.every(
        (r) =>
          r.action === 'suspend' &&
          r.reason === 'suspended' &&
          r.status === 'done' &&
          r.attempts === 1,
      ),
    ).toBe(true);
    expect(rows.map((r) => r.result).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^done: /)]),
    );
    // No secret went anywhere it should not.
    const stored = JSON.stringify(await db().selectFrom('outbox').selectAll().execute());
    for (const secret of ['m-token', 's-token', 'd-key', 'f-token', WEBHOOK_SECRET])
      expect(stored).not.toContain(secret);

    // Reinstatement reverses the connectors and tells the webhook.
    clock.advance(60_000);
    await changeMemberStatus(running.ctx, {
      actor,
      memberId: member.id,
      to: 'active',
      reason: null,
      via: 'board',
    });
    await running.worker.runOnce();
    expect(mastodon.accounts.find((a) => a.username === user.handle)!.disabled).toBe(false);
    expect(synapse.users.get(`@${user.handle}:example.org`)!.locked).toBe(false);
    expect(d.suspendedTill).toBeNull();
    expect(forgejo.users.get(user.handle)!.prohibit_login).toBe(false);
    const after = await db()
      .selectFrom('service_enforcements')
      .selectAll()
      .where('member_id', '=', member.id)
      .where('action', '=', 'reinstate')
      .execute();
    expect(after).toHaveLength(4);
    expect(after.every((r) => r.status === 'done' && r.reason === 'reinstated')).toBe(true);
    const last = JSON.parse(webhook.requests.at(-1)!.body) as WebhookBody;
    expect(last.event).toBe('membership.reinstated');
  });

  it('a failing service is retried with backoff, the error is shown, "retry now" works, then it succeeds', async () => {
    const { user, member } = await memberEverywhere();
    mastodon.peer.failNext(2, 503);
    clock.advance(60_000);
    await changeMemberStatus(running.ctx, {
      actor,
      memberId: member.id,
      to: 'lapsed',
      reason: 'Unpaid 2026',
      via: 'board',
    });
    await running.worker.runOnce();
    const row = () =>
      db()
        .selectFrom('service_enforcements')
        .selectAll()
        .where('member_id', '=', member.id)
        .where('service_id', '=', services['mastodon']!)
        .executeTakeFirstOrThrow();
    let r = await row();
    expect(r).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'GET /api/v1/admin/accounts: HTTP 503',
      reason: 'lapsed',
    });
    const item = () =>
      db().selectFrom('outbox').selectAll().where('recipient', '=', r.id).executeTakeFirstOrThrow();
    expect((await item()).status).toBe('pending');
    expect(Date.parse((await item()).next_attempt_at) - clock.now().getTime()).toBe(30_000);
    // Not due yet: nothing happens.
    const calls = mastodon.peer.requests.length;
    await running.worker.runOnce();
    expect(mastodon.peer.requests.length).toBe(calls);
    // Due after the backoff: fails once more, the next wait doubles.
    clock.advance(30_000);
    await running.worker.runOnce();
    r = await row();
    expect(r).toMatchObject({ status: 'failed', attempts: 2 });
    expect(Date.parse((await item()).next_attempt_at) - clock.now().getTime()).toBe(60_000);

    // The administrators see it, and may retry at once; a member without the office may not.
    const admin = new TestClient(running.url);
    await admin.logIn(ADMIN.email, ADMIN.password);
    const pageRes = await admin.get(`/admin/services/${services['mastodon']}/enforcements`);
    expect(pageRes.res.status).toBe(200);
    expect(pageRes.html).toContain('GET /api/v1/admin/accounts: HTTP 503');
    expect(pageRes.html).toContain(`action="/admin/enforcements/${r.id}/retry"`);
    expect(pageRes.html).not.toContain('m-token');
    const memberPage = await admin.get(`/admin/members/${member.id}/enforcements`);
    expect(memberPage.res.status).toBe(200);
    expect(memberPage.html).toContain('HTTP 503');

    const plain = new TestClient(running.url);
    await plain.logIn(user.email, PASSWORD);
    expect(
      (await plain.get(`/admin/services/${services['mastodon']}/enforcements`)).res.status,
    ).toBe(403);
    expect((await plain.get(`/admin/members/${member.id}/enforcements`)).res.status).toBe(403);
    await plain.get('/membership');
    expect(
      (await plain.post(`/admin/enforcements/${r.id}/retry`, { back: 'service' })).res.status,
    ).toBe(403);
    // Without the CSRF token even the administrator is refused.
    expect(
      (await admin.post(`/admin/enforcements/${r.id}/retry`, { back: 'service' }, { csrf: null }))
        .res.status,
    ).toBe(403);

    await admin.get(`/admin/services/${services['mastodon']}/enforcements`);
    const retried = await admin.post(`/admin/enforcements/${r.id}/retry`, { back: 'service' });
    expect(retried.res.status).toBe(303);
    expect(retried.res.headers.get('location')).toBe(
      `/admin/services/${services['mastodon']}/enforcements`,
    );
    expect((await row()).status).toBe('pending');
    await running.worker.runOnce();
    r = await row();
    expect(r).toMatchObject({ status: 'done', attempts: 3, last_error: null });
    expect(mastodon.accounts.find((a) => a.username === user.handle)!.disabled).toBe(true);
    // A call that is not failed cannot be retried.
    await admin.get(`/admin/services/${services['mastodon']}/enforcements`);
    expect(
      (await admin.post(`/admin/enforcements/${r.id}/retry`, { back: 'member' })).res.status,
    ).toBe(409);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', r.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['enforcement.retried']);
  });

  it('erasing the account revokes everything and tells the services, with the handle captured', async () => {
    const { user, member } = await memberEverywhere();
    await artefacts(user.id, clientId, `e-${user.id}`);
    const hooksBefore = webhook.requests.length;
    clock.advance(60_000);
    await eraseMyself(running.ctx, { userId: user.id, currentPassword: PASSWORD });
    expect(await rowsOf(user.id)).toEqual([]);
    expect(await db().selectFrom('users').select('id').where('id', '=', user.id).execute()).toEqual(
      [],
    );
    await running.worker.runOnce();
    const hook = JSON.parse(webhook.requests.slice(hooksBefore)[0]!.body) as WebhookBody;
    expect(hook).toMatchObject({
      event: 'account.erased',
      member: { sub: user.id, preferred_username: user.handle },
    });
    expect(mastodon.accounts.find((a) => a.username === user.handle)!.disabled).toBe(true);
    const rows = await db()
      .selectFrom('service_enforcements')
      .select(['reason', 'status'])
      .where('member_id', '=', member.id)
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.reason === 'erased' && r.status === 'done')).toBe(true);
  });

  it("withdrawing one service's access revokes only that service's clients", async () => {
    const { user, member } = await memberEverywhere();
    await artefacts(user.id, clientId, `w1-${user.id}`);
    await artefacts(user.id, otherClientId, `w2-${user.id}`);
    const logoutsBefore = backchannel.requests.length;
    await db()
      .transaction()
      .execute((tx) =>
        onServiceAccessWithdrawn(tx, {
          memberId: member.id,
          userId: user.id,
          serviceId: services['photos']!,
          reason: 'misuse',
          now: clock.now(),
        }),
      );
    const left = await rowsOf(user.id);
    expect(left.filter((r) => r.model !== 'Session').every((r) => r.client_id === clientId)).toBe(
      true,
    );
    expect(left.filter((r) => r.client_id === clientId)).toHaveLength(5);
    const sessions = await db()
      .selectFrom('oidc_payloads')
      .select('payload')
      .where('model', '=', 'Session')
      .where('account_id', '=', user.id)
      .execute();
    const auths = sessions.map((s) =>
      Object.keys((JSON.parse(s.payload) as { authorizations: object }).authorizations),
    );
    expect(auths.flat().sort()).toEqual([clientId]);
    await running.worker.runOnce();
    const logouts = backchannel.requests.slice(logoutsBefore);
    expect(logouts.map((l) => l.path)).toEqual(['/pixelfed/logout']);
  });
});

describe('webhook verification', () => {
  it('accepts only a fresh, matching signature', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const ts = String(Math.floor(now.getTime() / 1000));
    expect(verifyWebhook({ secret: 's', body: '{}', timestamp: ts, signature: 'v1=00', now })).toBe(
      false,
    );
    expect(
      verifyWebhook({ secret: 's', body: '{}', timestamp: null, signature: 'v1=00', now }),
    ).toBe(false);
  });
});
