import type { Kysely } from 'kysely';
import type { DB } from './database.js';
import { DAY_MS } from './clock.js';

/**
 * Daily housekeeping: expired sessions, spent one-time tokens and old login failures
 * are removed; finished jobs and sent mail are kept 90 days for the administrators' view.
 */
export async function runMaintenance(db: Kysely<DB>, now: Date): Promise<Record<string, number>> {
  const iso = now.toISOString();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  return db.transaction().execute(async (tx) => ({
    sessions: n(await tx.deleteFrom('sessions').where('expires_at', '<=', iso).executeTakeFirst()),
    userTokens: n(
      await tx
        .deleteFrom('user_tokens')
        .where((eb) => eb.or([eb('expires_at', '<=', ago(7)), eb('used_at', '<=', ago(7))]))
        .executeTakeFirst(),
    ),
    loginAttempts: n(
      await tx.deleteFrom('login_attempts').where('at', '<=', ago(1)).executeTakeFirst(),
    ),
    jobs: n(
      await tx
        .deleteFrom('jobs')
        .where('status', '=', 'done')
        .where('finished_at', '<=', ago(90))
        .executeTakeFirst(),
    ),
    outbox: n(
      await tx
        .deleteFrom('outbox')
        .where('status', '=', 'sent')
        .where('sent_at', '<=', ago(90))
        .executeTakeFirst(),
    ),
  }));
}
