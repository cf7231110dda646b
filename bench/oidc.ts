// The OpenID Connect provider under load, on SQLite and PostgreSQL, beside a bare
// oidc-provider on its in-memory adapter (the ceiling: no database, no gate, no claims):
//   - full code flows per second: authorize with an existing session → code → token →
//     userinfo, with a few browsers in parallel (target: Allmenning ≥ 50 % of the ceiling);
//   - token refresh and userinfo p95;
//   - time from a suspension to the refusal of the member's refresh token (target:
//     immediate — the first refresh after the suspension's commit is refused).
// Run alone: npx tsx bench/oidc.ts  (BENCH_OIDC_FLOWS=300, BENCH_DB=sqlite|postgres)
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider, { type Configuration } from 'oidc-provider';
import * as oidc from 'openid-client';
import pg from 'pg';
import pino from 'pino';
import { startServer, type Running } from '../src/app/bootstrap.js';
import { testConfig } from '../src/app/config.js';
import { openDatabase, type Database, type Dialect } from '../src/app/db.js';
import { setupSchema } from '../src/modules/association/association.schemas.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import { changeMemberStatus } from '../src/modules/members/members.usecases.js';
import {
  authorizationRequest,
  follow,
  insertClient,
  insertService,
  REDIRECT_URI,
} from '../src/modules/sso/oidc.test-support.js';
import { TestClient } from '../test/helpers/app.js';
import { createMemberUser, PASSWORD } from '../test/helpers/fixtures.js';
import { percentile } from './http.js';

export type BenchRow = {
  metric: string;
  median: string;
  p95: string;
  target: string;
  pass: boolean;
};

const PG_ADMIN_URL =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const FLOWS = Number(process.env['BENCH_OIDC_FLOWS'] ?? 300);
const PARALLEL = 4;
const SAMPLES = 200;

const ms = (v: number) => `${v.toFixed(1)} ms`;

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

type Flow = (browser: TestClient) => Promise<void>;

/** Runs `count` flows over `parallel` browsers; returns flows per second. */
async function throughput(browsers: TestClient[], count: number, flow: Flow): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    browsers.map(async (browser) => {
      while (next < count) {
        next++;
        await flow(browser);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** One code flow for `config` in a browser that already has a session at the provider. */
function codeFlow(config: oidc.Configuration): Flow {
  return async (browser) => {
    const { url, checks } = await authorizationRequest(config, { scope: 'openid profile groups' });
    const step = await follow(browser, url);
    if (!step.location?.startsWith(`${REDIRECT_URI}?code=`))
      throw new Error(`no code: ${step.status} ${step.path}`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location), checks);
    const sub = tokens.claims()!.sub;
    await oidc.fetchUserInfo(config, tokens.access_token, sub);
  };
}

async function timed(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times;
}

// --- the ceiling: a bare oidc-provider, in-memory, at the root of its own server -------

export async function bareProvider(): Promise<{
  server: Server;
  url: string;
  client: { clientId: string; secret: string };
}> {
  const client = { clientId: 'bench', secret: randomBytes(24).toString('base64url') };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const configuration: Configuration = {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.secret,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'offline_access', 'profile', 'groups'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, name: 'Bench', preferred_username: 'bench', groups: ['members'] }),
    }),
    loadExistingGrant: async (ctx) => {
      const { oidc: o } = ctx;
      const grantId = o.session!.grantIdFor(o.client!.clientId);
      const existing = grantId ? await o.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new o.provider.Grant({
        clientId: o.client!.clientId,
        accountId: o.session!.accountId!,
      });
      grant.addOIDCScope([...o.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(url, configuration);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void provider.interactionFinished(req, res, { login: { accountId: 'bench-account' } });
      return;
    }
    void callback(req, res);
  });
  return { server, url, client };
}

