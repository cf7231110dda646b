import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { DB } from './database.js';
import type { Db } from './db.js';
import { newId } from './ids.js';

/**
 * Scheduled jobs are rows. `dedupe_key` is unique, so scheduling the same run twice (from
 * two instances, or a retry) is a no-op, and a claim with a lease means a job runs in one
 * instance at a time; a crashed run is taken up again when its lease expires.
 */
export async function scheduleJob(
  db: Db,
  job: { name: string; dedupeKey: string; runAt: Date; payload?: unknown; now: Date },
): Promise<boolean> {
  const res = await db
    .insertInto('jobs')
    .values({
      id: newId(job.now.getTime()),
      name: job.name,
      dedupe_key: job.dedupeKey,
      payload: job.payload === undefined ? null : JSON.stringify(job.payload),
      run_at: job.runAt.toISOString(),
      status: 'pending',
      attempts: 0,
      locked_until: null,
      last_error: null,
      created_at: job.now.toISOString(),
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export type JobHandler = (job: { id: string; payload: unknown; now: Date }) => Promise<void>;

/** A job that schedules itself: called on every tick to make sure the next run exists. */
export type Recurring = { name: string; next: (now: Date) => { dedupeKey: string; runAt: Date } };

export type JobRunner = {
  tick(): Promise<{ ran: number; failed: number }>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
};

export const JOB_LEASE_MS = 10 * 60_000;
export const JOB_MAX_ATTEMPTS = 5;
/** More than every module's recurring jobs together, so one tick runs all that are due. */
export const JOBS_PER_TICK = 50;

export function createJobRunner(deps: {
  db: Kysely<DB>;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  recurring?: Recurring[];
}): JobRunner {
  const { db, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function tick() {
    const now = clock.now();
    for (const r of deps.recurring ?? []) {
      const next = r.next(now);
      await scheduleJob(db, { name: r.name, dedupeKey: next.dedupeKey, runAt: next.runAt, now });
    }
    const due = await db
      .selectFrom('jobs')
      .select(['id', 'name', 'payload', 'attempts'])
      .where('status', '=', 'pending')
      .where('run_at', '<=', now.toISOString())
      .where((eb) =>
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]),
      )
      .orderBy('run_at')
      .limit(JOBS_PER_TICK)
      .execute();
    let ran = 0;
    let failed = 0;
    for (const job of due) {
      const claimed = await db
        .updateTable('jobs')
        .set({
          locked_until: new Date(now.getTime() + JOB_LEASE_MS).toISOString(),
          attempts: job.attempts + 1,
        })
        .where('id', '=', job.id)
        .where('status', '=', 'pending')
        .where((eb) =>
          eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]),
        )
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const handler = deps.handlers[job.name];
      try {
        if (!handler) throw new Error(`no handler for job ${job.name}`);
        await handler({
          id: job.id,
          payload: job.payload ? (JSON.parse(job.payload) as unknown) : null,
          now,
        });
        await db
          .updateTable('jobs')
          .set({
            status: 'done',
            finished_at: clock.now().toISOString(),
            locked_until: null,
            last_error: null,
          })
          .where('id', '=', job.id)
          .execute();
        ran++;
      } catch (err) {
        failed++;
        const message = err instanceof Error ? err.message : String(err);
        const giveUp = job.attempts + 1 >= JOB_MAX_ATTEMPTS;
        await db
          .updateTable('jobs')
          .set({
            status: giveUp ? 'failed' : 'pending',
            locked_until: null,
            last_error: message.slice(0, 500),
            run_at: new Date(clock.now().getTime() + 60_000 * 2 ** job.attempts).toISOString(),
          })
          .where('id', '=', job.id)
          .execute();
        logger.error({ job: job.name, jobId: job.id, err: message }, 'job failed');
      }
    }
    return { ran, failed };
  }

  return {
    tick,
    start(intervalMs = 60_000) {
      const loop = () => {
        if (running) return;
        running = tick()
          .catch((err: unknown) => logger.error({ err }, 'job runner tick failed'))
          .finally(() => {
            running = undefined;
          });
      };
      timer = setInterval(loop, intervalMs);
      timer.unref();
      loop();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** Once a day at 03:00 UTC. */
export function daily(name: string, hourUtc = 3): Recurring {
  return {
    name,
    next(now) {
      const runAt = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc),
      );
      return { dedupeKey: `${name}:${runAt.toISOString().slice(0, 10)}`, runAt };
    },
  };
}
