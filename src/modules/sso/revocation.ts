import type { Db } from '../../app/db.js';
import type { MemberStatus, Office } from '../members/members.tables.js';
import { decideAccess, membershipStanding } from '../services/access.js';
import type { ServicesTable } from '../services/services.tables.js';
import { enqueueBackchannelLogout } from './backchannel.js';
import { enqueueEnforcement, latestActions, type EnforcementReason } from './enforcement.queue.js';
import { enqueueWebhook, type WebhookEvent } from './webhooks.js';

// Revocation: when a membership stops opening services, every artefact the OpenID
// Connect provider keeps for the member (sessions, interactions, authorization codes,
// grants, access and refresh tokens) is deleted in the transaction that changes the
// status, so the next token refresh, userinfo or introspection after the commit is
// refused; a rollback leaves them as they were. Allmenning's own login session is kept:
// the member must still be able to log in to see why and to pay.
//
// In the same transaction the outbox gets, for delivery after the commit with retries:
//   - a back-channel logout to every affected client that registered a URI;
//   - a signed webhook to every service that registered one;
//   - an enforcement call (service_enforcements row) to every service with a connector.
// A return to active queues the webhook and reverses the connectors' suspensions.

export type MembershipChange = {
  memberId: string;
  userId: string | null;
  from: MemberStatus;
  to: MemberStatus;
  reason: string | null;
  now: Date;
};

/** The statuses in which a membership opens no service. */
export const CLOSED_STATUSES: readonly MemberStatus[] = [
  'lapsed',
  'suspended',
  'resigned',
  'excluded',
];

export type RevocationSummary = {
  /** oidc_payloads rows deleted. */
  revoked: number;
  backchannelLogouts: number;
  webhooks: number;
  enforcements: number;
};

const EMPTY: RevocationSummary = {
  revoked: 0,
  backchannelLogouts: 0,
  webhooks: 0,
  enforcements: 0,
};

type Subject = { sub: string; handle: string | null };
type ServiceRow = Pick<
  ServicesTable,
  | 'id'
  | 'slug'
  | 'status'
  | 'access_policy'
  | 'offices'
  | 'connector'
  | 'connector_url'
  | 'connector_token_enc'
  | 'webhook_url'
>;

async function subjectOf(tx: Db, userId: string): Promise<Subject> {
  const user = await tx
    .selectFrom('users')
    .select('handle')
    .where('id', '=', userId)
    .executeTakeFirst();
  return { sub: userId, handle: user?.handle ?? null };
}

async function servicesOf(tx: Db, serviceId?: string): Promise<ServiceRow[]> {
  let q = tx
    .selectFrom('services')
    .select([
      'id',
      'slug',
      'status',
      'access_policy',
      'offices',
      'connector',
      'connector_url',
      'connector_token_enc',
      'webhook_url',
    ])
    .where('status', '!=', 'retired');
  if (serviceId) q = q.where('id', '=', serviceId);
  return q.orderBy('id').execute();
}

const hasConnector = (s: ServiceRow) =>
  s.connector !== 'none' && !!s.connector_url && !!s.connector_token_enc;

type Authorizations = Record<string, { sid?: string; grantId?: string } | undefined>;

/**
 * Deletes the account's artefacts — all of them, or only those of `clientIds` — and
 * queues back-channel logouts to the clients that registered a URI. Session rows are
 * shared by all clients: a full revocation deletes them, a per-client one removes only
 * those clients' entries from them.
 */
