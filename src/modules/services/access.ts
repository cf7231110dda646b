import { sql, type Expression, type RawBuilder } from 'kysely';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import { addDays, todayIn } from '../../app/dates.js';
import { isPostgres, type Db } from '../../app/db.js';
import { reusableQuery, type Arg } from '../../app/reusable-query.js';
import { DEFAULT_BILLING_SETTINGS } from '../billing/billing-settings.repository.js';
import { jsonObject, jsonText, nestedJson } from '../../app/sql-json.js';
import {
  MEMBER_ROW_COLUMNS,
  toMember,
  type Member,
  type MemberRow,
} from '../members/members.repository.js';
import type { Office } from '../members/members.tables.js';
import type { AccessPolicy, AccessStatus, ServiceStatus } from './services.tables.js';

// The gate: one decision, used by the OpenID Connect provider at login and at every
// token refresh, by DiscourseConnect, by the members' services page and by revocation.
//
// A member may use a service when
//   - the membership is active (not applied, lapsed, suspended, resigned, excluded);
//   - it is paid up: no dues invoice is unpaid past its due date plus the grace days
//     (the lapse job turns that into "lapsed" once a day; the gate does not wait for it),
//     and a new member's membership starts with the first payment (an unpaid first
//     invoice within its due date does not yet open the services);
//   - the service is active, and the member has access to it by its policy: every
//     active member, a granted request, or an office held today.

export type Refusal =
  | 'no_member' // the account has no membership
  | 'not_active' // applied, refused, lapsed, resigned
  | 'suspended'
  | 'excluded'
  | 'unpaid' // a dues invoice is overdue past the grace days
  | 'first_payment' // a new membership waits for its first payment
  | 'service_unavailable' // the service is in maintenance or retired
  | 'access_required' // on request: not (yet) granted
  | 'office_required'; // by office: the member does not hold one of them

export type UnpaidInvoice = { id: string; number: number; dueDate: string };

export type Standing = {
  member: Member | null;
  /** The code of the membership type (the membership claim's `type`). */
  typeCode: string | null;
  offices: Office[];
  /** The last day of the latest paid membership period, if any. */
  paidUntil: string | null;
  /** Why the membership itself does not open services, or null when it does. */
  refusal: Exclude<Refusal, 'service_unavailable' | 'access_required' | 'office_required'> | null;
  /** The invoice to pay, when the refusal is unpaid or first_payment. */
  invoice: UnpaidInvoice | null;
  /**
   * Every active service (and the one asked about), with the member's access row, when
   * the standing was read for the gate (checkServiceAccess); sorted by slug.
   */
  services?: ServiceView[];
  /** The account's own row, when the standing was read with `account` (for the claims). */
  account?: AccountView;
  /**
   * For each session id hash asked about (`sessionIdHashes`), the account of that login
   * session if it has not expired, in the same order.
   */
  sessionUserIds?: (string | null)[];
};

/** What the claims need of the account's users row. */
export type AccountView = { name: string; handle: string; email: string; emailVerified: boolean };

export type ServiceRule = {
  id: string;
  status: ServiceStatus;
  accessPolicy: AccessPolicy;
  offices: readonly Office[];
};

/** A service as the gate and the groups claim see it, with the member's access row. */
export type ServiceView = ServiceRule & { slug: string; access: { status: AccessStatus } | null };

type OfficeTermRow = { office: Office; starts_on: string; ends_on: string | null };
type ServiceRow = {
  id: string;
  slug: string;
  status: ServiceStatus;
  access_policy: AccessPolicy;
  offices: string;
  access_status: AccessStatus | null;
};

/** Services with the member's access row to each (ServiceRow), for the gate and the claims. */
export function servicesWithAccess(db: Db, memberId: string | Expression<string>) {
  return db
    .selectFrom('services')
    .leftJoin('service_access', (j) =>
      j
        .onRef('service_access.service_id', '=', 'services.id')
        .on('service_access.member_id', '=', memberId),
    )
    .select([
      'services.id',
      'services.slug',
      'services.status',
      'services.access_policy',
      'services.offices',
      'service_access.status as access_status',
    ]);
}

