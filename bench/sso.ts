// Single sign-on under load (issue 4), on SQLite and PostgreSQL, against a register of
// BENCH_MEMBERS members and a few thousand stored OIDC artefacts:
//   - full code flows per second — authorize with an existing session → code → token →
//     userinfo, PKCE S256, a confidential client, PARALLEL browsers — through Allmenning's
//     provider at /oidc and through a bare oidc-provider on its in-memory adapter in this
//     same process (the ceiling: no database, no gate, no claims lookup). The two run in
//     alternating rounds so that the noise of a shared machine falls on both alike;
//     target: Allmenning ≥ 50 % of the ceiling (median of the rounds' ratios);
//   - token refresh and userinfo p95, one request after another;
//   - suspension → every token refused: a member holds TOKENS access and refresh tokens
//     across several clients while relying parties keep calling userinfo and refresh with
//     them; the board suspends the member (changeMemberStatus, the use-case behind the
//     status form). Target: immediate — no token is accepted by a request sent after the
//     suspension's transaction committed.
// Run alone: npx tsx bench/sso.ts   (BENCH_DB=sqlite|postgres, BENCH_MEMBERS=100000,
// BENCH_SSO_FLOWS=60 per round, BENCH_SSO_ROUNDS=7, BENCH_SSO_PAYLOADS=5000,
// BENCH_SSO_TOKENS=50, BENCH_SSO_SAMPLES=200)
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import Provider, { type Configuration } from 'oidc-provider';
import pino from 'pino';
import { startServer, type Running } from '../src/app/bootstrap.js';
import { testConfig } from '../src/app/config.js';
import type { Database, Db, Dialect } from '../src/app/db.js';
import { newId, newToken } from '../src/app/ids.js';
import { setupSchema } from '../src/modules/association/association.schemas.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import { changeMemberStatus } from '../src/modules/members/members.usecases.js';
import { TestClient } from '../test/helpers/app.js';
import { createMemberUser, PASSWORD } from '../test/helpers/fixtures.js';
import { insertOidcClient, insertService } from '../test/helpers/sso-fixtures.js';
import { seedMembers } from './data.js';
import { percentile } from './http.js';
import { benchDialects, freshDatabase, ms, printTable, type BenchRow } from './support.js';

const FLOWS = Number(process.env['BENCH_SSO_FLOWS'] ?? 60);
const ROUNDS = Number(process.env['BENCH_SSO_ROUNDS'] ?? 7);
const PAYLOADS = Number(process.env['BENCH_SSO_PAYLOADS'] ?? 5000);
const TOKENS = Number(process.env['BENCH_SSO_TOKENS'] ?? 50);
const SAMPLES = Number(process.env['BENCH_SSO_SAMPLES'] ?? 200);
/** Browsers (and relying parties) working at once. */
const PARALLEL = 4;
/** Clients (services) the suspended member holds tokens at. */
const SUSPENSION_CLIENTS = 5;
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const SCOPE = 'openid profile email groups membership';
const CLIENT_SCOPES = ['openid', 'profile', 'email', 'groups', 'membership'];

const perS = (v: number) => `${v.toFixed(1)} flows/s`;
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;

type Log = (line: string) => void;

/** The table a query starts from, e.g. "select oidc_payloads" (for the breakdown). */
function queryLabel(node: RootOperationNode): string {
  const name = (n: unknown): string => {
    const t = n as { kind?: string; node?: unknown; table?: { identifier?: { name?: string } } };
    if (t?.kind === 'AliasNode') return name(t.node);
    return t?.table?.identifier?.name ?? '?';
  };
  if (node.kind === 'SelectQueryNode') return `select ${name(node.from?.froms[0])}`;
  if (node.kind === 'InsertQueryNode') return `insert ${name(node.into)}`;
  if (node.kind === 'UpdateQueryNode') return `update ${name(node.table)}`;
  if (node.kind === 'DeleteQueryNode') return `delete ${name(node.from.froms[0])}`;
  return node.kind;
}

