import type { AppContext } from '../../app/context.js';
import { daily, type JobHandler, type Recurring } from '../../app/jobs.js';
import type { OutboxHandler } from '../../app/outbox.js';
import { BACKCHANNEL_KIND } from './backchannel.js';
import { deliverBackchannelLogout } from './backchannel.delivery.js';
import { ENFORCEMENT_KIND } from './enforcement.queue.js';
import { runEnforcement } from './enforcement.usecases.js';
import { pruneRetiredKeys } from './oidc-keys.js';
import { deliverWebhook, WEBHOOK_KIND } from './webhooks.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox' | 'secret'>;

/** Retired signing keys stay published this long (longer than any token they signed). */
export const RETIRED_KEY_DAYS = 30;

/** Removes what has expired: OIDC artefacts, DiscourseConnect nonces, old retired keys. */
export async function cleanUpSso(
  ctx: Pick<AppContext, 'db'>,
  now: Date,
): Promise<{ payloads: number; nonces: number; keys: number }> {
  const at = now.toISOString();
  const payloads = await ctx.db
    .deleteFrom('oidc_payloads')
    .where('expires_at', '<', at)
    .executeTakeFirst();
  const nonces = await ctx.db
    .deleteFrom('discourse_nonces')
    .where('expires_at', '<', at)
    .executeTakeFirst();
  const keys = await pruneRetiredKeys(
    ctx.db,
    new Date(now.getTime() - RETIRED_KEY_DAYS * 24 * 60 * 60 * 1000),
  );
  return {
    payloads: Number(payloads.numDeletedRows),
    nonces: Number(nonces.numDeletedRows),
    keys,
  };
}

/** Scheduled jobs of single sign-on (expired artefacts, nonces). */
export function ssoJobs(ctx: Ctx): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return {
    handlers: {
      'sso.cleanup': async ({ now }) => {
        const removed = await cleanUpSso(ctx, now);
        ctx.logger.info({ removed }, 'sso cleanup done');
      },
    },
    recurring: [daily('sso.cleanup', 2)],
  };
}

/**
 * Outbox kinds delivered by single sign-on: webhooks, back-channel logout, connectors.
 * `timeoutMs` bounds each outgoing request (tests shorten it).
 */
export function ssoOutboxHandlers(
  ctx: Ctx,
  opts: { timeoutMs?: number } = {},
): Record<string, OutboxHandler> {
  const deps = {
    db: ctx.db,
    secret: ctx.secret,
    config: ctx.config,
    logger: ctx.logger,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  };
  return {
    [WEBHOOK_KIND]: (payload, meta) => deliverWebhook(deps, payload, meta.now),
    [BACKCHANNEL_KIND]: (payload, meta) => deliverBackchannelLogout(deps, payload, meta.now),
    [ENFORCEMENT_KIND]: (payload, meta) => runEnforcement(deps, payload, meta),
  };
}