/** A column of the member's oldest unpaid dues invoice (an index lookup each). */
function oldestUnpaid(db: Db, column: 'id' | 'number' | 'due_date') {
  return db
    .selectFrom('invoices')
    .select(`invoices.${column}`)
    .where('invoices.member_id', '=', sql.ref<string>('members.id'))
    .where('invoices.kind', '=', 'invoice')
    .where('invoices.purpose', '=', 'dues')
    .where('invoices.settled_at', 'is', null)
    .whereRef('invoices.credited_ore', '<', 'invoices.total_ore')
    .orderBy('invoices.due_date')
    .limit(1);
}

/**
 * The membership's standing today for the account `userId`. Runs at every OIDC request,
 * so it reads in one statement: the member with its type, the association's time zone,
 * the grace days, the paid-until date, the oldest unpaid dues invoice and the office
 * terms around today (the day is only known once the time zone is read: every term that
 * covers a day within one day of today in UTC comes back and is filtered here). With
 * `services`, the same statement also reads every active service and the service
 * `services.include` (whatever its status) with the member's access row to each, for the
 * gate and the groups claim of the same request. With `account`, it reads the account's
 * users row for the claims; with `sessionIdHashes`, which account each of those login
 * sessions belongs to (the OIDC provider compares it with its own session).
 *
 * The one-row tables (association, billing settings) are read by scalar subqueries, not
 * joined: PostgreSQL never analyses a table of one row by itself (autovacuum waits for 50
 * changed rows), and its default guess of a few hundred rows for each joined one made the
 * estimated cost of this statement large enough to JIT-compile it, for seconds, at every
 * call.
 */
export type StandingShape = { account: boolean; sessions: number; services: boolean };
export type StandingArgs = {
  now: string;
  earliest: string;
  latest: string;
} & Record<`session${number}`, string>;

/**
 * Where the standing statement takes the account and the service to include from: bound
 * values when it runs alone, columns of an outer row when it is part of another
 * statement (the OIDC adapter reads it with the request's first lookup).
 */
export type StandingSubjects = {
  userId: string | Expression<string | null>;
  include: string | Expression<string | null>;
};

/**
 * The standing's statement as one JSON text, null when the account has no membership
 * (see membershipStanding for what it reads). `arg` binds the values of StandingArgs;
 * the caller's statement decides where `subjects` come from.
 */
export function standingJson(
  db: Db,
  shape: StandingShape,
  arg: Arg<StandingArgs>,
  subjects: StandingSubjects,
): RawBuilder<string | null> {
  const arrayFrom = isPostgres(db) ? pgJsonArrayFrom : sqliteJsonArrayFrom;
  const ref = (column: string) => sql.ref<string>(column);
  const officeTerms = db
    .selectFrom('office_terms')
    .select(['office_terms.office', 'office_terms.starts_on', 'office_terms.ends_on'])
    .where('office_terms.member_id', '=', ref('members.id'))
    .where('office_terms.starts_on', '<=', arg('latest'))
    .where((o) =>
      o.or([
        o('office_terms.ends_on', 'is', null),
        o('office_terms.ends_on', '>=', arg('earliest')),
      ]),
    );
  const services = servicesWithAccess(db, ref('members.id')).where((w) =>
    w.or([w('services.status', '=', 'active'), w('services.id', '=', subjects.include)]),
  );
  const sessions = Array.from(
    { length: shape.sessions },
    (_, i) =>
      [
        `session_user_${i}`,
        db
          .selectFrom('sessions')
          .select('sessions.user_id')
          .where('sessions.id', '=', arg(`session${i}`))
          .where('sessions.expires_at', '>', arg('now')),
      ] as const,
  );
  const standing = jsonObject(db, [
    [
      'member',
      jsonObject(
        db,
        MEMBER_ROW_COLUMNS.map((c) => [c, ref(`members.${c}`)] as const),
      ),
    ],
    ['type_code', ref('membership_types.code')],
    ['time_zone', db.selectFrom('association').select('association.time_zone').limit(1)],
    [
      'grace_days',
      db.selectFrom('billing_settings').select('billing_settings.grace_days').limit(1),
    ],
    ...(shape.account
      ? ([
          ['account_name', ref('users.name')],
          ['account_handle', ref('users.handle')],
          ['account_email', ref('users.email')],
          ['account_email_verified_at', ref('users.email_verified_at')],
        ] as const)
      : []),
    ...sessions,
    ['unpaid_id', oldestUnpaid(db, 'id')],
    ['unpaid_number', oldestUnpaid(db, 'number')],
    ['unpaid_due_date', oldestUnpaid(db, 'due_date')],
    [
      'paid_until',
      db
        .selectFrom('membership_periods')
        .select((p) => p.fn.max('membership_periods.ends_on').as('until'))
        .where('membership_periods.member_id', '=', ref('members.id'))
        .where('membership_periods.paid_at', 'is not', null),
    ],
    ['office_terms', nestedJson(db, arrayFrom(officeTerms))],
    ...(shape.services ? ([['services', nestedJson(db, arrayFrom(services))]] as const) : []),
  ]);
  const query = db
    .selectFrom('members')
    .innerJoin('membership_types', 'membership_types.id', 'members.type_id')
    .$if(shape.account, (q) => q.innerJoin('users', 'users.id', 'members.user_id'))
    .select(jsonText(db, standing).as('standing'))
    .where('members.user_id', '=', subjects.userId);
  return sql<string | null>`(${query})`;
}

