import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { enqueueEmails } from '../../app/outbox.js';
import { findAssociation } from '../association/association.repository.js';
import { publicationMessage } from './governance.emails.js';
import {
  listAgenda,
  markPublicationSent,
  meetingsDueForPublication,
  noticeRecipients,
} from './meetings.repository.js';
import { listProposals } from './proposals.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/**
 * On a meeting's publication date the proposals become visible to members (computed on
 * read); this tells them, once per meeting, with the final agenda and the proposals. Each
 * meeting is claimed in its own transaction, so a second run (or instance) sends nothing.
 */
export async function sendDuePublications(
  deps: Deps,
  input: { actor: Actor },
): Promise<{ published: string[] }> {
  const now = deps.clock.now();
  const association = await findAssociation(deps.db);
  if (!association) return { published: [] };
  const today = todayIn(association.timeZone, now);
  const published: string[] = [];
  for (const meeting of await meetingsDueForPublication(deps.db, today)) {
    const sent = await deps.db.transaction().execute(async (tx) => {
      if (!(await markPublicationSent(tx, meeting.id, now))) return false;
      const agenda = await listAgenda(tx, meeting.id);
      const proposals = (await listProposals(tx, { meetingId: meeting.id })).filter(
        (p) => p.status === 'submitted',
      );
      const recipients = await noticeRecipients(tx, { boardOnly: false, today });
      const link = `${deps.config.baseUrl}/meetings/${meeting.id}`;
      await enqueueEmails(tx, {
        at: now,
        messages: recipients.map((r) =>
          publicationMessage({
            to: r.email,
            name: r.name,
            locale: r.locale ?? association.defaultLocale,
            association: association.name,
            timeZone: association.timeZone,
            meeting,
            agenda,
            proposals,
            link,
          }),
        ),
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.documents_published',
        entityType: 'meeting',
        entityId: meeting.id,
        after: { proposals: proposals.length, notified: recipients.length },
        at: now,
      });
      return true;
    });
    if (sent) published.push(meeting.id);
  }
  if (published.length > 0) deps.kickOutbox();
  return { published };
}