export async function revokeOidcArtefacts(
  tx: Db,
  opts: { accountId: string; clientIds?: string[]; now: Date },
): Promise<{ revoked: number; backchannelLogouts: number }> {
  const { accountId } = opts;
  const only = opts.clientIds ? new Set(opts.clientIds) : null;
  if (only && only.size === 0) return { revoked: 0, backchannelLogouts: 0 };

  // Which clients held what, and the session ids they know (the sid of each session).
  const sids = new Map<string, Set<string>>();
  const touched = new Set<string>();
  const sessions = await tx
    .selectFrom('oidc_payloads')
    .select(['id', 'payload'])
    .where('model', '=', 'Session')
    .where('account_id', '=', accountId)
    .execute();
  let revoked = 0;
  for (const session of sessions) {
    const payload = JSON.parse(session.payload) as { authorizations?: Authorizations };
    const authorizations = payload.authorizations ?? {};
    let changed = false;
    for (const [clientId, auth] of Object.entries(authorizations)) {
      if (only && !only.has(clientId)) continue;
      touched.add(clientId);
      if (auth?.sid) sids.set(clientId, (sids.get(clientId) ?? new Set()).add(auth.sid));
      delete authorizations[clientId];
      changed = true;
    }
    if (only && changed) {
      await tx
        .updateTable('oidc_payloads')
        .set({ payload: JSON.stringify({ ...payload, authorizations }) })
        .where('model', '=', 'Session')
        .where('id', '=', session.id)
        .execute();
    }
  }

  let held = tx
    .selectFrom('oidc_payloads')
    .select(['model', 'id', 'client_id', 'grant_id'])
    .where('account_id', '=', accountId);
  if (only) held = held.where('client_id', 'in', [...only]);
  const rows = await held.execute();
  const grantIds = new Set<string>();
  for (const r of rows) {
    if (r.client_id) touched.add(r.client_id);
    if (r.grant_id) grantIds.add(r.grant_id);
  }

  let del = tx.deleteFrom('oidc_payloads').where((eb) => {
    const mine = only
      ? eb.and([eb('account_id', '=', accountId), eb('client_id', 'in', [...only])])
      : eb('account_id', '=', accountId);
    return grantIds.size > 0 ? eb.or([mine, eb('grant_id', 'in', [...grantIds])]) : mine;
  });
  if (only) del = del.where('model', '!=', 'Session');
  const res = await del.executeTakeFirst();
  revoked += Number(res.numDeletedRows);

  let backchannelLogouts = 0;
  if (touched.size > 0) {
    const clients = await tx
      .selectFrom('oidc_clients')
      .select('id')
      .where('id', 'in', [...touched])
      .where('backchannel_logout_uri', 'is not', null)
      .where('disabled_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const client of clients) {
      const known = [...(sids.get(client.id) ?? [])];
      // No session named a sid: a sub-only token logs out all of the member's sessions.
      for (const sid of known.length > 0 ? known : [null]) {
        await enqueueBackchannelLogout(tx, {
          clientId: client.id,
          sub: accountId,
          sid,
          now: opts.now,
        });
        backchannelLogouts++;
      }
    }
  }
  return { revoked, backchannelLogouts };
}

const EVENT_OF: Partial<Record<MemberStatus, WebhookEvent>> = {
  lapsed: 'membership.lapsed',
  suspended: 'membership.suspended',
  resigned: 'membership.resigned',
  excluded: 'membership.excluded',
};

async function webhooksTo(
  tx: Db,
  services: ServiceRow[],
  event: WebhookEvent,
  subject: Subject,
  now: Date,
): Promise<number> {
  let n = 0;
  for (const s of services) {
    if (!s.webhook_url) continue;
    await enqueueWebhook(tx, {
      service: { id: s.id, slug: s.slug },
      event,
      member: { sub: subject.sub, preferred_username: subject.handle },
      now,
    });
    n++;
  }
  return n;
}

async function suspendAt(
  tx: Db,
  services: ServiceRow[],
  opts: { memberId: string; subject: Subject; reason: EnforcementReason; now: Date },
): Promise<number> {
  const withConnector = services.filter(hasConnector);
  if (withConnector.length === 0) return 0;
  const latest = await latestActions(tx, opts.memberId);
  let n = 0;
  for (const s of withConnector) {
    if (latest.get(s.id) === 'suspend') continue; // already suspended there
    await enqueueEnforcement(tx, { serviceId: s.id, action: 'suspend', ...opts });
    n++;
  }
  return n;
}

/**
 * Reverses earlier suspensions at services the member may use again by the service's
 * own rule (policy, granted access, office). The membership is active at this point; its
 * payment standing is the gate's business at the next login, not the connectors'.
 */
async function reinstateAt(
  tx: Db,
  services: ServiceRow[],
  opts: { memberId: string; subject: Subject; reason: EnforcementReason; now: Date },
): Promise<number> {
  const withConnector = services.filter(hasConnector);
  if (withConnector.length === 0) return 0;
  const latest = await latestActions(tx, opts.memberId);
  const standing = await membershipStanding(tx, { userId: opts.subject.sub, now: opts.now });
  let n = 0;
  for (const s of withConnector) {
    if (latest.get(s.id) !== 'suspend') continue;
    const access = await tx
      .selectFrom('service_access')
      .select('status')
      .where('service_id', '=', s.id)
      .where('member_id', '=', opts.memberId)
      .executeTakeFirst();
    const decision = decideAccess({
      standing: { ...standing, refusal: null },
      service: {
        id: s.id,
        status: s.status,
        accessPolicy: s.access_policy,
        offices: JSON.parse(s.offices) as Office[],
      },
      access: access ?? null,
    });
    if (!decision.allowed) continue;
    await enqueueEnforcement(tx, { serviceId: s.id, action: 'reinstate', ...opts });
    n++;
  }
  return n;
}

