import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { newToken } from '../../app/ids.js';
import { secretBox } from '../../app/secret-box.js';

/**
 * Makes a new secret for the service's incoming report webhooks, seals it, and returns it
 * once for the admin to paste into the service (Mastodon's webhook form). The old one
 * stops working at once.
 */
export async function rotateInboundSecret(
  deps: Pick<AppContext, 'db' | 'clock' | 'secret'>,
  input: { actor: Actor; serviceId: string },
): Promise<{ secret: string }> {
  const now = deps.clock.now();
  const secret = newToken(32);
  const sealed = secretBox(deps.secret).seal(secret);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('services')
      .set({ inbound_secret_enc: sealed, updated_at: now.toISOString() })
      .where('id', '=', input.serviceId)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.inbound_secret_rotated',
      entityType: 'service',
      entityId: input.serviceId,
      at: now,
    });
  });
  return { secret };
}

/** Removes the secret: the service's report webhooks are refused from now on. */
export async function removeInboundSecret(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { actor: Actor; serviceId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('services')
      .set({ inbound_secret_enc: null, updated_at: now.toISOString() })
      .where('id', '=', input.serviceId)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.inbound_secret_removed',
      entityType: 'service',
      entityId: input.serviceId,
      at: now,
    });
  });
}