/** Counts the queries the app sends. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  tally: Map<string, number> | null = null;
  // A plugin sees a built query as it is compiled, and every executed query's result;
  // the app's reusable statements (app/reusable-query.ts) are compiled once, so queries
  // are counted at their results and labelled by what their compilation recorded.
  private labels = new WeakMap<object, string>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.tally) this.labels.set(args.queryId, queryLabel(args.node));
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    if (this.tally) {
      const label = this.labels.get(args.queryId) ?? 'reusable';
      this.tally.set(label, (this.tally.get(label) ?? 0) + 1);
    }
    return Promise.resolve(args.result);
  }
}

// --- a relying party in miniature ----------------------------------------------------
// Plain fetch rather than openid-client: the relying party runs in this process too, and
// its own work (ID token checks, JWKS) would flatten the difference being measured. What
// a relying party must send is all here: PKCE S256, state, client_secret_basic.

type Rp = {
  clientId: string;
  secret: string;
  authorization: string;
  token: string;
  userinfo: string;
};

type Tokens = { access_token: string; refresh_token?: string; id_token?: string };

async function relyingParty(
  issuer: string,
  client: { clientId: string; secret: string },
): Promise<Rp> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`discovery at ${issuer} answered ${res.status}`);
  const meta = (await res.json()) as Record<string, string>;
  return {
    ...client,
    authorization: meta['authorization_endpoint']!,
    token: meta['token_endpoint']!,
    userinfo: meta['userinfo_endpoint']!,
  };
}

function basicAuth(rp: Rp): string {
  const enc = (v: string) => encodeURIComponent(v);
  return `Basic ${Buffer.from(`${enc(rp.clientId)}:${enc(rp.secret)}`).toString('base64')}`;
}

async function tokenRequest(rp: Rp, body: Record<string, string>): Promise<Response> {
  return fetch(rp.token, {
    method: 'POST',
    headers: {
      authorization: basicAuth(rp),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(body),
  });
}

/** Follows the browser's redirects on the provider's origin until it is sent away. */
async function follow(browser: TestClient, start: string): Promise<string> {
  let url = start;
  for (let hop = 0; hop < 12; hop++) {
    const { res } = await browser.get(url);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location)
      throw new Error(
        `the flow stopped at ${new URL(url, browser.baseUrl).pathname}: ${res.status}`,
      );
    const next = new URL(location, new URL(url, browser.baseUrl));
    if (next.origin !== new URL(browser.baseUrl).origin) return next.href;
    url = next.href;
  }
  throw new Error('too many redirects');
}

type Step = 'authorize' | 'token' | 'userinfo';

/** One full code flow in a browser that has a session; returns the tokens. */
async function codeFlow(
  browser: TestClient,
  rp: Rp,
  onStep: (step: Step) => void = () => {},
): Promise<Tokens> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const auth = new URL(rp.authorization);
  auth.search = new URLSearchParams({
    response_type: 'code',
    client_id: rp.clientId,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const back = new URL(await follow(browser, auth.href));
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state)
    throw new Error(`no code: ${back.searchParams.get('error') ?? back.href}`);
  onStep('authorize');
  const res = await tokenRequest(rp, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  const tokens = (await res.json()) as Tokens;
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  onStep('token');
  const info = await userinfo(rp, tokens.access_token);
  if (!info) throw new Error('userinfo refused a fresh access token');
  onStep('userinfo');
  return tokens;
}

/** True when userinfo accepts the token (200), false when it refuses it (401). */
async function userinfo(rp: Rp, accessToken: string): Promise<boolean> {
  const res = await fetch(rp.userinfo, { headers: { authorization: `Bearer ${accessToken}` } });
  await res.arrayBuffer();
  if (res.status === 200) return true;
  if (res.status === 401) return false;
  throw new Error(`userinfo answered ${res.status}`);
}

/** True when the token endpoint refreshes (200), false when it refuses (400 invalid_grant). */
async function refresh(rp: Rp, refreshToken: string): Promise<boolean> {
  const res = await tokenRequest(rp, { grant_type: 'refresh_token', refresh_token: refreshToken });
  const body = (await res.json()) as { error?: string };
  if (res.status === 200) return true;
  if (res.status === 400 && body.error === 'invalid_grant') return false;
  throw new Error(`refresh answered ${res.status} ${body.error ?? ''}`);
}

/** CPU milliseconds used so far by everything that serves the flows. */
type CpuMeter = () => Promise<number>;

/** This process: the app, the bare provider and the relying parties alike. */
const processCpu: CpuMeter = () => {
  const { user, system } = process.cpuUsage();
  return Promise.resolve((user + system) / 1000);
};

/** A process's CPU time from /proc (Linux; clock ticks of 10 ms), 0 when unreadable. */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime
  } catch {
    return 0;
  }
}

