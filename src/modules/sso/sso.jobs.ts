import type { AppContext } from '../../app/context.js';
import type { JobHandler, Recurring } from '../../app/jobs.js';
import type { OutboxHandler } from '../../app/outbox.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox' | 'secret'>;

/** Scheduled jobs of single sign-on (expired artefacts, nonces). */
export function ssoJobs(_ctx: Ctx): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return { handlers: {}, recurring: [] };
}

/** Outbox kinds delivered by single sign-on: webhooks, back-channel logout, connectors. */
export function ssoOutboxHandlers(_ctx: Ctx): Record<string, OutboxHandler> {
  return {};
}
