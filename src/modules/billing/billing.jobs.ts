import type { AppContext } from '../../app/context.js';
import { systemActor } from '../../app/audit.js';
import { daily, type JobHandler, type Recurring } from '../../app/jobs.js';
import { runLapses } from './lapse.usecases.js';
import { sendDueReminders } from './reminders.usecases.js';
import type { AttachmentResolvers } from '../../app/outbox.js';
import { INVOICE_PDF } from './invoice.emails.js';
import { findAssociation } from '../association/association.repository.js';
import { invoicePdfAttachment } from './invoices.usecases.js';

/**
 * The dues module's scheduled jobs, wired in at start: lapses (04:00 UTC) and reminders
 * (05:00 UTC, so the mail arrives in the Norwegian morning). Both are idempotent.
 */
export function billingJobs(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox'>,
): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return {
    handlers: {
      'billing.lapse': async () => {
        // Nothing to do (and nothing to fail) before the association is set up.
        if (!(await findAssociation(ctx.db))) return;
        const { lapsed, failed } = await runLapses(ctx, { actor: systemActor });
        ctx.logger.info({ lapsed: lapsed.length, failed: failed.length }, 'lapse job done');
        if (failed.length > 0) throw new Error(`${failed.length} lapses failed; retried next run`);
      },
      'billing.reminders': async () => {
        if (!(await findAssociation(ctx.db))) return;
        const { sent, failed } = await sendDueReminders(ctx, { actor: systemActor });
        ctx.logger.info({ sent: sent.length, failed: failed.length }, 'reminder job done');
        if (failed.length > 0)
          throw new Error(`${failed.length} reminders failed; retried next run`);
      },
    },
    recurring: [daily('billing.lapse', 4), daily('billing.reminders', 5)],
  };
}

/** Attachments rendered at delivery time (the invoice PDF). */
export function billingAttachments(ctx: Pick<AppContext, 'db'>): AttachmentResolvers {
  return { [INVOICE_PDF]: (id) => invoicePdfAttachment(ctx.db, id) };
}
