import { sql } from 'kysely';
import type { Db } from '../../app/db.js';

// Proxies: a member on a meeting's register lets another member on it vote for them. A row
// is in force while `revoked_at` is null. One row per grantor and meeting (a unique index):
// giving a proxy again after revoking one reuses the row; the audit log keeps the history.

export type Proxy = {
  id: string;
  meetingId: string;
  grantorId: string;
  grantorNumber: number;
  grantorName: string;
  holderId: string;
  holderNumber: number;
  holderName: string;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
};

function base(db: Db) {
  return db
    .selectFrom('meeting_proxies as p')
    .innerJoin('voter_register_entries as g', (j) =>
      j.onRef('g.meeting_id', '=', 'p.meeting_id').onRef('g.member_id', '=', 'p.grantor_member_id'),
    )
    .innerJoin('voter_register_entries as h', (j) =>
      j.onRef('h.meeting_id', '=', 'p.meeting_id').onRef('h.member_id', '=', 'p.holder_member_id'),
    )
    .select([
      'p.id',
      'p.meeting_id',
      'p.grantor_member_id',
      'g.member_number as grantor_number',
      'g.name as grantor_name',
      'p.holder_member_id',
      'h.member_number as holder_number',
      'h.name as holder_name',
      'p.created_at',
      'p.created_by',
      'p.revoked_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

function toProxy(r: Row): Proxy {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    grantorId: r.grantor_member_id,
    grantorNumber: r.grantor_number,
    grantorName: r.grantor_name,
    holderId: r.holder_member_id,
    holderNumber: r.holder_number,
    holderName: r.holder_name,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
  };
}

/** Every proxy of a meeting (in force and revoked), for the secretary's list. */
export async function listProxies(db: Db, meetingId: string): Promise<Proxy[]> {
  const rows = await base(db)
    .where('p.meeting_id', '=', meetingId)
    .orderBy('h.member_number')
    .orderBy('g.member_number')
    .execute();
  return rows.map(toProxy);
}

/** The grantor's row for a meeting (in force or revoked). */
export async function findProxyOf(
  db: Db,
  meetingId: string,
  grantorId: string,
): Promise<Proxy | null> {
  const r = await base(db)
    .where('p.meeting_id', '=', meetingId)
    .where('p.grantor_member_id', '=', grantorId)
    .executeTakeFirst();
  return r ? toProxy(r) : null;
}

export async function findProxyById(db: Db, meetingId: string, id: string): Promise<Proxy | null> {
  const r = await base(db)
    .where('p.meeting_id', '=', meetingId)
    .where('p.id', '=', id)
    .executeTakeFirst();
  return r ? toProxy(r) : null;
}

/** The proxies in force that a member holds at a meeting. */
export async function listHeldProxies(
  db: Db,
  meetingId: string,
  holderId: string,
): Promise<Proxy[]> {
  const rows = await base(db)
    .where('p.meeting_id', '=', meetingId)
    .where('p.holder_member_id', '=', holderId)
    .where('p.revoked_at', 'is', null)
    .orderBy('g.member_number')
    .execute();
  return rows.map(toProxy);
}

export async function countHeldProxies(
  db: Db,
  meetingId: string,
  holderId: string,
): Promise<number> {
  const r = await db
    .selectFrom('meeting_proxies')
    .select(sql<number>`count(*)`.as('n'))
    .where('meeting_id', '=', meetingId)
    .where('holder_member_id', '=', holderId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Grantors represented right now: their proxy is in force, proxies are allowed, they are on
 * the register and not checked in themselves, and the holder is checked in. These count as
 * present (for the base "present" of a majority, too).
 */
export async function countPresentByProxy(db: Db, meetingId: string): Promise<number> {
  const r = await db
    .selectFrom('meeting_proxies as p')
    .innerJoin('voter_register_entries as g', (j) =>
      j.onRef('g.meeting_id', '=', 'p.meeting_id').onRef('g.member_id', '=', 'p.grantor_member_id'),
    )
    .select(sql<number>`count(*)`.as('n'))
    .where('p.meeting_id', '=', meetingId)
    .where('p.revoked_at', 'is', null)
    .where((eb) =>
      eb.and([
        eb.exists(
          eb
            .selectFrom('governance_settings')
            .select('id')
            .where('id', '=', 'main')
            .where('proxies_enabled', '=', 1),
        ),
        eb.exists(
          eb
            .selectFrom('meeting_attendance as ha')
            .select('ha.id')
            .whereRef('ha.meeting_id', '=', 'p.meeting_id')
            .whereRef('ha.member_id', '=', 'p.holder_member_id')
            .where('ha.checked_out_at', 'is', null),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('meeting_attendance as ga')
              .select('ga.id')
              .whereRef('ga.meeting_id', '=', 'p.meeting_id')
              .whereRef('ga.member_id', '=', 'p.grantor_member_id')
              .where('ga.checked_out_at', 'is', null),
          ),
        ),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Gives a proxy: a new row, or the grantor's revoked row taken up again. */
export async function upsertProxy(
  db: Db,
  p: {
    id: string;
    meetingId: string;
    grantorId: string;
    holderId: string;
    createdBy: string | null;
    now: Date;
  },
): Promise<string> {
  const existing = await db
    .selectFrom('meeting_proxies')
    .select('id')
    .where('meeting_id', '=', p.meetingId)
    .where('grantor_member_id', '=', p.grantorId)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('meeting_proxies')
      .set({
        holder_member_id: p.holderId,
        created_at: p.now.toISOString(),
        created_by: p.createdBy,
        revoked_at: null,
      })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  await db
    .insertInto('meeting_proxies')
    .values({
      id: p.id,
      meeting_id: p.meetingId,
      grantor_member_id: p.grantorId,
      holder_member_id: p.holderId,
      created_at: p.now.toISOString(),
      created_by: p.createdBy,
      revoked_at: null,
    })
    .execute();
  return p.id;
}

/** Revokes the grantor's proxy in force, if any; says whether one was revoked. */
export async function revokeProxyOf(
  db: Db,
  opts: { meetingId: string; grantorId: string; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('meeting_proxies')
    .set({ revoked_at: opts.now.toISOString() })
    .where('meeting_id', '=', opts.meetingId)
    .where('grantor_member_id', '=', opts.grantorId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Whether `holderId` holds a proxy in force from `grantorId` at the meeting. */
export async function holdsProxy(
  db: Db,
  opts: { meetingId: string; holderId: string; grantorId: string },
): Promise<boolean> {
  const r = await db
    .selectFrom('meeting_proxies')
    .select('id')
    .where('meeting_id', '=', opts.meetingId)
    .where('holder_member_id', '=', opts.holderId)
    .where('grantor_member_id', '=', opts.grantorId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return !!r;
}

export type RegisterPerson = { memberId: string; memberNumber: number; name: string };

/** A member on the meeting's register, by member id or by member number. */
export async function findRegisterPerson(
  db: Db,
  meetingId: string,
  by: { memberId: string } | { memberNumber: number },
): Promise<RegisterPerson | null> {
  let q = db
    .selectFrom('voter_register_entries')
    .select(['member_id', 'member_number', 'name'])
    .where('meeting_id', '=', meetingId);
  q =
    'memberId' in by
      ? q.where('member_id', '=', by.memberId)
      : q.where('member_number', '=', by.memberNumber);
  const r = await q.executeTakeFirst();
  return r ? { memberId: r.member_id, memberNumber: r.member_number, name: r.name } : null;
}
