import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { mail, recipientOf, scopeOf } from '../members/member-status.js';
import {
  findMemberById,
  findMemberByNumber,
  findMemberByUserId,
} from '../members/members.repository.js';
import { onServiceAccessGranted, onServiceAccessWithdrawn } from '../sso/revocation.js';
import { decideAccess, membershipStanding, type Refusal, type Standing } from './access.js';
import {
  accessGrantedMessage,
  accessRefusedMessage,
  accessWithdrawnMessage,
} from './services.emails.js';
import { ServiceErrors, ServiceFieldMessages } from './services.errors.js';
import {
  accessRowsOfMember,
  findAccess,
  findAccessById,
  findService,
  findServiceBySlug,
  insertAccess,
  listServices,
  moveAccess,
  type Service,
  type ServiceAccess,
} from './services.repository.js';
import type { AccessStatus } from './services.tables.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/** One service as a member sees it: may they use it, and if not, why and what next. */
export type MyService = {
  service: Service;
  access: ServiceAccess | null;
  allowed: boolean;
  refusal: Refusal | null;
  /** The member may ask for access now (on request, no open or granted row). */
  canRequest: boolean;
};

/** The services an account can see (all but retired), each with the gate's decision. */
export async function myServices(
  db: Db,
  opts: { userId: string; now: Date },
): Promise<{ standing: Standing; services: MyService[] }> {
  const standing = await membershipStanding(db, opts);
  const [services, rows] = await Promise.all([
    listServices(db),
    standing.member ? accessRowsOfMember(db, standing.member.id) : Promise.resolve([]),
  ]);
  return {
    standing,
    services: services.map((service) => {
      const access = rows.find((r) => r.serviceId === service.id) ?? null;
      const decision = decideAccess({
        standing,
        service: {
          id: service.id,
          status: service.status,
          accessPolicy: service.accessPolicy,
          offices: service.offices,
        },
        access,
      });
      return {
        service,
        access,
        allowed: decision.allowed,
        refusal: decision.allowed ? null : decision.refusal,
        canRequest:
          !decision.allowed &&
          decision.refusal === 'access_required' &&
          access?.status !== 'requested',
      };
    }),
  };
}

/**
 * A member asks for access to an on-request service. A refused or withdrawn request may
 * be made again; the row is reused (one per member and service).
 */
export async function requestAccess(
  deps: Deps,
  input: { actor: Actor; userId: string; slug: string; note: string | null },
): Promise<{ access: ServiceAccess }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const member = await findMemberByUserId(tx, input.userId);
    if (!member) throw ServiceErrors.noMembership();
    const service = await findServiceBySlug(tx, input.slug);
    if (!service || service.status === 'retired') throw ServiceErrors.notFound();
    if (service.accessPolicy !== 'on_request' || member.status !== 'active')
      throw ServiceErrors.requestNotAllowed();
    const existing = await findAccess(tx, { serviceId: service.id, memberId: member.id });
    const at = now.toISOString();
    if (!existing) {
      await insertAccess(
        tx,
        {
          id: newId(now.getTime()),
          serviceId: service.id,
          memberId: member.id,
          status: 'requested',
          note: input.note,
          reason: null,
          requestedAt: at,
          decidedAt: null,
          decidedBy: null,
        },
        now,
      );
    } else {
      if (existing.status === 'requested' || existing.status === 'granted')
        throw ServiceErrors.alreadyRequested();
      const moved = await moveAccess(tx, {
        id: existing.id,
        from: existing.status,
        to: 'requested',
        note: input.note,
        reason: null,
        requestedAt: at,
        decidedAt: null,
        decidedBy: null,
        now,
      });
      if (!moved) throw ServiceErrors.accessChanged();
    }
    const access = (await findAccess(tx, { serviceId: service.id, memberId: member.id }))!;
    await recordAudit(tx, {
      actor: input.actor,
      action: 'services.access_requested',
      entityType: 'service_access',
      entityId: access.id,
      after: { service: service.slug, memberNumber: member.memberNumber },
      at: now,
    });
    return { access };
  });
}

export type Decision = 'grant' | 'refuse' | 'withdraw';

const ALLOWED_FROM: Record<Decision, readonly AccessStatus[]> = {
  grant: ['requested', 'refused', 'withdrawn'],
  refuse: ['requested'],
  withdraw: ['granted'],
};
const TO: Record<Decision, AccessStatus> = {
  grant: 'granted',
  refuse: 'refused',
  withdraw: 'withdrawn',
};

