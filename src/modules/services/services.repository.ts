import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Office } from '../members/members.tables.js';
import type {
  AccessPolicy,
  AccessStatus,
  Connector,
  LoginMethod,
  ServiceAccessTable,
  ServiceKind,
  ServiceSoftware,
  ServiceStatus,
} from './services.tables.js';

// Services and members' access rows. The sealed secrets (connector token, webhook and
// DiscourseConnect secrets) are never selected here: a service says only whether it has
// them. The one reader of a sealed secret is sealedSecretsOf, used by the use-cases that
// keep or replace them, and by the connectors and DiscourseConnect elsewhere.

export type Service = {
  id: string;
  slug: string;
  name: string;
  descriptionNb: string;
  descriptionEn: string;
  url: string;
  kind: ServiceKind;
  software: ServiceSoftware;
  loginMethod: LoginMethod;
  accessPolicy: AccessPolicy;
  offices: Office[];
  status: ServiceStatus;
  sortOrder: number;
  connector: Connector;
  connectorUrl: string | null;
  webhookUrl: string | null;
  hasConnectorToken: boolean;
  hasWebhookSecret: boolean;
  hasDiscourseSecret: boolean;
  createdAt: string;
  updatedAt: string;
};

const PUBLIC_COLUMNS = [
  'id',
  'slug',
  'name',
  'description_nb',
  'description_en',
  'url',
  'kind',
  'software',
  'login_method',
  'access_policy',
  'offices',
  'status',
  'sort_order',
  'connector',
  'connector_url',
  'webhook_url',
  'created_at',
  'updated_at',
] as const;

const truthy = (v: unknown) => v === true || Number(v) === 1;

function selectServices(db: Db) {
  return db
    .selectFrom('services')
    .select(PUBLIC_COLUMNS)
    .select((eb) => [
      eb('connector_token_enc', 'is not', null).as('has_token'),
      eb('webhook_secret_enc', 'is not', null).as('has_webhook'),
      eb('discourse_secret_enc', 'is not', null).as('has_discourse'),
    ]);
}

type ServiceRow = Awaited<ReturnType<ReturnType<typeof selectServices>['executeTakeFirstOrThrow']>>;

