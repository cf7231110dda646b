// The governance benchmark: VOTERS members (default 5 000) cast a secret ballot on one item
// through the real app over HTTP, from CLIENTS parallel clients (default 20), each request
// signed in as a different member. Targets: every ballot within 60 s, cast p95 ≤ 200 ms,
// every ballot counted exactly once; the tally at close is reported.
// Sessions are written straight to the sessions table (logging 5 000 people in through
// argon2 would measure the password hash, not the vote); the CSRF token is the app's own
// HMAC of a cookie we choose. Run alone: npx tsx bench/governance.ts
// (BENCH_VOTERS=1000, BENCH_DB=sqlite|postgres, BENCH_GOV_CLIENTS=20).
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startServer } from '../src/app/bootstrap.js';
import { systemClock } from '../src/app/clock.js';
import { testConfig } from '../src/app/config.js';
import { hmac, sha256 } from '../src/app/crypto.js';
import { addDays, todayIn } from '../src/app/dates.js';
import { migrateToLatest, type Database, type Dialect } from '../src/app/db.js';
import { nextNumbers } from '../src/app/counters.js';
import { newIds } from '../src/app/ids.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import { loadCurrentUser } from '../src/modules/accounts/current-user.js';
import { listMembershipTypes } from '../src/modules/members/members.repository.js';
import { openMeeting } from '../src/modules/governance/register.usecases.js';
import { closeVote, createVote, openVote } from '../src/modules/governance/votes.usecases.js';
import { percentile } from './http.js';
import {
  benchDialects,
  benchSetup,
  freshDatabase,
  logLine,
  ms,
  secs,
  type BenchRow,
} from './support.js';

const CLIENTS = Number(process.env['BENCH_GOV_CLIENTS'] ?? 20);

type Voter = { token: string };

/**
 * One POST over a keep-alive connection with node:http (cheaper than fetch, whose cost
 * would be charged to the server: client and server share this process).
 */
