import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import {
  findAssociation,
  findCurrentDocument,
  type AssociationDocument,
} from '../association/association.repository.js';
import { findAppealByProposal } from '../moderation/appeals.repository.js';
import { settleAppealInTx } from '../moderation/appeals.usecases.js';
import { AdoptionErrors } from './adoption.errors.js';
import { GovernanceErrors } from './governance.errors.js';
import { meetingTitle } from './governance.labels.js';
import type { ProposalKind } from './governance.tables.js';
import { findMeeting } from './meetings.repository.js';
import { amendedDocumentKind } from './proposals.usecases.js';
import { publishVersionIn } from './statutes.usecases.js';
import type { MajorityRule } from './votes.tables.js';

// What follows from a vote on a proposal, in the transaction that closes the vote:
// - an adopted amendment of the statutes or the AUP becomes the document's next version;
// - the general assembly's decision on a moderation appeal is recorded on the appeal.

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** A change of the statutes or the AUP is voted with the statutes' majority, nothing less. */
export function requireRuleFor(kind: ProposalKind, rule: MajorityRule): void {
  if (amendedDocumentKind(kind) && rule !== 'statutes') throw AdoptionErrors.statuteRuleRequired();
}

export async function requireRuleForProposal(
  db: Db,
  proposalId: string,
  rule: MajorityRule,
): Promise<void> {
  const p = await db
    .selectFrom('proposals')
    .select('kind')
    .where('id', '=', proposalId)
    .executeTakeFirst();
  if (p) requireRuleFor(p.kind, rule);
}

/** Why an adopted amendment could not become the next version by itself. */
export type MergeReason = 'base_changed' | 'other_language' | 'no_base';

type ProposalRow = {
  id: string;
  meeting_id: string;
  number: number;
  kind: ProposalKind;
  title: string;
  base_document_id: string | null;
  amendment_locale: string | null;
  amendment_text: string | null;
  resulting_document_id: string | null;
};

/**
 * The text of the new version, or why there is none. The amendment replaces the text it was
 * written against: the Norwegian (authoritative) text, or the English one when the document
 * had it and the proposal was written in English. In the first case the new version has no
 * English text (the old translation does not say what was adopted; the board publishes a new
 * one); in the second the Norwegian text was not amended, so the board merges by hand.
 */
function amendedBodies(
  p: ProposalRow,
  current: AssociationDocument | null,
): { bodyNb: string; bodyEn: string | null } | { reason: MergeReason } {
  if (!p.base_document_id || p.amendment_text === null || !current) return { reason: 'no_base' };
  if (current.id !== p.base_document_id) return { reason: 'base_changed' };
  if (p.amendment_locale === 'en' && current.bodyEn) return { reason: 'other_language' };
  return { bodyNb: p.amendment_text, bodyEn: null };
}

async function adoptAmendment(
  tx: Db,
  p: ProposalRow,
  opts: { actor: Actor; now: Date },
): Promise<void> {
  const docKind = amendedDocumentKind(p.kind);
  if (!docKind || p.resulting_document_id) return; // applied already (a second vote)
  const current = await findCurrentDocument(tx, docKind);
  const bodies = amendedBodies(p, current);
  if ('reason' in bodies) {
    // Outcome 'adopted' with no resulting document: the flag the proposal page shows the
    // board, until it publishes the merged text and records it (markAmendmentMerged).
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'governance.amendment_needs_merge',
      entityType: 'proposal',
      entityId: p.id,
      after: { reason: bodies.reason, baseDocumentId: p.base_document_id },
      at: opts.now,
    });
    return;
  }
  const meeting = await findMeeting(tx, p.meeting_id);
  if (!meeting) throw GovernanceErrors.meetingNotFound();
  const locale = (await findAssociation(tx))?.defaultLocale ?? 'nb';
  const t = translator(locale);
  const doc = await publishVersionIn(tx, {
    actor: opts.actor,
    kind: docKind,
    title: current!.title,
    bodyNb: bodies.bodyNb,
    bodyEn: bodies.bodyEn,
    adoptedOn: meeting.meetingDate,
    meetingId: meeting.id,
    note: t('adoption.note', {
      meeting: meetingTitle(t, meeting),
      date: formatDate(meeting.meetingDate, locale),
      number: p.number,
      title: p.title,
    }),
    now: opts.now,
  });
  await tx
    .updateTable('proposals')
    .set({ resulting_document_id: doc.id, updated_at: opts.now.toISOString() })
    .where('id', '=', p.id)
    .execute();
}

async function decideAppeal(
  tx: Db,
  p: ProposalRow,
  opts: { passed: boolean; actor: Actor; now: Date },
): Promise<void> {
  const appeal = await findAppealByProposal(tx, p.id);
  if (!appeal) return;
  const meeting = await findMeeting(tx, p.meeting_id);
  const locale = (await findAssociation(tx))?.defaultLocale ?? 'nb';
  const t = translator(locale);
  const outcome = opts.passed ? 'upheld' : 'rejected';
  const settled = await settleAppealInTx(tx, {
    actor: opts.actor,
    appealId: appeal.id,
    outcome,
    note: t(`adoption.appeal_note.${outcome}`, {
      meeting: meeting ? meetingTitle(t, meeting) : '',
      number: p.number,
    }),
    now: opts.now,
  });
  if (!settled)
    // The board had recorded an outcome already: that one stands; the vote is on record.
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'governance.appeal_already_decided',
      entityType: 'proposal',
      entityId: p.id,
      after: { appealId: appeal.id, voted: outcome },
      at: opts.now,
    });
}