function toService(r: ServiceRow): Service {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    descriptionNb: r.description_nb,
    descriptionEn: r.description_en,
    url: r.url,
    kind: r.kind,
    software: r.software,
    loginMethod: r.login_method,
    accessPolicy: r.access_policy,
    offices: JSON.parse(r.offices) as Office[],
    status: r.status,
    sortOrder: Number(r.sort_order),
    connector: r.connector,
    connectorUrl: r.connector_url,
    webhookUrl: r.webhook_url,
    hasConnectorToken: truthy(r.has_token),
    hasWebhookSecret: truthy(r.has_webhook),
    hasDiscourseSecret: truthy(r.has_discourse),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listServices(
  db: Db,
  opts: { includeRetired?: boolean } = {},
): Promise<Service[]> {
  let q = selectServices(db).orderBy('sort_order').orderBy('name');
  if (!opts.includeRetired) q = q.where('status', '!=', 'retired');
  return (await q.execute()).map(toService);
}

export async function findService(db: Db, id: string): Promise<Service | null> {
  const row = await selectServices(db).where('id', '=', id).executeTakeFirst();
  return row ? toService(row) : null;
}

export async function findServiceBySlug(db: Db, slug: string): Promise<Service | null> {
  const row = await selectServices(db).where('slug', '=', slug).executeTakeFirst();
  return row ? toService(row) : null;
}

export async function slugInUse(db: Db, slug: string, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom('services').select('id').where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

/** The sealed secrets, for the use-cases that keep or replace them. Never for output. */
export async function sealedSecretsOf(db: Db, id: string) {
  return db
    .selectFrom('services')
    .select(['connector_token_enc', 'webhook_secret_enc', 'discourse_secret_enc'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export type ServiceRowValues = {
  slug: string;
  name: string;
  description_nb: string;
  description_en: string;
  url: string;
  kind: ServiceKind;
  software: ServiceSoftware;
  login_method: LoginMethod;
  access_policy: AccessPolicy;
  offices: string;
  status: ServiceStatus;
  sort_order: number;
  connector: Connector;
  connector_url: string | null;
  connector_token_enc: string | null;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  discourse_secret_enc: string | null;
};

export async function insertService(
  db: Db,
  values: ServiceRowValues & { id: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('services')
    .values({ ...values, created_at: now.toISOString(), updated_at: now.toISOString() })
    .execute();
}

export async function updateService(
  db: Db,
  id: string,
  values: ServiceRowValues,
  now: Date,
): Promise<void> {
  await db
    .updateTable('services')
    .set({ ...values, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

// --- access ------------------------------------------------------------------

export type ServiceAccess = {
  id: string;
  serviceId: string;
  memberId: string;
  status: AccessStatus;
  note: string | null;
  reason: string | null;
  requestedAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  updatedAt: string;
};

function toAccess(r: Selectable<ServiceAccessTable>): ServiceAccess {
  return {
    id: r.id,
    serviceId: r.service_id,
    memberId: r.member_id,
    status: r.status,
    note: r.note,
    reason: r.reason,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    updatedAt: r.updated_at,
  };
}

export async function accessRowsOfMember(db: Db, memberId: string): Promise<ServiceAccess[]> {
  const rows = await db
    .selectFrom('service_access')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
  return rows.map(toAccess);
}

export async function findAccess(
  db: Db,
  opts: { serviceId: string; memberId: string },
): Promise<ServiceAccess | null> {
  const row = await db
    .selectFrom('service_access')
    .selectAll()
    .where('service_id', '=', opts.serviceId)
    .where('member_id', '=', opts.memberId)
    .executeTakeFirst();
  return row ? toAccess(row) : null;
}

export async function findAccessById(db: Db, id: string): Promise<ServiceAccess | null> {
  const row = await db
    .selectFrom('service_access')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toAccess(row) : null;
}

export async function insertAccess(db: Db, a: Omit<ServiceAccess, 'updatedAt'>, now: Date) {
  await db
    .insertInto('service_access')
    .values({
      id: a.id,
      service_id: a.serviceId,
      member_id: a.memberId,
      status: a.status,
      note: a.note,
      reason: a.reason,
      requested_at: a.requestedAt,
      decided_at: a.decidedAt,
      decided_by: a.decidedBy,
      updated_at: now.toISOString(),
    })
    .execute();
}

/**
 * Moves an access row from the status that was read to a new one; false when another
 * decision got there first (so two administrators cannot both decide).
 */
export async function moveAccess(
  db: Db,
  opts: {
    id: string;
    from: AccessStatus;
    to: AccessStatus;
    note?: string | null;
    reason: string | null;
    requestedAt?: string | null;
    decidedAt: string | null;
    decidedBy: string | null;
    now: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('service_access')
    .set({
      status: opts.to,
      reason: opts.reason,
      decided_at: opts.decidedAt,
      decided_by: opts.decidedBy,
      updated_at: opts.now.toISOString(),
      ...(opts.note !== undefined ? { note: opts.note } : {}),
      ...(opts.requestedAt !== undefined ? { requested_at: opts.requestedAt } : {}),
    })
    .where('id', '=', opts.id)
    .where('status', '=', opts.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** One row of the administrators' lists: the access with the member and service named. */
export type AccessListItem = ServiceAccess & {
  memberNumber: number;
  memberName: string;
  memberStatus: string;
  serviceName: string;
  serviceSlug: string;
};

export async function listAccess(
  db: Db,
  opts: { status?: AccessStatus; serviceId?: string; limit?: number },
): Promise<AccessListItem[]> {
  let q = db
    .selectFrom('service_access as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .selectAll('a')
    .select([
      'm.member_number',
      'm.name as member_name',
      'm.status as member_status',
      's.name as service_name',
      's.slug as service_slug',
    ]);
  if (opts.status) q = q.where('a.status', '=', opts.status);
  if (opts.serviceId) q = q.where('a.service_id', '=', opts.serviceId);
  const rows = await q
    .orderBy('a.requested_at')
    .orderBy('a.id')
    .limit(opts.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    ...toAccess(r),
    memberNumber: Number(r.member_number),
    memberName: r.member_name,
    memberStatus: r.member_status,
    serviceName: r.service_name,
    serviceSlug: r.service_slug,
  }));
}