/**
 * This process plus the PostgreSQL server processes of the database (on this machine,
 * as here), so that the database's work counts too. Backends that ended are not seen.
 */
function withPostgresCpu(db: Db): CpuMeter {
  const seen = new Map<number, number>();
  return async () => {
    const { rows } = await sql<{
      pid: number;
    }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
    for (const { pid } of rows) seen.set(pid, procCpuMs(pid));
    return (await processCpu()) + [...seen.values()].reduce((a, b) => a + b, 0);
  };
}

type Throughput = { perSecond: number; cpuMsPerFlow: number };

/** Runs `count` flows over the browsers (one flow at a time each). */
async function flowsPerSecond(
  browsers: TestClient[],
  rp: Rp,
  count: number,
  cpu: CpuMeter = processCpu,
): Promise<Throughput> {
  let started = 0;
  const cpuBefore = await cpu();
  const t = performance.now();
  await Promise.all(
    browsers.map(async (browser) => {
      while (started < count) {
        started++;
        await codeFlow(browser, rp);
      }
    }),
  );
  const perSecond = count / ((performance.now() - t) / 1000);
  return { perSecond, cpuMsPerFlow: ((await cpu()) - cpuBefore) / count };
}

async function timed(count: number, run: () => Promise<boolean>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    if (!(await run())) throw new Error('refused while timing');
    times.push(performance.now() - t);
  }
  return times;
}

// --- the ceiling: a bare oidc-provider, in-memory, on its own loopback server ---------

type Bare = { server: Server; issuer: string; client: { clientId: string; secret: string } };

async function startBareProvider(): Promise<Bare> {
  const client = { clientId: 'bench', secret: newToken(32) };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The same signature as Allmenning's ID tokens: RS256 with a 2048-bit key.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const configuration: Configuration = {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.secret,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: CLIENT_SCOPES.join(' '),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: CLIENT_SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
      membership: ['membership'],
    },
    responseTypes: ['code'],
    // Allmenning's lifetimes (src/modules/sso/oidc-provider.ts TTL).
    ttl: {
      AccessToken: 15 * 60,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 365 * 86400,
      Session: 14 * 86400,
      RefreshToken: 30 * 86400,
    },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // As Allmenning: a confidential client gets a refresh token with every code.
    issueRefreshToken: (_ctx, c) => c.grantTypeAllowed('refresh_token'),
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({
        sub,
        name: 'Bench Member',
        preferred_username: 'bench',
        email: 'bench@example.org',
        email_verified: true,
        groups: ['members'],
        membership: { status: 'active', type: 'ordinary', paid_until: '2027-06-30' },
      }),
    }),
    // A first-party client: no consent, the grant covers what is asked.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const grantId = oidc.session!.grantIdFor(oidc.client!.clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new oidc.provider.Grant({
        clientId: oidc.client!.clientId,
        accountId: oidc.session!.accountId!,
      });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    // The login interaction ends at once: the browser is "logged in" as the bench account.
    if (req.url?.startsWith('/interaction/')) {
      provider
        .interactionFinished(req, res, { login: { accountId: 'bench-account' } })
        .catch(() => {
          res.statusCode = 500;
          res.end();
        });
      return;
    }
    void callback(req, res);
  });
  return { server, issuer, client };
}

