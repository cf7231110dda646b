import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { AdminErrors } from './admin.errors.js';
import { findOutboxMessage, requeueOutboxMessage } from './outbox-admin.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'kickOutbox'>;

/** "Retry now" for a failed or held email: due at once, and the worker is woken. */
export async function retryOutboxMessage(
  deps: Deps,
  input: { actor: Actor; id: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const message = await findOutboxMessage(tx, input.id);
    if (!message) throw AdminErrors.outboxNotFound();
    if (message.erased || !(await requeueOutboxMessage(tx, message.id, now)))
      throw AdminErrors.notRetryable();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'outbox.retried',
      entityType: 'outbox',
      entityId: message.id,
      before: { status: message.status, attempts: message.attempts, lastError: message.lastError },
      after: { status: 'pending' },
      at: now,
    });
  });
  deps.kickOutbox();
}