/** The statement of membershipStanding, compiled once per shape (app/reusable-query.ts). */
const standingQuery = reusableQuery(
  (db: Db, shape: StandingShape, arg: Arg<StandingArgs & { userId: string; include: string }>) =>
    db.selectNoFrom(
      standingJson(db, shape, arg, {
        userId: arg('userId'),
        include: shape.services ? arg('include') : '',
      }).as('standing'),
    ),
);

/** The standing's JSON as standingJson builds it. */
type StandingRow = {
  member: MemberRow;
  type_code: string;
  time_zone: string | null;
  grace_days: number | null;
  account_name?: string;
  account_handle?: string;
  account_email?: string;
  account_email_verified_at?: string | null;
  unpaid_id: string | null;
  unpaid_number: number | null;
  unpaid_due_date: string | null;
  paid_until: string | null;
  office_terms: OfficeTermRow[] | null;
  services?: ServiceRow[] | null;
} & Record<`session_user_${number}`, string | null>;

/** The values a standing statement binds at `now`, besides the account and service. */
export function standingArgs(now: Date, sessionIdHashes: readonly string[]): StandingArgs {
  const utcToday = todayIn('UTC', now);
  const args: StandingArgs = {
    now: now.toISOString(),
    earliest: addDays(utcToday, -1),
    latest: addDays(utcToday, 1),
  };
  sessionIdHashes.forEach((hash, i) => (args[`session${i}`] = hash));
  return args;
}

export async function membershipStanding(
  db: Db,
  opts: {
    userId: string;
    now: Date;
    services?: { include: string | null };
    account?: boolean;
    sessionIdHashes?: string[];
  },
): Promise<Standing> {
  const [row] = await standingQuery.rows(
    db,
    {
      account: !!opts.account,
      sessions: opts.sessionIdHashes?.length ?? 0,
      services: !!opts.services,
    },
    {
      ...standingArgs(opts.now, opts.sessionIdHashes ?? []),
      userId: opts.userId,
      include: opts.services?.include ?? '',
    },
  );
  return standingFromJson(row?.standing ?? null, opts);
}

/**
 * The Standing of a standing statement's JSON (null: no membership), for the options it
 * was read with.
 */
