import type { Db } from './db.js';
import { newId, newIds } from './ids.js';

/** Who is acting: a signed-in user, an API token's owner, the CLI or the system itself. */
export type Actor = { userId: string | null; label: string; ip?: string | null };

export const systemActor: Actor = { userId: null, label: 'system' };

/**
 * Writes one audit entry. Call it inside the use-case's transaction, so the entry exists
 * exactly when the change does. `before`/`after` hold only what changed and is worth
 * keeping; never secrets.
 */
export async function recordAudit(
  db: Db,
  entry: {
    actor: Actor;
    action: string;
    entityType: string;
    entityId: string | null;
    before?: unknown;
    after?: unknown;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(entry.at.getTime()),
      at: entry.at.toISOString(),
      actor_user_id: entry.actor.userId,
      actor_label: entry.actor.label,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: entry.actor.ip ?? null,
    })
    .execute();
}

/** Writes many audit entries at once (a dues run's invoices), in the caller's transaction. */
export async function recordAudits(
  db: Db,
  entries: {
    actor: Actor;
    action: string;
    entityType: string;
    entityId: string | null;
    before?: unknown;
    after?: unknown;
    at: Date;
  }[],
): Promise<void> {
  const ids = newIds(entries.length, entries[0]?.at.getTime());
  const rows = entries.map((entry, i) => ({
    id: entries[0]!.at.getTime() === entry.at.getTime() ? ids[i]! : newId(entry.at.getTime()),
    at: entry.at.toISOString(),
    actor_user_id: entry.actor.userId,
    actor_label: entry.actor.label,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    ip: entry.actor.ip ?? null,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('audit_log')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** The fields of `after` that differ from `before`, with both sides, for compact entries. */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (after[key] !== undefined && before[key] !== after[key]) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}
