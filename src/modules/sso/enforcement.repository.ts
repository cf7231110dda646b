import type { Db } from '../../app/db.js';
import { BACKCHANNEL_KIND } from './backchannel.js';
import { WEBHOOK_KIND } from './webhooks.js';

export type EnforcementEntry = {
  id: string;
  service: { id: string; name: string };
  member: { id: string; name: string; memberNumber: number };
  action: 'suspend' | 'reinstate';
  reason: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
  result: string | null;
  createdAt: string;
  updatedAt: string;
};

export type DeliveryEntry = {
  id: string;
  kind: 'webhook' | 'backchannel';
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
};

const LIMIT = 100;

/** The latest enforcement calls for one service or one member, newest first. */
export async function listEnforcements(
  db: Db,
  by: { serviceId: string } | { memberId: string },
): Promise<EnforcementEntry[]> {
  let q = db
    .selectFrom('service_enforcements as e')
    .innerJoin('services as s', 's.id', 'e.service_id')
    .innerJoin('members as m', 'm.id', 'e.member_id')
    .select([
      'e.id',
      'e.action',
      'e.reason',
      'e.status',
      'e.attempts',
      'e.last_error',
      'e.result',
      'e.created_at',
      'e.updated_at',
      's.id as service_id',
      's.name as service_name',
      'm.id as member_id',
      'm.name as member_name',
      'm.member_number',
    ]);
  q =
    'serviceId' in by
      ? q.where('e.service_id', '=', by.serviceId)
      : q.where('e.member_id', '=', by.memberId);
  const rows = await q
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    service: { id: r.service_id, name: r.service_name },
    member: { id: r.member_id, name: r.member_name, memberNumber: r.member_number },
    action: r.action,
    reason: r.reason,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    result: r.result,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Recent webhook and back-channel deliveries for a service (and its clients). */
export async function listDeliveries(db: Db, serviceId: string): Promise<DeliveryEntry[]> {
  const clients = await db
    .selectFrom('oidc_clients')
    .select('id')
    .where('service_id', '=', serviceId)
    .execute();
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'kind', 'status', 'attempts', 'last_error', 'created_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', WEBHOOK_KIND), eb('recipient', '=', serviceId)]),
        ...(clients.length > 0
          ? [
              eb.and([
                eb('kind', '=', BACKCHANNEL_KIND),
                eb(
                  'recipient',
                  'in',
                  clients.map((c) => c.id),
                ),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind === WEBHOOK_KIND ? 'webhook' : 'backchannel',
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
  }));
}

export async function findServiceName(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('services')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? null;
}

export async function findMemberLabel(
  db: Db,
  id: string,
): Promise<{ name: string; memberNumber: number } | null> {
  const row = await db
    .selectFrom('members')
    .select(['name', 'member_number'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { name: row.name, memberNumber: row.member_number } : null;
}
