import type { AppContext } from '../../app/context.js';
import type { JobHandler, Recurring } from '../../app/jobs.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox' | 'secret'>;

/** Scheduled jobs of moderation: lifting ended suspensions, urgent suspensions unconfirmed. */
export function moderationJobs(_ctx: Ctx): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return { handlers: {}, recurring: [] };
}
