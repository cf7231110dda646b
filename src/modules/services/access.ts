import { addDays, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { findAssociation } from '../association/association.repository.js';
import { getBillingSettings } from '../billing/billing-settings.repository.js';
import { currentOffices, findMemberByUserId, type Member } from '../members/members.repository.js';
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

/** The membership's standing today for the account `userId`. */
export async function membershipStanding(
  db: Db,
  opts: { userId: string; now: Date },
): Promise<Standing> {
  const member = await findMemberByUserId(db, opts.userId);
  if (!member)
    return { member: null, offices: [], paidUntil: null, refusal: 'no_member', invoice: null };
  const association = await findAssociation(db);
  const today = todayIn(association?.timeZone ?? 'Europe/Oslo', opts.now);
  const paid = await db
    .selectFrom('membership_periods')
    .select((eb) => eb.fn.max('ends_on').as('until'))
    .where('member_id', '=', member.id)
    .where('paid_at', 'is not', null)
    .executeTakeFirst();
  const paidUntil = paid?.until ?? null;
  const base = { member, paidUntil, invoice: null, offices: [] as Office[] };
  if (member.status === 'suspended') return { ...base, refusal: 'suspended' };
  if (member.status === 'excluded') return { ...base, refusal: 'excluded' };
  if (member.status !== 'active') return { ...base, refusal: 'not_active' };

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
    const { graceDays } = await getBillingSettings(db);
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
  const row = await db
    .selectFrom('services')
    .select(['id', 'status', 'access_policy', 'offices'])
    .where('id', '=', opts.serviceId)
    .executeTakeFirst();
  if (!row) return { allowed: false, refusal: 'service_unavailable', standing };
  const access = standing.member
    ? ((await db
        .selectFrom('service_access')
        .select('status')
        .where('service_id', '=', row.id)
        .where('member_id', '=', standing.member.id)
        .executeTakeFirst()) ?? null)
    : null;
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