async function stopServer(server: Server) {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

// --- Allmenning ------------------------------------------------------------------------

async function startAllmenning(database: Database, counter: QueryCounter): Promise<Running> {
  const running = await startServer({
    config: testConfig({ port: 0, host: '127.0.0.1', worker: false }),
    database: { ...database, db: database.db.withPlugin(counter) },
    logger: pino({ level: 'silent' }),
  });
  // The issuer is BASE_URL + /oidc, and the port is only known now.
  running.ctx.config.baseUrl = running.url;
  await runSetup(
    running.ctx,
    setupSchema.parse({
      name: 'Benchmark Datafellesskap',
      year_start_month: '7',
      time_zone: 'Europe/Oslo',
      default_locale: 'nb',
      admin_name: 'Ada Admin',
      admin_handle: 'ada',
      admin_email: 'admin@example.org',
      admin_password: 'correct horse battery',
      admin_is_member: 'on',
    }),
  );
  return running;
}

/**
 * Stored artefacts of other members, as a provider in use holds them: for each of
 * `count / 5` accounts a session, a grant, an access token, a refresh token and a
 * consumed authorization code, spread over `clientIds`.
 */
async function seedPayloads(db: Db, count: number, clientIds: string[]): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const iso = (s: number) => new Date(s * 1000).toISOString();
  type Row = {
    model: string;
    id: string;
    payload: string;
    account_id: string | null;
    client_id: string | null;
    grant_id: string | null;
    uid: string | null;
    user_code: string | null;
    expires_at: string | null;
    consumed_at: string | null;
  };
  const rows: Row[] = [];
  for (let i = 0; rows.length < count; i++) {
    const accountId = newId();
    const clientId = clientIds[i % clientIds.length]!;
    const grantId = newToken(16);
    const sessionUid = newToken(16);
    const sid = newToken(16);
    const iat = now - (i % 3600);
    const base = { iat, accountId, clientId, grantId, sessionUid, expiresWithSession: true };
    const row = (
      model: string,
      id: string,
      payload: object,
      exp: number,
      extra: Partial<Row> = {},
    ): Row => ({
      model,
      id,
      payload: JSON.stringify({ ...payload, exp, jti: id, kind: model }),
      account_id: accountId,
      client_id: model === 'Session' ? null : clientId,
      grant_id: model === 'Session' ? null : grantId,
      uid: null,
      user_code: null,
      expires_at: iso(exp),
      consumed_at: null,
      ...extra,
    });
    rows.push(
      row(
        'Session',
        newToken(21),
        {
          iat,
          accountId,
          uid: sessionUid,
          loginTs: iat,
          authorizations: { [clientId]: { sid, grantId, persistsLogout: false } },
        },
        iat + 14 * 86400,
        { uid: sessionUid },
      ),
      row(
        'Grant',
        grantId,
        { iat, accountId, clientId, openid: { scope: SCOPE } },
        iat + 365 * 86400,
        { grant_id: grantId },
      ),
      row(
        'AccessToken',
        newToken(32),
        { ...base, gty: 'authorization_code', scope: SCOPE },
        iat + 900,
      ),
      row(
        'RefreshToken',
        newToken(32),
        { ...base, gty: 'authorization_code', scope: SCOPE, rotations: 0, sid },
        iat + 30 * 86400,
      ),
      row(
        'AuthorizationCode',
        newToken(32),
        { ...base, scope: SCOPE, redirectUri: REDIRECT_URI, codeChallengeMethod: 'S256' },
        iat + 60,
        { consumed_at: iso(iat + 1) },
      ),
    );
  }
  for (let i = 0; i < count; i += 500) {
    await db
      .insertInto('oidc_payloads')
      .values(rows.slice(i, Math.min(count, i + 500)))
      .execute();
  }
}

type Member = { user: { id: string; email: string }; member: { id: string } };

/** A member with an account, logged in to Allmenning in a fresh browser. */
async function loggedInMember(running: Running): Promise<{ member: Member; browser: TestClient }> {
  const member = await createMemberUser(running.ctx.db);
  const browser = new TestClient(running.url);
  await browser.logIn(member.user.email, PASSWORD);
  return { member, browser };
}

async function oidcClient(running: Running, slug: string): Promise<Rp> {
  const db = running.ctx.db;
  const service = await insertService(db, {
    appSecret: running.ctx.secret,
    url: 'http://127.0.0.1:9/',
    slug,
    name: slug,
  });
  const secret = newToken(32);
  const { clientId } = await insertOidcClient(db, {
    serviceId: service.id,
    secret,
    redirectUris: [REDIRECT_URI],
    scopes: CLIENT_SCOPES,
  });
  return relyingParty(`${running.url}/oidc`, { clientId, secret });
}

type Check = { rp: Rp; kind: 'userinfo' | 'refresh'; token: string };
type Probe = { token: number; sentAt: number; answeredAt: number; accepted: boolean };

const accepted = (c: Check) =>
  c.kind === 'userinfo' ? userinfo(c.rp, c.token) : refresh(c.rp, c.token);

/**
 * A member holds TOKENS access and refresh tokens across SUSPENSION_CLIENTS clients; the
 * relying parties keep presenting them (PARALLEL at a time, round robin) while the board
 * suspends the member, and go on until every token has been presented once after the
 * commit.
 */
