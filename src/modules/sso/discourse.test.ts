import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { translator } from '../../app/i18n.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { insertService } from '../../../test/helpers/sso-fixtures.js';
import type { Office } from '../members/members.tables.js';
import {
  decodeDiscourseRequest,
  discourseGroupsFor,
  encodeDiscoursePayload,
  verifyDiscourseSignature,
} from './discourse.js';
import { DiscoursePeer } from './discourse.test-peer.js';

const nb = translator('nb');
const en = translator('en');
const SECRET = 'a shared discourse connect secret';

describe('DiscourseConnect payloads', () => {
  it('signs the base64 text and verifies in constant time, any hex case', () => {
    const { sso, sig } = encodeDiscoursePayload(SECRET, { nonce: 'n1', name: 'Åse Ø' });
    expect(verifyDiscourseSignature(SECRET, sso, sig)).toBe(true);
    expect(verifyDiscourseSignature(SECRET, sso, sig.toUpperCase())).toBe(true);
    expect(verifyDiscourseSignature('another secret', sso, sig)).toBe(false);
    expect(verifyDiscourseSignature(SECRET, sso, sig.slice(1))).toBe(false);
    expect(verifyDiscourseSignature(SECRET, sso, 'z'.repeat(64))).toBe(false);
  });

  it('decodes only strict base64 with a nonce and a return URL', () => {
    const ok = Buffer.from('nonce=abc&return_sso_url=https%3A%2F%2Ff.example%2Fs').toString(
      'base64',
    );
    expect(decodeDiscourseRequest(ok)).toEqual({
      nonce: 'abc',
      returnSsoUrl: 'https://f.example/s',
    });
    expect(decodeDiscourseRequest(ok.replace(/=+$/, '') + '!')).toBeNull();
    expect(decodeDiscourseRequest(Buffer.from('nonce=abc').toString('base64'))).toBeNull();
  });

  it('puts a member in the groups of the offices held, and out of the others', () => {
    expect(discourseGroupsFor({ refusal: null, offices: ['treasurer'] })).toEqual({
      add: ['members', 'treasurer'],
      remove: ['board', 'board_member', 'board_alternate', 'moderator', 'sysadmin', 'auditor'],
    });
    expect(discourseGroupsFor({ refusal: 'suspended', offices: ['treasurer'] }).add).toEqual([]);
  });
});