/**
 * Called by moveStatus inside the transaction that changes a membership's status. When
 * the membership stops opening services (lapsed, suspended, resigned, excluded) every
 * OIDC session, grant and token of the member is deleted in this same transaction,
 * back-channel logouts, the signed webhook and the services' enforcement calls are
 * queued in the outbox; a return to active queues the reinstatements.
 */
export async function onMembershipStatusChanged(
  tx: Db,
  change: MembershipChange,
): Promise<RevocationSummary> {
  const { userId, from, to, now } = change;
  // A member without an account has nothing to revoke and no name in any service.
  if (!userId || from === to) return EMPTY;
  if (CLOSED_STATUSES.includes(to)) {
    const subject = await subjectOf(tx, userId);
    const services = await servicesOf(tx);
    const oidc = await revokeOidcArtefacts(tx, { accountId: userId, now });
    const webhooks = await webhooksTo(tx, services, EVENT_OF[to]!, subject, now);
    const enforcements = await suspendAt(tx, services, {
      memberId: change.memberId,
      subject,
      reason: to as EnforcementReason,
      now,
    });
    return { ...oidc, webhooks, enforcements };
  }
  if (to === 'active' && CLOSED_STATUSES.includes(from)) {
    const subject = await subjectOf(tx, userId);
    const services = await servicesOf(tx);
    const webhooks = await webhooksTo(tx, services, 'membership.reinstated', subject, now);
    const enforcements = await reinstateAt(tx, services, {
      memberId: change.memberId,
      subject,
      reason: 'reinstated',
      now,
    });
    return { ...EMPTY, webhooks, enforcements };
  }
  return EMPTY;
}

/**
 * Called when an administrator withdraws (or refuses) a member's access to one service:
 * that service's clients lose the member's grants and tokens in this transaction, with
 * back-channel logout, webhook and connector calls queued like a suspension.
 */
export async function onServiceAccessWithdrawn(
  tx: Db,
  change: {
    memberId: string;
    userId: string | null;
    serviceId: string;
    reason: string | null;
    now: Date;
  },
): Promise<RevocationSummary> {
  const { userId, now } = change;
  if (!userId) return EMPTY;
  const clients = await tx
    .selectFrom('oidc_clients')
    .select('id')
    .where('service_id', '=', change.serviceId)
    .execute();
  const oidc = await revokeOidcArtefacts(tx, {
    accountId: userId,
    clientIds: clients.map((c) => c.id),
    now,
  });
  const subject = await subjectOf(tx, userId);
  const services = await servicesOf(tx, change.serviceId);
  const webhooks = await webhooksTo(tx, services, 'service_access.withdrawn', subject, now);
  const enforcements = await suspendAt(tx, services, {
    memberId: change.memberId,
    subject,
    reason: 'access_withdrawn',
    now,
  });
  return { ...oidc, webhooks, enforcements };
}

/** Called when access to a service is granted again: queues the reinstatement calls. */
export async function onServiceAccessGranted(
  tx: Db,
  change: { memberId: string; userId: string | null; serviceId: string; now: Date },
): Promise<RevocationSummary> {
  const { userId, now } = change;
  if (!userId) return EMPTY;
  const subject = await subjectOf(tx, userId);
  const services = await servicesOf(tx, change.serviceId);
  const webhooks = await webhooksTo(tx, services, 'service_access.granted', subject, now);
  // Access granted while the membership is closed opens nothing yet: reinstatement
  // waits for the membership's own return to active.
  const member = await tx
    .selectFrom('members')
    .select('status')
    .where('id', '=', change.memberId)
    .executeTakeFirst();
  const enforcements =
    member?.status === 'active'
      ? await reinstateAt(tx, services, {
          memberId: change.memberId,
          subject,
          reason: 'access_granted',
          now,
        })
      : 0;
  return { ...EMPTY, webhooks, enforcements };
}

/**
 * Called by the erasure use-case before the account is deleted (its handle is needed to
 * find the member's accounts in the services): everything is revoked, the services hear
 * `account.erased`, and the connectors suspend the accounts.
 */
export async function onAccountErased(
  tx: Db,
  change: { userId: string; memberId: string | null; now: Date },
): Promise<RevocationSummary> {
  const { userId, now } = change;
  const subject = await subjectOf(tx, userId);
  const services = await servicesOf(tx);
  const oidc = await revokeOidcArtefacts(tx, { accountId: userId, now });
  const webhooks = await webhooksTo(tx, services, 'account.erased', subject, now);
  const enforcements = change.memberId
    ? await suspendAt(tx, services, { memberId: change.memberId, subject, reason: 'erased', now })
    : 0;
  return { ...oidc, webhooks, enforcements };
}
