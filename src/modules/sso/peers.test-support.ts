import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

// Local HTTP peers for the enforcement tests: each answers the way the real service's
// admin API is documented to (method, path, auth header, body) and keeps the state the
// calls change, so a test sees a suspension and its reversal as the service would.

export type PeerRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
};

export type PeerAnswer = { status: number; json?: unknown };

export type Peer = {
  url: string;
  requests: PeerRequest[];
  /** Answers the next `n` requests with `status` (a failing service), then normally. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
};

export async function startPeer(
  answer: (req: PeerRequest) => PeerAnswer | Promise<PeerAnswer>,
): Promise<Peer> {
  const requests: PeerRequest[] = [];
  let failures = 0;
  let failStatus = 503;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://peer');
        const request: PeerRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        requests.push(request);
        let out: PeerAnswer;
        if (failures > 0) {
          failures--;
          out = { status: failStatus, json: { error: 'unavailable' } };
        } else {
          try {
            out = await answer(request);
          } catch {
            out = { status: 500, json: { error: 'peer crashed' } };
          }
        }
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(out.json === undefined ? '' : JSON.stringify(out.json));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(n, status = 503) {
      failures = n;
      failStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const unauthorized: PeerAnswer = { status: 401, json: { error: 'The access token is invalid' } };
const isForm = (r: PeerRequest) =>
  (r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
const isJson = (r: PeerRequest) => (r.headers['content-type'] ?? '').startsWith('application/json');

/** Mastodon: Bearer token; admin accounts listing (prefix match), action, enable. */
export async function startMastodon(opts: { token: string; accounts: string[] }) {
  const accounts = opts.accounts.map((username, i) => ({
    id: String(109000 + i),
    username,
    domain: null as string | null,
    disabled: false,
  }));
  // A remote account with the same name must never be picked.
  accounts.push({
    id: '999',
    username: opts.accounts[0] ?? 'x',
    domain: 'elsewhere.example',
    disabled: false,
  });
  const peer = await startPeer((r) => {
    if (r.headers.authorization !== `Bearer ${opts.token}`) return unauthorized;
    if (r.method === 'GET' && r.path === '/api/v1/admin/accounts') {
      const name = (r.query.get('username') ?? '').toLowerCase();
      const local = r.query.get('local') === 'true';
      return {
        status: 200,
        json: accounts.filter(
          (a) => a.username.toLowerCase().startsWith(name) && (!local || a.domain === null),
        ),
      };
    }
    const m = /^\/api\/v1\/admin\/accounts\/(\d+)\/(action|enable)$/.exec(r.path);
    const account = m ? accounts.find((a) => a.id === m[1]) : undefined;
    if (!m || r.method !== 'POST') return { status: 404, json: { error: 'Not found' } };
    if (!account) return { status: 404, json: { error: 'Record not found' } };
    if (m[2] === 'action') {
      if (!isForm(r)) return { status: 422, json: { error: 'form data expected' } };
      const form = new URLSearchParams(r.body);
      if (form.get('type') !== 'disable') return { status: 422, json: { error: 'bad type' } };
      account.disabled = true;
      return { status: 200, json: {} };
    }
    account.disabled = false;
    return { status: 200, json: { id: account.id, disabled: false } };
  });
  return { peer, accounts };
}

/** Synapse: Bearer token of a server admin; GET and PUT /_synapse/admin/v2/users/<id>. */
export async function startSynapse(opts: { token: string; users: string[] }) {
  const users = new Map(opts.users.map((id) => [id, { locked: false }]));
  const peer = await startPeer((r) => {
    if (r.headers.authorization !== `Bearer ${opts.token}`)
      return { status: 401, json: { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' } };
    const m = /^\/_synapse\/admin\/v2\/users\/([^/]+)$/.exec(r.path);
    if (!m) return { status: 404, json: { errcode: 'M_UNRECOGNIZED' } };
    const id = decodeURIComponent(m[1]!);
    const user = users.get(id);
    if (r.method === 'GET')
      return user
        ? { status: 200, json: { name: id, locked: user.locked, deactivated: false } }
        : { status: 404, json: { errcode: 'M_NOT_FOUND', error: 'User not found' } };
    if (r.method === 'PUT') {
      if (!isJson(r)) return { status: 400, json: { errcode: 'M_NOT_JSON' } };
      const body = JSON.parse(r.body) as { locked?: unknown };
      if (!user) return { status: 201, json: { name: id } }; // PUT would create: must not happen
      if (typeof body.locked === 'boolean') user.locked = body.locked;
      return { status: 200, json: { name: id, locked: user.locked } };
    }
    return { status: 405, json: { errcode: 'M_UNRECOGNIZED' } };
  });
  return { peer, users };
}

/** Discourse: Api-Key + Api-Username; by-external lookup, suspend, log_out, unsuspend. */
export async function startDiscourse(opts: {
  apiKey: string;
  users: { externalId: string; id: number }[];
}) {
  const users = opts.users.map((u) => ({
    ...u,
    suspendedTill: null as string | null,
    reason: '',
    loggedOut: 0,
  }));
  const peer = await startPeer((r) => {
    if (r.headers['api-key'] !== opts.apiKey || r.headers['api-username'] !== 'system')
      return {
        status: 403,
        json: { errors: ['You are not permitted to view the requested resource.'] },
      };
    const ext = /^\/u\/by-external\/([^/]+)\.json$/.exec(r.path);
    if (ext && r.method === 'GET') {
      const u = users.find((x) => x.externalId === decodeURIComponent(ext[1]!));
      return u
        ? { status: 200, json: { user: { id: u.id, username: `u${u.id}` } } }
        : { status: 404, json: { errors: ['not found'] } };
    }
    const m = /^\/admin\/users\/(\d+)\/(suspend|unsuspend|log_out)\.json$/.exec(r.path);
    const u = m ? users.find((x) => x.id === Number(m[1])) : undefined;
    if (!m || !u) return { status: 404, json: { errors: ['not found'] } };
    if (m[2] === 'suspend' && r.method === 'PUT') {
      const body = (isJson(r) ? JSON.parse(r.body) : {}) as {
        suspend_until?: string;
        reason?: string;
      };
      if (!body.suspend_until || !body.reason)
        return { status: 400, json: { errors: ['suspend_until and reason are required'] } };
      u.suspendedTill = body.suspend_until;
      u.reason = body.reason;
      return { status: 200, json: { suspension: { suspended_till: u.suspendedTill } } };
    }
    if (m[2] === 'unsuspend' && r.method === 'PUT') {
      u.suspendedTill = null;
      return { status: 200, json: { suspension: { suspended_till: null } } };
    }
    if (m[2] === 'log_out' && r.method === 'POST') {
      u.loggedOut++;
      return { status: 200, json: { success: 'OK' } };
    }
    return { status: 405, json: {} };
  });
  return { peer, users };
}

/** Forgejo: "Authorization: token …"; GET /api/v1/users/<name>, PATCH admin edit. */
export async function startForgejo(opts: { token: string; users: string[] }) {
  const users = new Map(
    opts.users.map((login, i) => [
      login,
      { login, source_id: 2, login_name: `sub-${i}`, prohibit_login: false },
    ]),
  );
  const peer = await startPeer((r) => {
    if (r.headers.authorization !== `token ${opts.token}`)
      return { status: 401, json: { message: 'token is required' } };
    const get = /^\/api\/v1\/users\/([^/]+)$/.exec(r.path);
    if (get && r.method === 'GET') {
      const u = users.get(decodeURIComponent(get[1]!));
      return u
        ? { status: 200, json: u }
        : { status: 404, json: { message: 'user does not exist' } };
    }
    const patch = /^\/api\/v1\/admin\/users\/([^/]+)$/.exec(r.path);
    if (patch && r.method === 'PATCH') {
      const u = users.get(decodeURIComponent(patch[1]!));
      if (!u) return { status: 404, json: { message: 'user does not exist' } };
      if (!isJson(r)) return { status: 415, json: { message: 'json expected' } };
      const body = JSON.parse(r.body) as {
        prohibit_login?: boolean;
        login_name?: string;
        source_id?: number;
      };
      if (body.login_name !== u.login_name || body.source_id !== u.source_id)
        return { status: 422, json: { message: 'login_name and source_id must be kept' } };
      if (typeof body.prohibit_login === 'boolean') u.prohibit_login = body.prohibit_login;
      return { status: 200, json: u };
    }
    return { status: 404, json: { message: 'not found' } };
  });
  return { peer, users };
}
