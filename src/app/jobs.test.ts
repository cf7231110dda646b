import { expect, it } from 'vitest';
import { fixedClock } from './clock.js';
import { createJobRunner, daily, JOB_LEASE_MS, scheduleJob } from './jobs.js';
import { runMaintenance } from './maintenance.js';
import { silentLogger } from '../../test/helpers/app.js';
import { createUser } from '../../test/helpers/fixtures.js';
import { insertSession } from '../modules/accounts/accounts.repository.js';
import { describeEachDialect } from '../../test/helpers/db.js';

describeEachDialect('scheduled jobs', (h) => {
  it('runs a due job once, even with two runners, and never schedules a run twice', async () => {
    const clock = fixedClock('2026-02-01T12:00:00Z');
    const seen: string[] = [];
    const handlers = {
      greet: async ({ payload }: { payload: unknown }) => {
        await new Promise((r) => setTimeout(r, 20));
        seen.push(String((payload as { who: string }).who));
      },
    };
    expect(
      await scheduleJob(h.db(), {
        name: 'greet',
        dedupeKey: 'greet:1',
        runAt: clock.now(),
        payload: { who: 'a' },
        now: clock.now(),
      }),
    ).toBe(true);
    expect(
      await scheduleJob(h.db(), {
        name: 'greet',
        dedupeKey: 'greet:1',
        runAt: clock.now(),
        payload: { who: 'b' },
        now: clock.now(),
      }),
    ).toBe(false);
    await scheduleJob(h.db(), {
      name: 'greet',
      dedupeKey: 'greet:later',
      runAt: new Date(clock.now().getTime() + 3600_000),
      payload: { who: 'later' },
      now: clock.now(),
    });
    const a = createJobRunner({ db: h.db(), clock, logger: silentLogger, handlers });
    const b = createJobRunner({ db: h.db(), clock, logger: silentLogger, handlers });
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect(ra.ran + rb.ran).toBe(1);
    expect(seen).toEqual(['a']);
    clock.advance(3600_000);
    await a.tick();
    expect(seen).toEqual(['a', 'later']);
  });

  it('retries a failed job after its lease and backoff, then marks it failed', async () => {
    const clock = fixedClock('2026-02-02T12:00:00Z');
    let calls = 0;
    const runner = createJobRunner({
      db: h.db(),
      clock,
      logger: silentLogger,
      handlers: {
        flaky: () => {
          calls++;
          return Promise.reject(new Error('boom'));
        },
      },
    });
    await scheduleJob(h.db(), {
      name: 'flaky',
      dedupeKey: 'flaky:1',
      runAt: clock.now(),
      now: clock.now(),
    });
    for (let i = 0; i < 8; i++) {
      await runner.tick();
      clock.advance(JOB_LEASE_MS + 60 * 60_000);
    }
    expect(calls).toBe(5);
    const row = await h
      .db()
      .selectFrom('jobs')
      .selectAll()
      .where('dedupe_key', '=', 'flaky:1')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.last_error).toBe('boom');
  });

  it('schedules recurring maintenance once a day and removes expired sessions', async () => {
    const clock = fixedClock('2026-02-03T04:00:00Z');
    const runs: string[] = [];
    const runner = createJobRunner({
      db: h.db(),
      clock,
      logger: silentLogger,
      handlers: { daily_test: ({ now }) => Promise.resolve(void runs.push(now.toISOString())) },
      recurring: [daily('daily_test')],
    });
    await runner.tick();
    await runner.tick();
    expect(runs.length).toBe(1);
    clock.advance(24 * 3600_000);
    await runner.tick();
    expect(runs.length).toBe(2);

    const user = await createUser(h.db());
    const now = clock.now();
    for (const [id, expires] of [
      ['expired-session', new Date(now.getTime() - 1000)],
      ['live-session', new Date(now.getTime() + 3600_000)],
    ] as const) {
      await insertSession(
        h.db(),
        {
          idHash: id,
          userId: user.id,
          expiresAt: expires.toISOString(),
          ip: null,
          userAgent: null,
        },
        now,
      );
    }
    const removed = await runMaintenance(h.db(), now);
    expect(removed.sessions).toBe(1);
    const left = await h
      .db()
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(left.map((r) => r.id)).toEqual(['live-session']);
  });
});
