import { afterEach, describe, expect, it } from 'vitest';
import { discourseConnector } from './discourse.js';
import { forgejoConnector } from './forgejo.js';
import { ConnectorError } from './http.js';
import { mastodonConnector } from './mastodon.js';
import { matrixUserId, serverNameOf, synapseConnector } from './synapse.js';
import {
  startDiscourse,
  startForgejo,
  startMastodon,
  startPeer,
  startSynapse,
  type Peer,
} from '../peers.test-support.js';
import type { ConnectorCall } from './types.js';

const now = new Date('2026-03-01T10:00:00Z');
const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

function call(baseUrl: string, token: string, subject: ConnectorCall['subject']): ConnectorCall {
  return {
    baseUrl,
    token,
    subject,
    note: 'Allmenning: membership suspended.',
    now,
    timeoutMs: 2000,
  };
}

describe('Mastodon connector', () => {
  it('disables the exact local account with a form post, and enables it again', async () => {
    const { peer, accounts } = await startMastodon({ token: 'tok-m', accounts: ['kari', 'karin'] });
    peers.push(peer);
    const c = call(peer.url, 'tok-m', { sub: 'u1', handle: 'Kari' });
    const res = await mastodonConnector.suspend(c);
    expect(res.outcome).toBe('done');
    expect(accounts.find((a) => a.username === 'kari')!.disabled).toBe(true);
    expect(accounts.find((a) => a.username === 'karin')!.disabled).toBe(false);
    expect(accounts.find((a) => a.domain)!.disabled).toBe(false);
    const [find, action] = peer.requests;
    expect(find!.method).toBe('GET');
    expect(find!.path).toBe('/api/v1/admin/accounts');
    expect(find!.query.get('local')).toBe('true');
    expect(find!.query.get('username')).toBe('Kari');
    expect(action!.method).toBe('POST');
    expect(action!.path).toBe('/api/v1/admin/accounts/109000/action');
    const form = new URLSearchParams(action!.body);
    expect(form.get('type')).toBe('disable');
    expect(form.get('text')).toContain('suspended');

    expect((await mastodonConnector.reinstate(c)).outcome).toBe('done');
    expect(peer.requests.at(-1)!.path).toBe('/api/v1/admin/accounts/109000/enable');
    expect(accounts.find((a) => a.username === 'kari')!.disabled).toBe(false);
  });

  it('reports a missing account, and a wrong token as an error without the token', async () => {
    const { peer } = await startMastodon({ token: 'tok-m', accounts: ['kari'] });
    peers.push(peer);
    expect(
      (await mastodonConnector.suspend(call(peer.url, 'tok-m', { sub: 'x', handle: 'ola' })))
        .outcome,
    ).toBe('not_found');
    const err = await mastodonConnector
      .suspend(call(peer.url, 'wrong-secret-token', { sub: 'x', handle: 'kari' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as Error).message).toBe('GET /api/v1/admin/accounts: HTTP 401');
    expect((err as Error).message).not.toContain('wrong-secret-token');
  });
});

describe('Synapse connector', () => {
  it('takes the server name from the URL fragment, else the host', () => {
    expect(serverNameOf('https://matrix.example.org#example.org')).toBe('example.org');
    expect(serverNameOf('https://matrix.example.org:8448/')).toBe('matrix.example.org:8448');
    expect(matrixUserId('Kari', 'https://m.example.org#example.org')).toBe('@kari:example.org');
  });

  it('locks an existing user and unlocks it; never creates one', async () => {
    const { peer, users } = await startSynapse({ token: 'tok-s', users: ['@kari:example.org'] });
    peers.push(peer);
    const base = `${peer.url}#example.org`;
    const res = await synapseConnector.suspend(call(base, 'tok-s', { sub: 'u', handle: 'kari' }));
    expect(res).toEqual({ outcome: 'done', detail: '@kari:example.org locked' });
    expect(users.get('@kari:example.org')!.locked).toBe(true);
    const put = peer.requests[1]!;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe('/_synapse/admin/v2/users/%40kari%3Aexample.org');
    expect(put.headers.authorization).toBe('Bearer tok-s');
    expect(JSON.parse(put.body)).toEqual({ locked: true });
    await synapseConnector.reinstate(call(base, 'tok-s', { sub: 'u', handle: 'kari' }));
    expect(users.get('@kari:example.org')!.locked).toBe(false);

    const before = peer.requests.length;
    const missing = await synapseConnector.suspend(
      call(base, 'tok-s', { sub: 'u', handle: 'ola' }),
    );
    expect(missing.outcome).toBe('not_found');
    expect(peer.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });
});

describe('Discourse connector', () => {
  it('finds by external id, suspends with a date and reason, logs out, and unsuspends', async () => {
    const { peer, users } = await startDiscourse({
      apiKey: 'key-d',
      users: [{ externalId: 'sub-123', id: 42 }],
    });
    peers.push(peer);
    const c = call(peer.url, 'key-d', { sub: 'sub-123', handle: 'kari' });
    expect((await discourseConnector.suspend(c)).outcome).toBe('done');
    expect(peer.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /u/by-external/sub-123.json',
      'PUT /admin/users/42/suspend.json',
      'POST /admin/users/42/log_out.json',
    ]);
    expect(peer.requests[1]!.headers['api-key']).toBe('key-d');
    expect(peer.requests[1]!.headers['api-username']).toBe('system');
    const u = users[0]!;
    expect(u.suspendedTill! > '2100-01-01').toBe(true);
    expect(u.reason).toContain('suspended');
    expect(u.loggedOut).toBe(1);
    await discourseConnector.reinstate(c);
    expect(peer.requests.at(-1)!.path).toBe('/admin/users/42/unsuspend.json');
    expect(u.suspendedTill).toBeNull();
    expect(
      (await discourseConnector.suspend(call(peer.url, 'key-d', { sub: 'other', handle: 'x' })))
        .outcome,
    ).toBe('not_found');
  });
});

describe('Forgejo connector', () => {
  it('prohibits login keeping login_name and source_id, and allows it again', async () => {
    const { peer, users } = await startForgejo({ token: 'tok-f', users: ['kari'] });
    peers.push(peer);
    const c = call(peer.url, 'tok-f', { sub: 'u', handle: 'kari' });
    expect((await forgejoConnector.suspend(c)).outcome).toBe('done');
    expect(users.get('kari')!.prohibit_login).toBe(true);
    const patch = peer.requests[1]!;
    expect(patch.method).toBe('PATCH');
    expect(patch.path).toBe('/api/v1/admin/users/kari');
    expect(patch.headers.authorization).toBe('token tok-f');
    expect(JSON.parse(patch.body)).toMatchObject({ prohibit_login: true });
    await forgejoConnector.reinstate(c);
    expect(users.get('kari')!.prohibit_login).toBe(false);
    expect(
      (await forgejoConnector.suspend(call(peer.url, 'tok-f', { sub: 'u', handle: 'nobody' })))
        .outcome,
    ).toBe('not_found');
  });
});

describe('request timeout', () => {
  it('gives up on a peer that does not answer, with a message naming no secret', async () => {
    const peer = await startPeer(
      () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, json: [] }), 1500)),
    );
    peers.push(peer);
    const err = await mastodonConnector
      .suspend({ ...call(peer.url, 'sekrit', { sub: 'u', handle: 'kari' }), timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('GET /api/v1/admin/accounts: no answer within 200 ms');
  });
});