async function suspensionToRefusal(running: Running) {
  const { member, browser } = await loggedInMember(running);
  const rps: Rp[] = [];
  for (let i = 0; i < SUSPENSION_CLIENTS; i++) rps.push(await oidcClient(running, `susp-${i}`));
  const checks: Check[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const rp = rps[i % rps.length]!;
    const tokens = await codeFlow(browser, rp);
    checks.push({ rp, kind: 'userinfo', token: tokens.access_token });
    checks.push({ rp, kind: 'refresh', token: tokens.refresh_token! });
  }
  for (const check of checks)
    if (!(await accepted(check))) throw new Error(`a ${check.kind} token was refused before`);

  const probes: Probe[] = [];
  let next = 0;
  let stopAt = Number.POSITIVE_INFINITY;
  const presenting = Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < stopAt) {
        const i = next++;
        const token = i % checks.length;
        const sentAt = performance.now();
        const ok = await accepted(checks[token]!);
        probes.push({ token, sentAt, answeredAt: performance.now(), accepted: ok });
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 50)); // the relying parties at work
  const started = performance.now();
  await changeMemberStatus(running.ctx, {
    actor: { userId: null, label: 'bench' },
    memberId: member.member.id,
    to: 'suspended',
    reason: 'benchmark',
    via: 'board',
  });
  const committed = performance.now();
  stopAt = next + checks.length;
  await presenting;

  // Artefacts of the member still stored: requests in flight during the transaction
  // (on PostgreSQL they read the token before the commit) can write one after it.
  const left = await running.ctx.db
    .selectFrom('oidc_payloads')
    .select(['model', 'id', 'client_id'])
    .where('account_id', '=', member.user.id)
    .execute();
  // Opaque tokens are their own ids: present every leftover token too.
  let leftAccepted = 0;
  for (const row of left) {
    const rp = rps.find((r) => r.clientId === row.client_id);
    if (!rp || (row.model !== 'AccessToken' && row.model !== 'RefreshToken')) continue;
    const kind = row.model === 'AccessToken' ? 'userinfo' : 'refresh';
    if (await accepted({ rp, kind, token: row.id })) leftAccepted++;
  }
  const after = probes.filter((p) => p.sentAt >= committed);
  const firstAfter = new Map<number, Probe>();
  for (const p of after.sort((a, b) => a.sentAt - b.sentAt))
    if (!firstAfter.has(p.token)) firstAfter.set(p.token, p);
  const lastAccepted = Math.max(
    Number.NEGATIVE_INFINITY,
    ...probes.filter((p) => p.accepted).map((p) => p.answeredAt),
  );
  return {
    tokens: checks.length,
    transactionMs: committed - started,
    acceptedAfterCommit: after.filter((p) => p.accepted).length,
    everyTokenPresented: firstAfter.size === checks.length,
    /** From the start of the suspension until every token had been refused once. */
    allRefusedMs: Math.max(...[...firstAfter.values()].map((p) => p.answeredAt)) - started,
    /** The last acceptance's answer, relative to the commit (in-flight requests). */
    lastAcceptedMs: lastAccepted - committed,
    probesDuring: probes.filter((p) => p.sentAt >= started && p.sentAt < committed).length,
    artefactsLeft: left.map((r) => r.model),
    leftAccepted,
  };
}

const median = (xs: number[]) => percentile(xs, 50);

/** Median milliseconds of each step over `count` flows, one after another. */
async function stepTimes(browser: TestClient, rp: Rp, count: number): Promise<string> {
  const times: Record<Step, number[]> = { authorize: [], token: [], userinfo: [] };
  for (let i = 0; i < count; i++) {
    let t = performance.now();
    await codeFlow(browser, rp, (step) => {
      times[step].push(performance.now() - t);
      t = performance.now();
    });
  }
  return (Object.keys(times) as Step[])
    .map((step) => `${step} ${ms(median(times[step]))}`)
    .join(', ');
}

/** The queries of one flow, per step and table: where Allmenning's time goes. */
async function queriesPerStep(browser: TestClient, rp: Rp, counter: QueryCounter) {
  const parts: string[] = [];
  counter.tally = new Map();
  await codeFlow(browser, rp, (step) => {
    const tally = [...counter.tally!].sort((a, b) => b[1] - a[1]);
    const n = tally.reduce((sum, [, k]) => sum + k, 0);
    parts.push(`${step} ${n} (${tally.map(([label, k]) => `${k} ${label}`).join(', ')})`);
    counter.tally = new Map();
  });
  counter.tally = null;
  return parts.join('; ');
}

