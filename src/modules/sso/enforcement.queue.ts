import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { enqueueOutbox } from '../../app/outbox.js';

// An enforcement is one call to a service's admin API about one member: a row in
// service_enforcements that administrators see, and an outbox item (recipient = the
// row's id) that the worker delivers after the commit, with retries and backoff.

export const ENFORCEMENT_KIND = 'sso.enforcement';

export type EnforcementAction = 'suspend' | 'reinstate';
export type EnforcementReason =
  | 'lapsed'
  | 'suspended'
  | 'resigned'
  | 'excluded'
  | 'access_withdrawn'
  | 'erased'
  | 'reinstated'
  | 'access_granted';

/**
 * What the worker needs besides the row: who the member is in the services. Captured
 * when queued, because an erased account is gone by the time of delivery.
 */
export type EnforcementPayload = {
  enforcementId: string;
  subject: { sub: string | null; handle: string | null };
};

export async function enqueueEnforcement(
  tx: Db,
  opts: {
    serviceId: string;
    memberId: string;
    action: EnforcementAction;
    reason: EnforcementReason;
    subject: EnforcementPayload['subject'];
    now: Date;
  },
): Promise<{ id: string }> {
  const id = newId(opts.now.getTime());
  const at = opts.now.toISOString();
  // An earlier call not yet through (a suspension still failing when the member is
  // reinstated) is superseded: the service must end up as the latest decision says.
  await tx
    .updateTable('service_enforcements')
    .set({ status: 'done', result: 'superseded by a later call', updated_at: at })
    .where('member_id', '=', opts.memberId)
    .where('service_id', '=', opts.serviceId)
    .where('status', '!=', 'done')
    .execute();
  await tx
    .insertInto('service_enforcements')
    .values({
      id,
      service_id: opts.serviceId,
      member_id: opts.memberId,
      action: opts.action,
      reason: opts.reason,
      status: 'pending',
      attempts: 0,
      last_error: null,
      result: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const payload: EnforcementPayload = {
    enforcementId: id,
    subject: { sub: opts.subject.sub, handle: opts.subject.handle },
  };
  await enqueueOutbox(tx, { kind: ENFORCEMENT_KIND, recipient: id, payload, at: opts.now });
  return { id };
}

/** The latest action queued per service for the member (to suspend or reinstate once). */
export async function latestActions(
  tx: Db,
  memberId: string,
): Promise<Map<string, EnforcementAction>> {
  const rows = await tx
    .selectFrom('service_enforcements')
    .select(['service_id', 'action'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const latest = new Map<string, EnforcementAction>();
  for (const r of rows) latest.set(r.service_id, r.action);
  return latest;
}