async function applyDecision(
  deps: Deps,
  tx: Db,
  opts: {
    actor: Actor;
    access: ServiceAccess;
    service: Service;
    decision: Decision;
    reason: string | null;
    now: Date;
  },
): Promise<ServiceAccess> {
  const { access, service, decision, now } = opts;
  const reason = decision === 'grant' ? null : opts.reason;
  if (decision !== 'grant' && !reason)
    throw ServiceErrors.invalid(undefined, { reason: ServiceFieldMessages['reasonRequired']! });
  if (!ALLOWED_FROM[decision].includes(access.status)) throw ServiceErrors.accessChanged();
  const member = await findMemberById(tx, access.memberId);
  if (!member) throw ServiceErrors.accessNotFound();
  const moved = await moveAccess(tx, {
    id: access.id,
    from: access.status,
    to: TO[decision],
    reason,
    decidedAt: now.toISOString(),
    decidedBy: opts.actor.userId,
    now,
  });
  if (!moved) throw ServiceErrors.accessChanged();

  // Sessions and tokens follow in the same transaction.
  const change = { memberId: member.id, userId: member.userId, serviceId: service.id, now };
  if (decision === 'grant') await onServiceAccessGranted(tx, change);
  else await onServiceAccessWithdrawn(tx, { ...change, reason });

  await recordAudit(tx, {
    actor: opts.actor,
    action: `services.access_${TO[decision]}`,
    entityType: 'service_access',
    entityId: access.id,
    before: { status: access.status },
    after: {
      status: TO[decision],
      service: service.slug,
      memberNumber: member.memberNumber,
      ...(reason ? { reason } : {}),
    },
    at: now,
  });

  const scope = await scopeOf(tx, now);
  const recipient = await recipientOf(tx, scope, member);
  if (recipient) {
    const link = `${deps.config.baseUrl}/services`;
    const base = { ...recipient, service: service.name, link };
    await mail(
      tx,
      scope,
      decision === 'grant'
        ? accessGrantedMessage({ ...base, url: service.url })
        : decision === 'refuse'
          ? accessRefusedMessage({ ...base, reason: reason! })
          : accessWithdrawnMessage({ ...base, reason: reason! }),
    );
  }
  return (await findAccessById(tx, access.id))!;
}

/** An administrator grants or refuses a request, or withdraws access given earlier. */
export async function decideAccessRequest(
  deps: Deps,
  input: { actor: Actor; accessId: string; decision: Decision; reason: string | null },
): Promise<{ access: ServiceAccess }> {
  const now = deps.clock.now();
  const access = await deps.db.transaction().execute(async (tx) => {
    const row = await findAccessById(tx, input.accessId);
    if (!row) throw ServiceErrors.accessNotFound();
    const service = await findService(tx, row.serviceId);
    if (!service) throw ServiceErrors.notFound();
    return applyDecision(deps, tx, { ...input, access: row, service, now });
  });
  deps.kickOutbox();
  return { access };
}

/** An administrator gives a member access without a request (by member number). */
export async function grantDirectly(
  deps: Deps,
  input: { actor: Actor; serviceId: string; memberNumber: number },
): Promise<{ access: ServiceAccess }> {
  const now = deps.clock.now();
  const access = await deps.db.transaction().execute(async (tx) => {
    const service = await findService(tx, input.serviceId);
    if (!service) throw ServiceErrors.notFound();
    const member = await findMemberByNumber(tx, input.memberNumber);
    if (!member || member.status !== 'active')
      throw ServiceErrors.memberNotFound(undefined, {
        memberNumber: ServiceFieldMessages['memberNotFound']!,
      });
    let row = await findAccess(tx, { serviceId: service.id, memberId: member.id });
    if (row?.status === 'granted') return row;
    if (!row) {
      await insertAccess(
        tx,
        {
          id: newId(now.getTime()),
          serviceId: service.id,
          memberId: member.id,
          status: 'requested',
          note: null,
          reason: null,
          requestedAt: null,
          decidedAt: null,
          decidedBy: null,
        },
        now,
      );
      row = (await findAccess(tx, { serviceId: service.id, memberId: member.id }))!;
    }
    return applyDecision(deps, tx, {
      actor: input.actor,
      access: row,
      service,
      decision: 'grant',
      reason: null,
      now,
    });
  });
  deps.kickOutbox();
  return { access };
}
