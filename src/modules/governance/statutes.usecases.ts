import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import {
  findDocument,
  insertDocument,
  type AssociationDocument,
  type DocumentKind,
} from '../association/association.repository.js';
import { GovernanceErrors } from './governance.errors.js';
import { findMeeting } from './meetings.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** The meeting that adopted a version, if recorded. */
export async function adoptingMeetingId(db: Db, documentId: string): Promise<string | null> {
  const row = await db
    .selectFrom('documents')
    .select('adopted_at_meeting_id')
    .where('id', '=', documentId)
    .executeTakeFirst();
  return row?.adopted_at_meeting_id ?? null;
}

/**
 * Publishes a new version of the statutes or the AUP: a draft (before the founding meeting
 * adopts it), or a version adopted on a date, by a meeting when it was one held here.
 * Earlier versions stay as they were; a diff between any two can be shown.
 */
export async function publishDocumentVersion(
  deps: Deps,
  input: NewDocumentVersion,
): Promise<AssociationDocument> {
  const now = deps.clock.now();
  return deps.db.transaction().execute((tx) => publishVersionIn(tx, { ...input, now }));
}

export type NewDocumentVersion = {
  actor: Actor;
  kind: DocumentKind;
  title: string;
  bodyNb: string;
  bodyEn: string | null;
  adoptedOn: string | null;
  meetingId: string | null;
  note: string | null;
};

/** The same, inside the caller's transaction (an amendment adopted when its vote closes). */
export async function publishVersionIn(
  tx: Db,
  input: NewDocumentVersion & { now: Date },
): Promise<AssociationDocument> {
  const { now } = input;
  let adoptedOn = input.adoptedOn;
  if (input.meetingId) {
    const meeting = await findMeeting(tx, input.meetingId);
    if (!meeting || meeting.kind === 'board') throw GovernanceErrors.meetingNotFound();
    adoptedOn ??= meeting.meetingDate;
  }
  const doc = await insertDocument(tx, {
    id: newId(now.getTime()),
    kind: input.kind,
    title: input.title,
    bodyNb: input.bodyNb.replace(/\r\n?/g, '\n'),
    bodyEn: input.bodyEn?.replace(/\r\n?/g, '\n') ?? null,
    adoptedOn,
    adoptedNote: input.note,
    publishedAt: now.toISOString(),
    createdBy: input.actor.userId,
  });
  if (input.meetingId)
    await tx
      .updateTable('documents')
      .set({ adopted_at_meeting_id: input.meetingId })
      .where('id', '=', doc.id)
      .execute();
  await recordAudit(tx, {
    actor: input.actor,
    action: 'governance.document_version_published',
    entityType: 'document',
    entityId: doc.id,
    after: {
      kind: doc.kind,
      version: doc.version,
      adoptedOn,
      meetingId: input.meetingId,
      note: input.note,
    },
    at: now,
  });
  const saved = await findDocument(tx, doc.kind, doc.version);
  if (!saved) throw new Error('document version missing after insert');
  return saved;
}