function postForm(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** VOTERS members with accounts, sessions, on the register and checked in. */
async function seedVoters(database: Database, count: number): Promise<Voter[]> {
  const { db } = database;
  const now = new Date();
  const iso = now.toISOString();
  const [type] = await listMembershipTypes(db);
  if (!type) throw new Error('no membership type');
  const voters: Voter[] = [];
  await db.transaction().execute(async (tx) => {
    let number = await nextNumbers(tx, 'member_number', count);
    for (let start = 0; start < count; start += 500) {
      const size = Math.min(count, start + 500) - start;
      const userIds = newIds(size, now.getTime());
      const memberIds = newIds(size, now.getTime());
      const users = [];
      const members = [];
      const sessions = [];
      for (let k = 0; k < size; k++) {
        const i = start + k;
        const token = randomBytes(24).toString('base64url');
        voters.push({ token });
        users.push({
          id: userIds[k]!,
          email: `voter${i}@bench.example`,
          email_verified_at: iso,
          password_hash: 'bench-no-password',
          name: `Voter ${i}`,
          handle: `voter${i}`,
          locale: 'nb',
          is_admin: 0,
          created_at: iso,
          updated_at: iso,
          last_login_at: null,
        });
        members.push({
          id: memberIds[k]!,
          member_number: number++,
          user_id: userIds[k]!,
          type_id: type.id,
          status: 'active' as const,
          name: `Voter ${i}`,
          email: `voter${i}@bench.example`,
          phone: null,
          address_line: null,
          postal_code: null,
          city: null,
          country: null,
          org_number: null,
          contact_person: null,
          application_note: null,
          joined_on: '2020-01-01',
          status_changed_at: iso,
          search_text: `voter ${i}`,
          created_at: iso,
          updated_at: iso,
          erased_at: null,
        });
        sessions.push({
          id: sha256(token),
          user_id: userIds[k]!,
          created_at: iso,
          expires_at: new Date(now.getTime() + 86400_000).toISOString(),
          last_seen_at: iso,
          ip: null,
          user_agent: null,
        });
      }
      await tx.insertInto('users').values(users).execute();
      await tx.insertInto('members').values(members).execute();
      await tx.insertInto('sessions').values(sessions).execute();
    }
  });
  return voters;
}

export async function benchGovernance(opts: {
  dialect: Dialect;
  voters?: number;
  log?: (line: string) => void;
}): Promise<BenchRow[]> {
  const count = opts.voters ?? Number(process.env['BENCH_VOTERS'] ?? 5000);
  const log = opts.log ?? logLine;
  const dir = mkdtempSync(join(tmpdir(), 'alm-bench-gov-'));
  const fresh = await freshDatabase({
    dialect: opts.dialect,
    dir,
    prefix: 'gov',
    file: 'votes.sqlite',
  });
  const { db } = fresh.database;
  const rows: BenchRow[] = [];
  try {
    await migrateToLatest(db);
    const { userId: adminId } = await runSetup(
      { db, clock: systemClock, kickOutbox: () => undefined },
      benchSetup(),
    );
    log(`  ${opts.dialect}: seeding ${count} voters …`);
    const voters = await seedVoters(fresh.database, count);

    const running = await startServer({
      config: testConfig({ port: 0, host: '127.0.0.1' }),
      database: fresh.database,
      logger: pino({ level: 'silent' }),
    });
    try {
      const ctx = running.ctx;
      const now = new Date();
      const today = todayIn('Europe/Oslo', now);
      // The meeting: today, called 14 days ago; the register is frozen when it opens.
      const meetingId = `bench${randomBytes(6).toString('hex')}`;
      await db
        .insertInto('meetings')
        .values({
          id: meetingId,
          kind: 'ordinary',
          title: 'Benchmark GA',
          starts_at: now.toISOString(),
          meeting_date: today,
          format: 'online',
          place: null,
          url: 'https://meet.example.org/ga',
          description: null,
          status: 'scheduled',
          notice_days: 14,
          proposal_deadline_on: addDays(today, -7),
          publication_on: addDays(today, -4),
          qualifying_on: addDays(today, -30),
          notice_sent_at: now.toISOString(),
          publication_sent_at: null,
          chair_member_id: null,
          secretary_member_id: null,
          opened_at: null,
          closed_at: null,
          cancelled_at: null,
          cancel_reason: null,
          request_key: `bench-${meetingId}`,
          created_by: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      const actor = { userId: adminId, label: 'bench' };
      const admin = await loadCurrentUser(db, { userId: adminId, today });
      const freezeStart = performance.now();
      await openMeeting(ctx, { actor, meetingId, locale: 'nb' });
      const freezeMs = performance.now() - freezeStart;
      // Everyone checks in (not measured: check-in happens over the meeting's first minutes).
      const entries = await db
        .selectFrom('voter_register_entries')
        .select(['member_id', 'name'])
        .where('meeting_id', '=', meetingId)
        .execute();
      const attendanceIds = newIds(entries.length, now.getTime());
      for (let i = 0; i < entries.length; i += 500)
        await db
          .insertInto('meeting_attendance')
          .values(
            entries.slice(i, i + 500).map((e, k) => ({
              id: attendanceIds[i + k]!,
              meeting_id: meetingId,
              member_id: e.member_id,
              name: e.name,
              email: null,
              method: 'self' as const,
              checked_in_at: now.toISOString(),
              checked_in_by: null,
              checked_out_at: null,
              wants_membership: 0,
            })),
          )
          .execute();
      const { vote } = await createVote(ctx, {
        actor,
        user: admin,
        meetingId,
        subject: 'Budsjett',
        kind: 'secret',
        rule: 'simple',
      });
      await openVote(ctx, { actor, user: admin, meetingId, voteId: vote.id });

      // CLIENTS workers share the voters; each request is one member's ballot.
      const path = `/meetings/${meetingId}/votes/${vote.id}/ballot`;
      const choices = ['yes', 'no', 'blank'] as const;
      const sent: Record<string, number> = { yes: 0, no: 0, blank: 0 };
      const latencies: number[] = [];
      let failures = 0;
      let next = 0;
      const seed = randomBytes(24).toString('base64url');
      const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
      const target = new URL(path, running.url);
      log(`  ${opts.dialect}: ${count} secret ballots from ${CLIENTS} clients …`);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let i = next++; i < voters.length; i = next++) {
            const voter = voters[i]!;
            const choice = choices[i % 3]!;
            const csrf = hmac(ctx.secret, `csrf:${seed}:${sha256(voter.token)}`);
            const t0 = performance.now();
            const res = await postForm(
              agent,
              target,
              {
                cookie: `alm_session=${voter.token}; alm_csrf=${seed}`,
                'content-type': 'application/x-www-form-urlencoded',
              },
              new URLSearchParams({ _csrf: csrf, choice }).toString(),
            );
            const html = res.body;
            latencies.push(performance.now() - t0);
            if (res.status === 200 && html.includes('id="receipt"')) sent[choice]!++;
            else failures++;
          }
        }),
      );
      const castMs = performance.now() - started;

      // A second ballot from a few voters: refused, nothing counted twice.
      let refusedAgain = 0;
      for (const voter of voters.slice(0, 10)) {
        const csrf = hmac(ctx.secret, `csrf:${seed}:${sha256(voter.token)}`);
        const res = await postForm(
          agent,
          target,
          {
            cookie: `alm_session=${voter.token}; alm_csrf=${seed}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          new URLSearchParams({ _csrf: csrf, choice: 'yes' }).toString(),
        );
        if (res.status === 409) refusedAgain++;
      }

      agent.destroy();
      const tallyStart = performance.now();
      const { vote: closed } = await closeVote(ctx, {
        actor,
        user: admin,
        meetingId,
        voteId: vote.id,
      });
      const tallyMs = performance.now() - tallyStart;
      const counts = closed.result?.counts ?? {};
      const exactlyOnce =
        failures === 0 &&
        refusedAgain === 10 &&
        closed.result?.cast === count &&
        choices.every((c) => counts[c] === sent[c]);
      log(
        `  ${opts.dialect}: cast ${secs(castMs)}, failures ${failures}, counts ${JSON.stringify(counts)}, sent ${JSON.stringify(sent)}`,
      );
      rows.push({
        metric: `secret ballot, ${count} voters over HTTP (${CLIENTS} clients): all cast`,
        median: secs(castMs),
        p95: '',
        target: '≤ 60 s',
        pass: castMs <= 60_000 && failures === 0,
      });
      rows.push({
        metric: '  one ballot (POST → receipt page)',
        median: ms(percentile(latencies, 50)),
        p95: ms(percentile(latencies, 95)),
        target: 'p95 ≤ 200 ms',
        pass: percentile(latencies, 95) <= 200,
      });
      rows.push({
        metric: '  every ballot counted exactly once (second ballots refused)',
        median: `${closed.result?.cast ?? 0} of ${count}`,
        p95: '',
        target: 'all, once',
        pass: exactlyOnce,
      });
      rows.push({
        metric: `  tally at close (count, rewrite in key order, result)`,
        median: ms(tallyMs),
        p95: '',
        target: '(info)',
        pass: true,
      });
      rows.push({
        metric: `  register frozen at opening (${count + 1} members)`,
        median: ms(freezeMs),
        p95: '',
        target: '(info)',
        pass: true,
      });
    } finally {
      await running.close();
    }
  } finally {
    await fresh.database.close().catch(() => undefined);
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const dialect of await benchDialects()) {
    const result = await benchGovernance({ dialect });
    for (const r of result)
      console.log(
        `${dialect}\t${r.metric}\t${r.median}\t${r.p95}\t${r.target}\t${r.target === '(info)' ? '' : r.pass ? 'pass' : 'FAIL'}`,
      );
  }
}
