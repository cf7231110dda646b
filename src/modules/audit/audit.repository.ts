import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import type { AuditFilters } from './audit.filters.js';

export type AuditEntry = {
  id: string;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

export const AUDIT_PAGE_SIZE = 50;

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function filtered(db: Db, f: AuditFilters) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.actionPrefix)
    q = q.where(
      sql<boolean>`${sql.ref('action')} like ${`${escapeLike(f.actionPrefix)}%`} escape '\\'`,
    );
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  // An actor is named by handle; entries made through an API token carry "(api)".
  if (f.actor) q = q.where('actor_label', 'in', [f.actor, `${f.actor} (api)`]);
  if (f.fromUtc) q = q.where('at', '>=', f.fromUtc);
  if (f.toUtc) q = q.where('at', '<', f.toUtc);
  return q;
}

type Row = {
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
};

function toEntry(r: Row): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: parseJson(r.before),
    after: parseJson(r.after),
    ip: r.ip,
  };
}

/**
 * One page of the log, newest first. Ids are time-ordered, so they serve as the cursor:
 * `before` pages to older entries, `after` back to newer ones.
 */
export async function listAuditEntries(
  db: Db,
  opts: {
    filters: AuditFilters;
    before?: string | undefined;
    after?: string | undefined;
    limit?: number;
  },
): Promise<{ entries: AuditEntry[]; older: string | null; newer: string | null }> {
  const limit = opts.limit ?? AUDIT_PAGE_SIZE;
  let q = filtered(db, opts.filters);
  if (opts.after && !opts.before) {
    const rows = await q
      .where('id', '>', opts.after)
      .orderBy('id', 'asc')
      .limit(limit + 1)
      .execute();
    const hasNewer = rows.length > limit;
    const page = rows.slice(0, limit).reverse();
    return {
      entries: page.map(toEntry),
      newer: hasNewer && page[0] ? page[0].id : null,
      older: page.at(-1)?.id ?? null,
    };
  }
  if (opts.before) q = q.where('id', '<', opts.before);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const hasOlder = rows.length > limit;
  const page = rows.slice(0, limit);
  return {
    entries: page.map(toEntry),
    older: hasOlder ? (page.at(-1)?.id ?? null) : null,
    newer: opts.before && page[0] ? page[0].id : null,
  };
}

/** Every entry matching the filters, newest first, up to `max` (for the CSV export). */
export async function exportAuditEntries(
  db: Db,
  filters: AuditFilters,
  max: number,
): Promise<AuditEntry[]> {
  const rows = await filtered(db, filters).orderBy('id', 'desc').limit(max).execute();
  return rows.map(toEntry);
}

export async function listEntityTypes(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('entity_type')
    .distinct()
    .orderBy('entity_type')
    .execute();
  return rows.map((r) => r.entity_type);
}
