import type { Db } from '../../app/db.js';
import type { MemberStatus } from '../members/members.tables.js';

export type MembershipChange = {
  memberId: string;
  userId: string | null;
  from: MemberStatus;
  to: MemberStatus;
  reason: string | null;
  now: Date;
};

/**
 * Called by moveStatus inside the transaction that changes a membership's status. When
 * the membership stops opening services (lapsed, suspended, resigned, excluded) every
 * OIDC session, grant and token of the member is deleted in this same transaction,
 * back-channel logouts, the signed webhook and the services' enforcement calls are
 * queued in the outbox; a return to active queues the reinstatements.
 */
export async function onMembershipStatusChanged(_tx: Db, _change: MembershipChange): Promise<void> {
  // Filled in by the revocation work (issue 4).
}

/**
 * Called when an administrator withdraws (or refuses) a member's access to one service:
 * that service's clients lose the member's grants and tokens in this transaction, with
 * back-channel logout, webhook and connector calls queued like a suspension.
 */
export async function onServiceAccessWithdrawn(
  _tx: Db,
  _change: {
    memberId: string;
    userId: string | null;
    serviceId: string;
    reason: string | null;
    now: Date;
  },
): Promise<void> {
  // Filled in by the revocation work (issue 4).
}

/** Called when access to a service is granted again: queues the reinstatement calls. */
export async function onServiceAccessGranted(
  _tx: Db,
  _change: { memberId: string; userId: string | null; serviceId: string; now: Date },
): Promise<void> {
  // Filled in by the revocation work (issue 4).
}