export function standingFromJson(
  json: string | null,
  opts: {
    now: Date;
    services?: unknown;
    account?: boolean | undefined;
    sessionIdHashes?: readonly string[] | undefined;
  },
): Standing {
  const row = json === null ? null : (JSON.parse(json) as StandingRow);
  if (!row || row.time_zone === null)
    return {
      member: null,
      typeCode: null,
      offices: [],
      paidUntil: null,
      refusal: 'no_member',
      invoice: null,
      ...(opts.services ? { services: [] } : {}),
    };
  const member = toMember(row.member);
  const paidUntil = row.paid_until ?? null;
  const today = todayIn(row.time_zone, opts.now);
  const offices = [
    ...new Set(
      (row.office_terms ?? [])
        .filter((t) => t.starts_on <= today && (t.ends_on === null || t.ends_on >= today))
        .map((t) => t.office),
    ),
  ];
  const services = opts.services
    ? (row.services ?? [])
        .map((s): ServiceView => ({
          id: s.id,
          slug: s.slug,
          status: s.status,
          accessPolicy: s.access_policy,
          offices: JSON.parse(s.offices) as Office[],
          access: s.access_status ? { status: s.access_status } : null,
        }))
        .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    : undefined;
  const account: AccountView | undefined = opts.account
    ? {
        name: row.account_name!,
        handle: row.account_handle!,
        email: row.account_email!,
        emailVerified: row.account_email_verified_at != null,
      }
    : undefined;
  const base = {
    member,
    typeCode: row.type_code,
    paidUntil,
    invoice: null,
    offices: [] as Office[],
    ...(services ? { services } : {}),
    ...(account ? { account } : {}),
    ...(opts.sessionIdHashes
      ? { sessionUserIds: opts.sessionIdHashes.map((_, i) => row[`session_user_${i}`] ?? null) }
      : {}),
  };
  if (member.status === 'suspended') return { ...base, refusal: 'suspended' };
  if (member.status === 'excluded') return { ...base, refusal: 'excluded' };
  if (member.status !== 'active') return { ...base, refusal: 'not_active' };

  if (row.unpaid_id !== null && row.unpaid_number !== null && row.unpaid_due_date !== null) {
    const invoice = { id: row.unpaid_id, number: row.unpaid_number, dueDate: row.unpaid_due_date };
    const graceDays = row.grace_days ?? DEFAULT_BILLING_SETTINGS.graceDays;
    if (addDays(invoice.dueDate, graceDays) < today)
      return { ...base, offices, refusal: 'unpaid', invoice };
    if (!paidUntil) return { ...base, offices, refusal: 'first_payment', invoice };
  }
  return { ...base, offices, refusal: null };
}

/**
 * Whether the standing member may use the service, and if not, why. `access` is the
 * member's row for the service (on-request policy), if any.
 */
export function decideAccess(opts: {
  standing: Standing;
  service: ServiceRule;
  access: { status: AccessStatus } | null;
}): { allowed: true } | { allowed: false; refusal: Refusal } {
  const { standing, service } = opts;
  if (standing.refusal) return { allowed: false, refusal: standing.refusal };
  if (service.status !== 'active') return { allowed: false, refusal: 'service_unavailable' };
  switch (service.accessPolicy) {
    case 'all_members':
      return { allowed: true };
    case 'on_request':
      return opts.access?.status === 'granted'
        ? { allowed: true }
        : { allowed: false, refusal: 'access_required' };
    case 'by_office':
      return standing.offices.some((o) => service.offices.includes(o))
        ? { allowed: true }
        : { allowed: false, refusal: 'office_required' };
  }
}

/** The gate in one call: may the account `userId` use the service `serviceId` now? */
export async function checkServiceAccess(
  db: Db,
  opts: {
    userId: string;
    serviceId: string;
    now: Date;
    /** Also read the account's users row (Standing.account), for the claims. */
    account?: boolean;
    /** Also read whose these login sessions are (Standing.sessionUserIds). */
    sessionIdHashes?: string[];
  },
): Promise<ServiceAccess> {
  // One statement: the standing, this service and every active one (the groups claim of
  // the same request reuses them).
  const standing = await membershipStanding(db, {
    userId: opts.userId,
    now: opts.now,
    services: { include: opts.serviceId },
    ...(opts.account ? { account: true } : {}),
    ...(opts.sessionIdHashes ? { sessionIdHashes: opts.sessionIdHashes } : {}),
  });
  return accessAtService(db, standing, opts.serviceId);
}

export type ServiceAccess =
  { allowed: true; standing: Standing } | { allowed: false; refusal: Refusal; standing: Standing };

/**
 * The gate's decision from a standing read with `services: { include: serviceId }`
 * (checkServiceAccess, or the OIDC adapter's read ahead).
 */
export async function accessAtService(
  db: Db,
  standing: Standing,
  serviceId: string,
): Promise<ServiceAccess> {
  if (!standing.member) {
    // Nothing was joined without a membership: a refusal either way, but a missing
    // service says so first, as it does for members.
    const exists = await db
      .selectFrom('services')
      .select('id')
      .where('id', '=', serviceId)
      .executeTakeFirst();
    return { allowed: false, refusal: exists ? 'no_member' : 'service_unavailable', standing };
  }
  const service = standing.services?.find((s) => s.id === serviceId);
  if (!service) return { allowed: false, refusal: 'service_unavailable', standing };
  const decision = decideAccess({ standing, service, access: service.access });
  return decision.allowed
    ? { allowed: true, standing }
    : { allowed: false, refusal: decision.refusal, standing };
}
