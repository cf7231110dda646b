import type { Logger } from 'pino';
import type { Actor } from '../../app/audit.js';
import { recordAudit } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { enqueueOutbox } from '../../app/outbox.js';
import { secretBox } from '../../app/secret-box.js';
import { connectorFor } from './connectors/index.js';
import { ConnectorError } from './connectors/http.js';
import {
  ENFORCEMENT_KIND,
  type EnforcementPayload,
  type EnforcementReason,
} from './enforcement.queue.js';
import { EnforcementErrors } from './enforcement.errors.js';

/** What the services' moderators read beside the action (no personal data). */
const NOTE: Record<EnforcementReason, string> = {
  lapsed: 'Allmenning: membership lapsed (unpaid).',
  suspended: 'Allmenning: membership suspended.',
  resigned: 'Allmenning: membership ended by resignation.',
  excluded: 'Allmenning: member excluded.',
  access_withdrawn: 'Allmenning: access to this service withdrawn.',
  erased: 'Allmenning: the member erased their account.',
  reinstated: 'Allmenning: membership active again.',
  access_granted: 'Allmenning: access to this service granted again.',
};

/** Errors we wrote ourselves are safe to show; anything else is summarised. */
function safeMessage(err: unknown): string {
  if (err instanceof ConnectorError) return err.message.slice(0, 500);
  return 'internal error (see the server log)';
}

/**
 * The outbox handler for one enforcement: calls the connector, records the outcome on
 * the row, and throws on failure so that the worker retries with backoff. A call that a
 * later one superseded (see enqueueEnforcement) is already done and is not made.
 */
export async function runEnforcement(
  deps: { db: Db; secret: string; logger: Logger; timeoutMs?: number },
  raw: unknown,
  meta: { attempt: number; now: Date },
): Promise<void> {
  const payload = raw as EnforcementPayload;
  const { db } = deps;
  const row = await db
    .selectFrom('service_enforcements')
    .selectAll()
    .where('id', '=', payload.enforcementId)
    .executeTakeFirst();
  if (!row || row.status === 'done') return;
  const finish = (set: {
    status: 'done' | 'failed';
    result?: string | null;
    last_error?: string | null;
  }) =>
    db
      .updateTable('service_enforcements')
      .set({ attempts: row.attempts + 1, updated_at: meta.now.toISOString(), ...set })
      .where('id', '=', row.id)
      .execute();

  const service = await db
    .selectFrom('services')
    .select(['connector', 'connector_url', 'connector_token_enc'])
    .where('id', '=', row.service_id)
    .executeTakeFirst();
  const connector = service ? connectorFor(service.connector) : null;
  if (!service || !connector || !service.connector_url || !service.connector_token_enc) {
    // Retrying cannot help until an administrator configures the connector.
    await finish({ status: 'failed', last_error: 'connector not configured' });
    return;
  }
  try {
    const token = secretBox(deps.secret).open(service.connector_token_enc);
    const call = {
      baseUrl: service.connector_url,
      token,
      subject: payload.subject,
      note: NOTE[row.reason as EnforcementReason] ?? 'Allmenning',
      now: meta.now,
      ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    };
    const result =
      row.action === 'suspend' ? await connector.suspend(call) : await connector.reinstate(call);
    await finish({
      status: 'done',
      result: `${result.outcome}: ${result.detail}`.slice(0, 500),
      last_error: null,
    });
  } catch (err) {
    const message = safeMessage(err);
    await finish({ status: 'failed', last_error: message });
    if (!(err instanceof ConnectorError))
      deps.logger.error({ err, enforcementId: row.id }, 'enforcement failed unexpectedly');
    throw new ConnectorError(message);
  }
}

/**
 * An administrator's "retry now" for a failed call: the call's outbox item is due again
 * at once, with a fresh backoff; the worker is woken after the commit.
 */
export async function retryEnforcement(
  ctx: Pick<AppContext, 'db' | 'clock' | 'kickOutbox'>,
  input: { actor: Actor; enforcementId: string },
): Promise<{ serviceId: string; memberId: string }> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('service_enforcements')
      .select(['id', 'service_id', 'member_id', 'status', 'attempts'])
      .where('id', '=', input.enforcementId)
      .executeTakeFirst();
    if (!row) throw EnforcementErrors.notFound();
    if (row.status !== 'failed') throw EnforcementErrors.notFailed();
    const res = await tx
      .updateTable('outbox')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: now.toISOString(),
        locked_until: null,
      })
      .where('kind', '=', ENFORCEMENT_KIND)
      .where('recipient', '=', row.id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      // The outbox item is gone (pruned): queue a new one with the member's names now.
      const member = await tx
        .selectFrom('members')
        .leftJoin('users', 'users.id', 'members.user_id')
        .select(['members.user_id as sub', 'users.handle as handle'])
        .where('members.id', '=', row.member_id)
        .executeTakeFirst();
      const payload: EnforcementPayload = {
        enforcementId: row.id,
        subject: { sub: member?.sub ?? null, handle: member?.handle ?? null },
      };
      await enqueueOutbox(tx, { kind: ENFORCEMENT_KIND, recipient: row.id, payload, at: now });
    }
    await tx
      .updateTable('service_enforcements')
      .set({ status: 'pending', updated_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'enforcement.retried',
      entityType: 'service_enforcement',
      entityId: row.id,
      before: { status: 'failed', attempts: row.attempts },
      after: { status: 'pending' },
      at: now,
    });
    return { serviceId: row.service_id, memberId: row.member_id };
  });
  ctx.kickOutbox();
  return result;
}
