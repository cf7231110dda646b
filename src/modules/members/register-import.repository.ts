import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { newMemberRow, type NewMember } from './members.repository.js';

const LOOKUP_CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Which of these emails the register already has, with the holder's member number. */
export async function findTakenEmails(db: Db, emails: string[]): Promise<Map<string, number>> {
  const taken = new Map<string, number>();
  for (const part of chunks(emails, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('members')
      .select(['email', 'member_number'])
      .where('email', 'in', part)
      .execute();
    for (const r of rows) if (r.email) taken.set(r.email, r.member_number);
  }
  return taken;
}

export async function findTakenNumbers(db: Db, numbers: number[]): Promise<Set<number>> {
  const taken = new Set<number>();
  for (const part of chunks(numbers, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('members')
      .select('member_number')
      .where('member_number', 'in', part)
      .execute();
    for (const r of rows) taken.add(r.member_number);
  }
  return taken;
}

export async function findTakenOrgNumbers(db: Db, orgs: string[]): Promise<Map<string, number>> {
  const taken = new Map<string, number>();
  for (const part of chunks(orgs, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('members')
      .select(['org_number', 'member_number'])
      .where('org_number', 'in', part)
      .execute();
    for (const r of rows) if (r.org_number) taken.set(r.org_number, r.member_number);
  }
  return taken;
}

/** Which of these exact names the register already has (for rows with nothing else to match). */
export async function findTakenNames(db: Db, names: string[]): Promise<Map<string, number>> {
  const taken = new Map<string, number>();
  for (const part of chunks(names, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('members')
      .select(['name', 'member_number'])
      .where('name', 'in', part)
      .execute();
    for (const r of rows) if (!taken.has(r.name)) taken.set(r.name, r.member_number);
  }
  return taken;
}

export const IMPORT_AUDIT_ENTITY = 'member_import';

/** When a file with this fingerprint was imported before, if it was. */
export async function findImportedFile(db: Db, fileHash: string): Promise<{ at: string } | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('at')
    .where('entity_type', '=', IMPORT_AUDIT_ENTITY)
    .where('entity_id', '=', fileHash)
    .orderBy('id')
    .executeTakeFirst();
  return row ?? null;
}

/**
 * `count` fresh ids in ascending order. An import inserts its rows in id order, so the
 * primary-key indexes grow at one end instead of taking 100 000 random inserts.
 */
export function sortedIds(count: number, ms: number): string[] {
  return Array.from({ length: count }, () => newId(ms)).sort();
}

export type ImportedMember = NewMember & {
  statusChangeId: string;
  /** The membership period of the current association year, for active members. */
  period: { id: string; year: number; startsOn: string; endsOn: string } | null;
};

/**
 * Inserts imported members with their first status change (reason "imported", which is
 * each member's record of where it came from) and, when active, a membership period, as
 * three multi-row statements. The caller holds the transaction, writes the audit entry,
 * and keeps batches small enough for the databases' parameter limits.
 */
export async function insertImportedMembers(
  db: Db,
  opts: {
    members: ImportedMember[];
    actor: { userId: string | null; label: string };
    now: Date;
  },
): Promise<void> {
  const { members, actor, now } = opts;
  if (members.length === 0) return;
  const at = now.toISOString();
  await db
    .insertInto('members')
    .values(members.map((m) => newMemberRow(m, now)))
    .execute();
  await db
    .insertInto('member_status_changes')
    .values(
      members.map((m) => ({
        id: m.statusChangeId,
        member_id: m.id,
        from_status: null,
        to_status: m.status,
        at,
        actor_user_id: actor.userId,
        actor_label: actor.label,
        reason: 'imported',
      })),
    )
    .execute();
  const periods = members.flatMap((m) =>
    m.period
      ? [
          {
            id: m.period.id,
            member_id: m.id,
            year: m.period.year,
            starts_on: m.period.startsOn,
            ends_on: m.period.endsOn,
            paid_at: null,
            created_at: at,
          },
        ]
      : [],
  );
  if (periods.length > 0) await db.insertInto('membership_periods').values(periods).execute();
}
