import { addDays, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { DEFAULT_BILLING_SETTINGS } from '../billing/billing-settings.repository.js';
import { currentOffices, toMember, type Member } from '../members/members.repository.js';
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
};

export type ServiceRule = {
  id: string;
  status: ServiceStatus;
  accessPolicy: AccessPolicy;
  offices: readonly Office[];
};

/**
 * The membership's standing today for the account `userId`. Runs at every OIDC token
 * request, so it reads in few statements: the member with its type, the association's
 * time zone, the grace days and the paid-until date in one; then, for an active member
 * only, the oldest unpaid dues invoice and today's offices.
 */
export async function membershipStanding(
  db: Db,
  opts: { userId: string; now: Date },
): Promise<Standing> {
  const row = await db
    .selectFrom('members')
    .innerJoin('membership_types', 'membership_types.id', 'members.type_id')
    .innerJoin('association', (j) => j.onTrue())
    .leftJoin('billing_settings', (j) => j.onTrue())
    .selectAll('members')
    .select((eb) => [
      'membership_types.code as type_code',
      'association.time_zone as time_zone',
      'billing_settings.grace_days as grace_days',
      eb
        .selectFrom('membership_periods')
        .select((p) => p.fn.max('membership_periods.ends_on').as('until'))
        .whereRef('membership_periods.member_id', '=', 'members.id')
        .where('membership_periods.paid_at', 'is not', null)
        .as('paid_until'),
    ])
    .where('members.user_id', '=', opts.userId)
    .executeTakeFirst();
  if (!row)
    return {
      member: null,
      typeCode: null,
      offices: [],
      paidUntil: null,
      refusal: 'no_member',
      invoice: null,
    };
  const member = toMember(row);
  const paidUntil = row.paid_until ?? null;
  const base = {
    member,
    typeCode: row.type_code,
    paidUntil,
    invoice: null,
    offices: [] as Office[],
  };
  if (member.status === 'suspended') return { ...base, refusal: 'suspended' };
  if (member.status === 'excluded') return { ...base, refusal: 'excluded' };
  if (member.status !== 'active') return { ...base, refusal: 'not_active' };

  const today = todayIn(row.time_zone, opts.now);
  const unpaid = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'due_date'])
    .where('member_id', '=', member.id)
    .where('kind', '=', 'invoice')
    .where('purpose', '=', 'dues')
    .where('settled_at', 'is', null)
    .whereRef('credited_ore', '<', 'total_ore')
    .orderBy('due_date')
    .limit(1)
    .executeTakeFirst();
  const offices = await currentOffices(db, member.id, today);
  if (unpaid) {
    const invoice = { id: unpaid.id, number: unpaid.number, dueDate: unpaid.due_date };
    const graceDays = row.grace_days ?? DEFAULT_BILLING_SETTINGS.graceDays;
    if (addDays(unpaid.due_date, graceDays) < today)
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
  opts: { userId: string; serviceId: string; now: Date },
): Promise<
  { allowed: true; standing: Standing } | { allowed: false; refusal: Refusal; standing: Standing }
> {
  const standing = await membershipStanding(db, opts);
  const memberId = standing.member?.id ?? '';
  const row = await db
    .selectFrom('services')
    .leftJoin('service_access', (j) =>
      j
        .onRef('service_access.service_id', '=', 'services.id')
        .on('service_access.member_id', '=', memberId),
    )
    .select([
      'services.id',
      'services.status',
      'services.access_policy',
      'services.offices',
      'service_access.status as access_status',
    ])
    .where('services.id', '=', opts.serviceId)
    .executeTakeFirst();
  if (!row) return { allowed: false, refusal: 'service_unavailable', standing };
  const access = row.access_status ? { status: row.access_status } : null;
  const decision = decideAccess({
    standing,
    service: {
      id: row.id,
      status: row.status,
      accessPolicy: row.access_policy,
      offices: JSON.parse(row.offices) as Office[],
    },
    access,
  });
  return decision.allowed
    ? { allowed: true, standing }
    : { allowed: false, refusal: decision.refusal, standing };
}