describeEachDialect('DiscourseConnect provider', (h) => {
  let app: Running;
  let peer: DiscoursePeer;
  let forum: { id: string; slug: string };

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    peer = await new DiscoursePeer(SECRET).start();
    forum = await insertService(h.db(), {
      appSecret: app.ctx.secret,
      url: peer.url,
      slug: 'forum',
      name: 'Forumet',
      software: 'discourse',
      loginMethod: 'discourse',
      discourseSecret: SECRET,
    });
  });
  afterAll(async () => {
    await peer?.stop();
    await app?.close();
  });

  async function member(
    opts: { status?: 'active' | 'suspended' | 'lapsed'; offices?: Office[] } = {},
  ) {
    const m = await createMemberUser(h.db(), opts);
    const client = new TestClient(app.url);
    await client.logIn(m.user.email, PASSWORD);
    return { ...m, client };
  }

  /** Our answer handed to the forum, as the browser would follow the redirect. */
  async function deliver(location: string) {
    const res = await fetch(location);
    return { status: res.status, body: await res.text() };
  }

  it('answers a signed request with the member, signed, on the forum’s return URL', async () => {
    const { user, client } = await member();
    const { query, nonce } = peer.request();
    const { res } = await client.get(`/sso/discourse/forum?${query}`);
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${peer.url}/session/sso_login?`)).toBe(true);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const delivered = await deliver(location);
    expect(delivered.status).toBe(200);
    const login = peer.logins.at(-1)!;
    expect(login).toMatchObject({
      nonce,
      externalId: user.id,
      email: user.email,
      username: user.handle,
      name: user.name,
      requireActivation: false,
      addGroups: ['members'],
      removeGroups: [
        'board',
        'board_member',
        'board_alternate',
        'treasurer',
        'moderator',
        'sysadmin',
        'auditor',
      ],
    });

    const row = await h
      .db()
      .selectFrom('discourse_nonces')
      .selectAll()
      .where('nonce', '=', nonce)
      .executeTakeFirstOrThrow();
    expect(row.service_id).toBe(forum.id);
    expect(new Date(row.expires_at).getTime()).toBeGreaterThan(new Date(row.used_at).getTime());
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'after'])
      .where('action', '=', 'sso.discourse_login')
      .where('actor_user_id', '=', user.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).not.toContain(SECRET);
  });

  it('refuses a forged signature and a tampered payload, sending nothing', async () => {
    const { client } = await member();
    const forged = peer.request({ secret: 'not the shared secret' });
    let r = await client.get(`/sso/discourse/forum?${forged.query}`);
    expect(r.res.status).toBe(403);
    expect(r.res.headers.get('location')).toBeNull();
    expect(r.html).toContain('signatur');

    // A valid signature over one payload, sent with another.
    const real = new URLSearchParams(peer.request().query);
    const other = new URLSearchParams(peer.request({ returnSsoUrl: `${peer.url}/x` }).query);
    r = await client.get(
      `/sso/discourse/forum?sso=${encodeURIComponent(other.get('sso')!)}&sig=${real.get('sig')!}`,
    );
    expect(r.res.status).toBe(403);
    r = await client.get('/sso/discourse/forum?sso=&sig=');
    expect(r.res.status).toBe(400);
    const stored = await h
      .db()
      .selectFrom('discourse_nonces')
      .select('nonce')
      .where('nonce', '=', forged.nonce)
      .execute();
    expect(stored).toEqual([]);
  });

  it('answers a nonce once: a replayed request is refused', async () => {
    const { client } = await member();
    const { query } = peer.request();
    const first = await client.get(`/sso/discourse/forum?${query}`);
    expect(first.res.status).toBe(302);
    const again = await client.get(`/sso/discourse/forum?${query}`);
    expect(again.res.status).toBe(409);
    expect(again.res.headers.get('location')).toBeNull();
    expect(again.html).toContain('allerede brukt');
    // Nor by another member's session.
    const other = await member();
    expect((await other.client.get(`/sso/discourse/forum?${query}`)).res.status).toBe(409);
  });

  it('refuses a return URL outside the service’s origin (no open redirect)', async () => {
    const { client } = await member();
    for (const returnSsoUrl of [
      'https://evil.example/session/sso_login',
      `${peer.url.replace('127.0.0.1', 'localhost')}/session/sso_login`,
      'javascript:alert(1)',
      '/session/sso_login',
    ]) {
      const { query } = peer.request({ returnSsoUrl });
      const { res } = await client.get(`/sso/discourse/forum?${query}`);
      expect(res.status, returnSsoUrl).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('refuses a suspended member with a page saying why; nothing is sent', async () => {
    const { client } = await member({ status: 'suspended' });
    const { query, nonce } = peer.request();
    const { res, html } = await client.get(`/sso/discourse/forum?${query}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(html).toContain(nb('sso.refused.suspended'));
    expect(html).toContain(nb('discourse.refused.nothing_sent'));
    expect(html).toContain('href="/membership"');
    expect(html).not.toContain('sso_login?');
    const stored = await h
      .db()
      .selectFrom('discourse_nonces')
      .select('nonce')
      .where('nonce', '=', nonce)
      .execute();
    expect(stored).toEqual([]);
  });

  it('refuses a lapsed member, in English when asked', async () => {
    const { client } = await member({ status: 'lapsed' });
    const { query } = peer.request();
    const { res, html } = await client.get(`/sso/discourse/forum?${query}&lang=en`);
    expect(res.status).toBe(403);
    expect(html).toContain(en('sso.refused.not_active', { status: en('members.status.lapsed') }));
    expect(html).toContain(en('sso.refused.title', { service: 'Forumet' }));
  });

  it('refuses on a service by request until access is granted, linking to the request', async () => {
    const secret = 'another forum secret';
    const gated = await new DiscoursePeer(secret).start();
    try {
      await insertService(h.db(), {
        appSecret: app.ctx.secret,
        url: gated.url,
        slug: 'closed-forum',
        loginMethod: 'discourse',
        accessPolicy: 'on_request',
        discourseSecret: secret,
      });
      const { client } = await member();
      const { res, html } = await client.get(
        `/sso/discourse/closed-forum?${gated.request().query}`,
      );
      expect(res.status).toBe(403);
      expect(html).toContain(nb('sso.refused.access_required'));
      expect(html).toContain('href="/services"');
    } finally {
      await gated.stop();
    }
  });

  it('sends no unconfirmed email address: Discourse matches accounts by it', async () => {
    const { user, client } = await member();
    await h
      .db()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.id)
      .execute();
    const { res, html } = await client.get(`/sso/discourse/forum?${peer.request().query}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(html).toContain(nb('discourse.refused.email_unverified'));
    expect(html).toContain('href="/account"');
  });

  it('gives add_groups and remove_groups from the offices held', async () => {
    const { client } = await member({ offices: ['board_member', 'treasurer'] });
    const { query } = peer.request();
    const { res } = await client.get(`/sso/discourse/forum?${query}`);
    expect((await deliver(res.headers.get('location')!)).status).toBe(200);
    const login = peer.logins.at(-1)!;
    expect(login.addGroups).toEqual(['members', 'board', 'board_member', 'treasurer']);
    expect(login.removeGroups).toEqual(['board_alternate', 'moderator', 'sysadmin', 'auditor']);
  });

  it('sends a visitor to the login page and, once logged in, on to the forum', async () => {
    const { user } = await createMemberUser(h.db());
    const client = new TestClient(app.url);
    const { query, nonce } = peer.request();
    const path = `/sso/discourse/forum?${query}`;
    const first = await client.get(path);
    expect(first.res.status).toBe(303);
    const login = first.res.headers.get('location')!;
    expect(login).toBe(`/login?next=${encodeURIComponent(path)}`);
    await client.get(login);
    const posted = await client.post('/login', {
      email: user.email,
      password: PASSWORD,
      next: path,
    });
    expect(posted.res.status).toBe(303);
    expect(posted.res.headers.get('location')).toBe(path);
    const back = await client.get(path);
    expect(back.res.status).toBe(302);
    expect((await deliver(back.res.headers.get('location')!)).status).toBe(200);
    expect(peer.logins.at(-1)).toMatchObject({ nonce, externalId: user.id });
  });

  it('knows only DiscourseConnect services', async () => {
    await insertService(h.db(), {
      appSecret: app.ctx.secret,
      url: peer.url,
      slug: 'cloud',
      loginMethod: 'oidc',
    });
    const { client } = await member();
    const { query } = peer.request();
    expect((await client.get(`/sso/discourse/cloud?${query}`)).res.status).toBe(404);
    expect((await client.get(`/sso/discourse/nowhere?${query}`)).res.status).toBe(404);
  });

  it('the forum refuses anything but our own signed answer', () => {
    expect(peer.errors).toEqual([]);
    const bad = peer.receive('?sso=bm9uY2U9eA%3D%3D&sig=' + '0'.repeat(64));
    expect(bad).toEqual({ error: 'Bad signature for payload' });
  });
});