/**
 * Called by the vote's close (votes.usecases `finish`), in its transaction, after the
 * proposal's outcome is set: `passed` is whether the vote adopted the proposal.
 */
export async function applyProposalOutcome(
  tx: Db,
  opts: { proposalId: string; passed: boolean; actor: Actor; now: Date },
): Promise<void> {
  const p = await tx
    .selectFrom('proposals')
    .select([
      'id',
      'meeting_id',
      'number',
      'kind',
      'title',
      'base_document_id',
      'amendment_locale',
      'amendment_text',
      'resulting_document_id',
    ])
    .where('id', '=', opts.proposalId)
    .executeTakeFirst();
  if (!p) return;
  if (p.kind === 'appeal') return decideAppeal(tx, p, opts);
  if (opts.passed) await adoptAmendment(tx, p, opts);
}

/** What became of an amendment, for the proposal page. */
export type AmendmentState =
  | { state: 'applied'; kind: 'statutes' | 'aup'; version: number }
  | {
      state: 'needs_merge';
      kind: 'statutes' | 'aup';
      reason: MergeReason;
      baseVersion: number | null;
      currentVersion: number | null;
    };

export async function amendmentState(db: Db, proposalId: string): Promise<AmendmentState | null> {
  const p = await db
    .selectFrom('proposals')
    .leftJoin('documents as base', 'base.id', 'proposals.base_document_id')
    .leftJoin('documents as result', 'result.id', 'proposals.resulting_document_id')
    .select([
      'proposals.kind',
      'proposals.outcome',
      'proposals.base_document_id',
      'proposals.amendment_locale',
      'proposals.amendment_text',
      'base.version as base_version',
      'result.version as result_version',
    ])
    .where('proposals.id', '=', proposalId)
    .executeTakeFirst();
  if (!p) return null;
  const kind = amendedDocumentKind(p.kind);
  if (!kind || p.outcome !== 'adopted') return null;
  if (p.result_version !== null && p.result_version !== undefined)
    return { state: 'applied', kind, version: p.result_version };
  const current = await findCurrentDocument(db, kind);
  const bodies = amendedBodies(
    {
      id: proposalId,
      meeting_id: '',
      number: 0,
      kind: p.kind,
      title: '',
      base_document_id: p.base_document_id,
      amendment_locale: p.amendment_locale,
      amendment_text: p.amendment_text,
      resulting_document_id: null,
    },
    current,
  );
  return {
    state: 'needs_merge',
    kind,
    reason: 'reason' in bodies ? bodies.reason : 'base_changed',
    baseVersion: p.base_version ?? null,
    currentVersion: current?.version ?? null,
  };
}

/**
 * The board has published the merged text of an adopted amendment that could not be applied
 * by itself (the proposal page flags it): it records that the current version carries it.
 */
export async function markAmendmentMerged(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; proposalId: string },
): Promise<{ version: number }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    if (!input.user?.permissions.has('documents.manage')) throw CommonErrors.forbidden();
    const p = await tx
      .selectFrom('proposals')
      .select(['id', 'meeting_id'])
      .where('id', '=', input.proposalId)
      .where('meeting_id', '=', input.meetingId)
      .executeTakeFirst();
    if (!p) throw GovernanceErrors.proposalNotFound();
    const state = await amendmentState(tx, p.id);
    if (state?.state !== 'needs_merge') throw AdoptionErrors.notAwaitingMerge();
    // The merged text is a version published after the vote that adopted the proposal.
    const adopted = await tx
      .selectFrom('votes')
      .select('closed_at')
      .where('proposal_id', '=', p.id)
      .where('outcome', '=', 'passed')
      .orderBy('closed_at', 'desc')
      .executeTakeFirst();
    const current = await findCurrentDocument(tx, state.kind);
    if (!current || current.publishedAt <= (adopted?.closed_at ?? ''))
      throw AdoptionErrors.notMergedYet({ version: current?.version ?? '–' });
    await tx
      .updateTable('proposals')
      .set({ resulting_document_id: current.id, updated_at: now.toISOString() })
      .where('id', '=', p.id)
      .where('resulting_document_id', 'is', null)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.amendment_merged',
      entityType: 'proposal',
      entityId: p.id,
      after: { documentId: current.id, version: current.version },
      at: now,
    });
    return { version: current.version };
  });
}

/** What the proposal page shows after the vote: the outcome, the new version, the appeal. */
export async function proposalOutcomeOf(
  db: Db,
  proposalId: string,
): Promise<{
  outcome: 'adopted' | 'rejected' | null;
  amendment: AmendmentState | null;
  appeal: 'upheld' | 'rejected' | null;
}> {
  const p = await db
    .selectFrom('proposals')
    .select(['kind', 'outcome'])
    .where('id', '=', proposalId)
    .executeTakeFirst();
  const outcome = p?.outcome === 'adopted' || p?.outcome === 'rejected' ? p.outcome : null;
  let appeal: 'upheld' | 'rejected' | null = null;
  if (p?.kind === 'appeal') {
    const a = await findAppealByProposal(db, proposalId);
    appeal = a?.status === 'upheld' || a?.status === 'rejected' ? a.status : null;
  }
  return { outcome, amendment: await amendmentState(db, proposalId), appeal };
}