/**
 * The single sign-on benchmark on one dialect, with the bare provider measured beside
 * it in the same run. `members` is the size of the background register.
 */
export async function benchSso(opts: {
  dialect: Dialect;
  members: number;
  log: Log;
}): Promise<BenchRow[]> {
  const { dialect, members, log } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-bench-sso-'));
  const fresh = await freshDatabase({ dialect, dir, prefix: 'sso' });
  let running: Running | null = null;
  let bare: Bare | null = null;
  try {
    const counter = new QueryCounter();
    running = await startAllmenning(fresh.database, counter);
    const db = running.ctx.db;
    let t = performance.now();
    await seedMembers(db, members);
    log(`  seeded ${members} members in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const rp = await oidcClient(running, 'cloud');
    const others: string[] = [];
    for (let i = 0; i < 8; i++) others.push((await oidcClient(running, `other-${i}`)).clientId);
    t = performance.now();
    await seedPayloads(db, PAYLOADS, others);
    log(`  stored ${PAYLOADS} OIDC artefacts of other members in ${ms(performance.now() - t)}`);
    if (dialect === 'postgres') await sql`vacuum analyze`.execute(db);

    // Each browser: a member logged in to Allmenning, and a first flow that makes its
    // session at the provider (and warms both servers).
    const browsers: TestClient[] = [];
    for (let i = 0; i < PARALLEL; i++) {
      const { browser } = await loggedInMember(running);
      await codeFlow(browser, rp);
      browsers.push(browser);
    }
    const perStep = await queriesPerStep(browsers[0]!, rp, counter);
    log(`  queries in one flow: ${perStep}`);
    bare = await startBareProvider();
    const bareRp = await relyingParty(bare.issuer, bare.client);
    const bareBrowsers = Array.from({ length: PARALLEL }, () => new TestClient(bare!.issuer));
    for (const b of bareBrowsers) await codeFlow(b, bareRp);
    log(`  one flow at a time, Allmenning: ${await stepTimes(browsers[0]!, rp, 30)}`);
    log(`  one flow at a time, bare:       ${await stepTimes(bareBrowsers[0]!, bareRp, 30)}`);

    const cpu = dialect === 'postgres' ? withPostgresCpu(db) : processCpu;
    const ours: Throughput[] = [];
    const ceiling: Throughput[] = [];
    // Warm both (the JIT, the database's caches), then alternate which goes first so
    // that a change in the machine's load does not always fall on the same one.
    await flowsPerSecond(bareBrowsers, bareRp, 20);
    await flowsPerSecond(browsers, rp, 20);
    const queriesBefore = counter.count;
    for (let round = 0; round < ROUNDS; round++) {
      const measureBare = async () =>
        ceiling.push(await flowsPerSecond(bareBrowsers, bareRp, FLOWS, cpu));
      const measureOurs = async () => ours.push(await flowsPerSecond(browsers, rp, FLOWS, cpu));
      if (round % 2 === 0) {
        await measureBare();
        await measureOurs();
      } else {
        await measureOurs();
        await measureBare();
      }
      const [a, b] = [ours.at(-1)!, ceiling.at(-1)!];
      log(
        `  round ${round + 1}: Allmenning ${perS(a.perSecond)} (${ms(a.cpuMsPerFlow)} CPU/flow), ` +
          `bare ${perS(b.perSecond)} (${ms(b.cpuMsPerFlow)} CPU/flow): ${pct(a.perSecond / b.perSecond)}`,
      );
    }
    const queriesPerFlow = (counter.count - queriesBefore) / (ROUNDS * FLOWS);
    await stopServer(bare.server);
    bare = null;

    // Refresh and userinfo, one request after another, for one member at one client.
    const { browser } = await loggedInMember(running);
    const tokens = await codeFlow(browser, rp);
    await timed(20, () => refresh(rp, tokens.refresh_token!)); // warm-up
    const refreshTimes = await timed(SAMPLES, () => refresh(rp, tokens.refresh_token!));
    const userinfoTimes = await timed(SAMPLES, () => userinfo(rp, tokens.access_token));

    const suspension = await suspensionToRefusal(running);
    log(
      `  suspension: transaction ${ms(suspension.transactionMs)} (${suspension.probesDuring} requests during it), ` +
        `${suspension.acceptedAfterCommit} of ${suspension.tokens} tokens accepted after commit, ` +
        `all refused ${ms(suspension.allRefusedMs)} after it began, ${suspension.artefactsLeft.length} artefacts left${suspension.artefactsLeft.length ? ` (${suspension.artefactsLeft.join(', ')}; ${suspension.leftAccepted} of them accepted)` : ''}` +
        (Number.isFinite(suspension.lastAcceptedMs)
          ? `, last acceptance answered ${ms(suspension.lastAcceptedMs)} from commit`
          : ''),
    );

    const ratios = ours.map((a, i) => a.perSecond / ceiling[i]!.perSecond);
    const ratio = median(ratios);
    const flows = (xs: Throughput[]) => xs.map((x) => x.perSecond);
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}/s`;
    // CPU per flow hardly depends on how busy the machine is, unlike flows per second.
    const cpuOurs = median(ours.map((x) => x.cpuMsPerFlow));
    const cpuBare = median(ceiling.map((x) => x.cpuMsPerFlow));
    return [
      {
        metric: `OIDC code flows/s (Allmenning), ${PARALLEL} browsers`,
        median: perS(median(flows(ours))),
        p95: `${ROUNDS}×${FLOWS}: ${range(flows(ours))}; ${queriesPerFlow.toFixed(0)} queries/flow`,
        target: '(info)',
        pass: true,
      },
      {
        metric: `OIDC code flows/s (bare oidc-provider)`,
        median: perS(median(flows(ceiling))),
        p95: `${ROUNDS}×${FLOWS}: ${range(flows(ceiling))}`,
        target: '(info)',
        pass: true,
      },
      {
        metric: 'OIDC flows, Allmenning ÷ bare (ratio)',
        median: pct(ratio),
        p95: `rounds ${ratios.map((r) => (r * 100).toFixed(0)).join('/')} %`,
        target: '≥ 50 %',
        pass: ratio >= 0.5,
      },
      {
        metric: `OIDC flow CPU, bare ÷ Allmenning${dialect === 'postgres' ? ' (+ PostgreSQL)' : ''}`,
        median: pct(cpuBare / cpuOurs),
        p95: `${ms(cpuOurs)} vs ${ms(cpuBare)} per flow`,
        target: '(info)',
        pass: true,
      },
      {
        metric: `OIDC token refresh (${SAMPLES})`,
        median: ms(percentile(refreshTimes, 50)),
        p95: ms(percentile(refreshTimes, 95)),
        target: '(info)',
        pass: true,
      },
      {
        metric: `OIDC userinfo (${SAMPLES})`,
        median: ms(percentile(userinfoTimes, 50)),
        p95: ms(percentile(userinfoTimes, 95)),
        target: '(info)',
        pass: true,
      },
      {
        // The first request after the commit is refused, so the time from the
        // suspension to the refusal is the transaction; the sweep that presents every
        // token once after it is the rest of "all refused".
        metric: `suspension → tokens refused (${suspension.tokens} tokens, ${SUSPENSION_CLIENTS} clients)`,
        median: `tx ${ms(suspension.transactionMs)}`,
        p95: `${suspension.acceptedAfterCommit + suspension.leftAccepted} accepted after commit; all refused by ${ms(suspension.allRefusedMs)}`,
        target: 'immediate: 0 after commit',
        pass:
          suspension.acceptedAfterCommit === 0 &&
          suspension.everyTokenPresented &&
          suspension.leftAccepted === 0,
      },
    ];
  } finally {
    if (bare) await stopServer(bare.server);
    await running?.close();
    await fresh.database.close();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- alone: npx tsx bench/sso.ts ----------------------------------------------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const log: Log = (line) => process.stderr.write(`${line}\n`);
  const members = Number(process.env['BENCH_MEMBERS'] ?? 100_000);
  const dialects = await benchDialects(log);
  let failed = false;
  for (const dialect of dialects) {
    log(`${dialect}: single sign-on, ${members} members …`);
    const rows = await benchSso({ dialect, members, log });
    printTable(`${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} — single sign-on`, rows);
    if (rows.some((r) => !r.pass)) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