async function ceilingFlowsPerSecond(): Promise<number> {
  const bare = await bareProvider();
  try {
    const config = await oidc.discovery(
      new URL(bare.url),
      bare.client.clientId,
      undefined,
      oidc.ClientSecretBasic(bare.client.secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const browsers = Array.from({ length: PARALLEL }, () => new TestClient(bare.url));
    const flow = codeFlow(config);
    for (const b of browsers) await flow(b); // each browser gets its session
    return await throughput(browsers, FLOWS, flow);
  } finally {
    bare.server.closeAllConnections();
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
  }
}

// --- Allmenning ------------------------------------------------------------------------

type Fresh = { database: Database; drop: () => Promise<void> };

async function freshDatabase(dialect: Dialect, dir: string): Promise<Fresh> {
  if (dialect === 'sqlite')
    return { database: openDatabase({ file: join(dir, 'oidc.sqlite') }), drop: async () => {} };
  const name = `alm_bench_oidc_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: openDatabase({ url: url.toString() }),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function startAllmenning(database: Database): Promise<Running> {
  const running = await startServer({
    config: testConfig({ port: 0, host: '127.0.0.1', worker: false }),
    database,
    logger: pino({ level: 'silent' }),
  });
  running.ctx.config.baseUrl = running.url;
  await runSetup(
    running.ctx,
    setupSchema.parse({
      name: 'Bench',
      org_number: '',
      year_start_month: '1',
      time_zone: 'Europe/Oslo',
      default_locale: 'nb',
      require_approval: 'on',
      admin_name: 'Ada Admin',
      admin_handle: 'ada',
      admin_email: 'admin@example.org',
      admin_password: 'correct horse battery',
      admin_is_member: 'on',
    }),
  );
  return running;
}

export async function benchOidc(opts: {
  dialect: Dialect;
  /** The ceiling's flows per second, when already measured in this run. */
  ceiling?: number;
}): Promise<{ rows: BenchRow[]; ceiling: number }> {
  const ceiling = opts.ceiling ?? (await ceilingFlowsPerSecond());
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-bench-oidc-'));
  const fresh = await freshDatabase(opts.dialect, dir);
  let running: Running | null = null;
  try {
    running = await startAllmenning(fresh.database);
    const db = running.ctx.db;
    const service = await insertService(db, { slug: 'cloud' });
    const client = await insertClient(db, { serviceId: service.id, confidential: true });
    const config = await oidc.discovery(
      new URL(`${running.url}/oidc`),
      client.clientId,
      undefined,
      oidc.ClientSecretBasic(client.secret!),
      { execute: [oidc.allowInsecureRequests] },
    );
    const browsers: TestClient[] = [];
    for (let i = 0; i < PARALLEL; i++) {
      const { user } = await createMemberUser(db);
      const browser = new TestClient(running.url);
      await browser.logIn(user.email, PASSWORD);
      browsers.push(browser);
    }
    const flow = codeFlow(config);
    for (const b of browsers) await flow(b); // warm: each browser gets its provider session
    const perSecond = await throughput(browsers, FLOWS, flow);
    log(
      `  ${opts.dialect}: ${perSecond.toFixed(1)} code flows/s (ceiling ${ceiling.toFixed(1)}/s)`,
    );

    // Refresh and userinfo, one member, one after another.
    const { user, member } = await createMemberUser(db);
    const browser = new TestClient(running.url);
    await browser.logIn(user.email, PASSWORD);
    const { url, checks } = await authorizationRequest(config);
    const step = await follow(browser, url);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    const refresh = await timed(SAMPLES, () =>
      oidc.refreshTokenGrant(config, tokens.refresh_token!),
    );
    const userinfo = await timed(SAMPLES, () =>
      oidc.fetchUserInfo(config, tokens.access_token, user.id),
    );

    // Suspension → refusal: the first refresh after the suspension's commit.
    const suspendStarted = performance.now();
    await changeMemberStatus(running.ctx, {
      actor: { userId: null, label: 'bench' },
      memberId: member.id,
      to: 'suspended',
      reason: 'bench',
      via: 'board',
    });
    const committed = performance.now();
    const refused = await oidc.refreshTokenGrant(config, tokens.refresh_token!).then(
      () => false,
      () => true,
    );
    const refusedAfter = performance.now() - committed;
    const suspendMs = committed - suspendStarted;

    const share = perSecond / ceiling;
    const rows: BenchRow[] = [
      {
        metric: 'OIDC code flows (authorize → token → userinfo)',
        median: `${perSecond.toFixed(1)} flows/s`,
        p95: `${(share * 100).toFixed(0)} % of ${ceiling.toFixed(1)}/s`,
        target: '≥ 50 % of bare oidc-provider',
        pass: share >= 0.5,
      },
      {
        metric: 'OIDC token refresh',
        median: ms(percentile(refresh, 50)),
        p95: ms(percentile(refresh, 95)),
        target: '(info)',
        pass: true,
      },
      {
        metric: 'OIDC userinfo',
        median: ms(percentile(userinfo, 50)),
        p95: ms(percentile(userinfo, 95)),
        target: '(info)',
        pass: true,
      },
      {
        metric: 'suspension → refresh refused',
        median: refused ? `first try, ${ms(refusedAfter)}` : 'NOT refused',
        p95: `suspension ${ms(suspendMs)}`,
        target: 'immediate',
        pass: refused,
      },
    ];
    return { rows, ceiling };
  } finally {
    await running?.close();
    await fresh.database.close();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const only = process.env['BENCH_DB'];
  const dialects = (['sqlite', 'postgres'] as const).filter((d) => !only || only === d);
  let ceiling: number | undefined;
  for (const dialect of dialects) {
    log(`${dialect}: OpenID Connect …`);
    const result = await benchOidc({ dialect, ...(ceiling ? { ceiling } : {}) });
    ceiling = result.ceiling;
    for (const r of result.rows)
      console.log(
        `${dialect}\t${r.metric}\t${r.median}\t${r.p95}\t${r.target}\t${r.target === '(info)' ? '' : r.pass ? 'pass' : 'FAIL'}`,
      );
  }
}
