import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import type { Permission } from '../../app/policy.js';
import {
  findAssociation,
  findCurrentDocument,
  type AssociationDocument,
} from '../association/association.repository.js';
import { GovernanceErrors } from './governance.errors.js';
import type { ProposalKind, Recommendation } from './governance.tables.js';
import { proposalOnTime, proposalsPublished, takesProposals } from './meeting-rules.js';
import { listAgenda, type Meeting } from './meetings.repository.js';
import { isUniqueViolation, requireOpenMeeting } from './meetings.usecases.js';
import {
  findProposal,
  findProposalByRequestKey,
  insertProposal,
  nextProposalNumber,
  setRecommendation,
  updateProposalText,
  withdrawProposal,
  type Proposal,
} from './proposals.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

async function today(db: Db, now: Date): Promise<string> {
  const a = await findAssociation(db);
  return todayIn(a?.timeZone ?? 'Europe/Oslo', now);
}

/** The document an amendment of this kind changes, and its text in the language written. */
export function amendedDocumentKind(kind: ProposalKind): 'statutes' | 'aup' | null {
  return kind === 'statutes' || kind === 'aup' ? kind : null;
}

export function documentBody(doc: AssociationDocument, locale: 'nb' | 'en'): string {
  return locale === 'en' && doc.bodyEn ? doc.bodyEn : doc.bodyNb;
}

/** Who may read which proposals of a meeting. */
export function proposalAccess(opts: {
  meeting: Pick<Meeting, 'publicationOn'>;
  today: string;
  user: {
    memberId: string | null;
    memberStatus: string | null;
    permissions: Set<Permission>;
  } | null;
}): { all: boolean; own: string | null } {
  const u = opts.user;
  if (!u) return { all: false, own: null };
  if (u.permissions.has('meetings.manage')) return { all: true, own: u.memberId };
  const isMember = !!u.memberId && (u.memberStatus === 'active' || u.memberStatus === 'suspended');
  return {
    all: isMember && proposalsPublished(opts.meeting.publicationOn, opts.today),
    own: u.memberId,
  };
}

export type NewProposal = {
  kind: ProposalKind;
  title: string;
  body: string;
  amendmentText: string | null;
  amendmentLocale: 'nb' | 'en';
  requestKey: string;
};

async function insertNew(
  tx: Db,
  opts: {
    meeting: Meeting;
    memberId: string;
    proposal: NewProposal;
    submittedBy: string | null;
    late: { decidedBy: string | null; label: string; reason: string } | null;
    now: Date;
  },
): Promise<string> {
  const p = opts.proposal;
  let baseDocumentId: string | null = null;
  let amendmentText: string | null = null;
  const docKind = amendedDocumentKind(p.kind);
  if (docKind) {
    const doc = await findCurrentDocument(tx, docKind);
    if (!doc) throw GovernanceErrors.documentMissing();
    const text = (p.amendmentText ?? '').replace(/\r\n?/g, '\n');
    if (text.trim() === documentBody(doc, p.amendmentLocale).trim())
      throw GovernanceErrors.amendmentUnchanged(undefined, {
        amendment_text: GovernanceErrors.amendmentUnchanged().messages,
      });
    baseDocumentId = doc.id;
    amendmentText = text;
  }
  const agenda = await listAgenda(tx, opts.meeting.id);
  const item = agenda.find((a) => a.kind === (docKind ? 'statute_changes' : 'proposals'));
  const id = newId(opts.now.getTime());
  await insertProposal(
    tx,
    {
      id,
      meetingId: opts.meeting.id,
      agendaItemId: item?.id ?? null,
      number: await nextProposalNumber(tx, opts.meeting.id),
      kind: p.kind,
      title: p.title,
      body: p.body,
      baseDocumentId,
      amendmentLocale: docKind ? p.amendmentLocale : null,
      amendmentText,
      memberId: opts.memberId,
      submittedBy: opts.submittedBy,
      late: opts.late,
      requestKey: p.requestKey,
    },
    opts.now,
  );
  return id;
}

/**
 * A member submits a proposal to a meeting, up to the deadline. After it the proposal is
 * refused; only the board can take one in, by a recorded decision (registerLateProposal).
 */
export async function submitProposal(
  deps: Deps,
  input: {
    actor: Actor;
    memberId: string | null;
    memberStatus: string | null;
    meetingId: string;
    proposal: NewProposal;
  },
): Promise<{ proposalId: string; created: boolean }> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const existing = await findProposalByRequestKey(tx, input.proposal.requestKey);
      if (existing) return { proposalId: existing.id, created: false };
      const meeting = await requireOpenMeeting(tx, input.meetingId);
      if (!takesProposals(meeting.kind)) throw GovernanceErrors.proposalsNotTaken();
      if (!input.memberId || input.memberStatus !== 'active') throw GovernanceErrors.notAMember();
      const day = await today(tx, now);
      if (!proposalOnTime(meeting.proposalDeadlineOn, day))
        throw GovernanceErrors.proposalDeadlinePassed({
          deadline: meeting.proposalDeadlineOn ?? '',
        });
      const proposalId = await insertNew(tx, {
        meeting,
        memberId: input.memberId,
        proposal: input.proposal,
        submittedBy: input.actor.userId,
        late: null,
        now,
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.proposal_submitted',
        entityType: 'proposal',
        entityId: proposalId,
        after: { meetingId: meeting.id, kind: input.proposal.kind, title: input.proposal.title },
        at: now,
      });
      return { proposalId, created: true };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const existing = await findProposalByRequestKey(deps.db, input.proposal.requestKey);
      if (existing) return { proposalId: existing.id, created: false };
    }
    throw err;
  }
}

/**
 * The board takes in a proposal after the deadline by a decision of its own: recorded on
 * the proposal as late, with who decided and why, and in the audit log.
 */
export async function registerLateProposal(
  deps: Deps,
  input: {
    actor: Actor;
    meetingId: string;
    memberNumber: number;
    reason: string;
    proposal: NewProposal;
  },
): Promise<{ proposalId: string; created: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const existing = await findProposalByRequestKey(tx, input.proposal.requestKey);
    if (existing) return { proposalId: existing.id, created: false };
    const meeting = await requireOpenMeeting(tx, input.meetingId);
    if (!takesProposals(meeting.kind)) throw GovernanceErrors.proposalsNotTaken();
    const member = await tx
      .selectFrom('members')
      .select(['id', 'status'])
      .where('member_number', '=', input.memberNumber)
      .executeTakeFirst();
    if (!member || member.status !== 'active')
      throw GovernanceErrors.memberNotFound(undefined, {
        member_number: GovernanceErrors.memberNotFound().messages,
      });
    const late = !proposalOnTime(meeting.proposalDeadlineOn, await today(tx, now));
    const proposalId = await insertNew(tx, {
      meeting,
      memberId: member.id,
      proposal: input.proposal,
      submittedBy: input.actor.userId,
      late: late
        ? { decidedBy: input.actor.userId, label: input.actor.label, reason: input.reason }
        : null,
      now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: late ? 'governance.proposal_accepted_late' : 'governance.proposal_registered',
      entityType: 'proposal',
      entityId: proposalId,
      after: {
        meetingId: meeting.id,
        memberNumber: input.memberNumber,
        title: input.proposal.title,
        reason: input.reason,
      },
      at: now,
    });
    return { proposalId, created: true };
  });
}

async function ownEditable(
  tx: Db,
  opts: { proposalId: string; memberId: string | null; now: Date },
) {
  const proposal = await findProposal(tx, opts.proposalId);
  if (!proposal) throw GovernanceErrors.proposalNotFound();
  if (!opts.memberId || proposal.memberId !== opts.memberId)
    throw GovernanceErrors.proposalNotYours();
  // The appeal's text and its fate belong to the moderation case, not to the member.
  if (proposal.kind === 'appeal') throw GovernanceErrors.appealNotEditable();
  const meeting = await requireOpenMeeting(tx, proposal.meetingId);
  return { proposal, meeting };
}

/** The author changes their proposal, until the deadline. */
export async function editOwnProposal(
  deps: Deps,
  input: {
    actor: Actor;
    memberId: string | null;
    proposalId: string;
    title: string;
    body: string;
    amendmentText: string | null;
  },
): Promise<Proposal> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const { proposal, meeting } = await ownEditable(tx, { ...input, now });
    if (
      proposal.status !== 'submitted' ||
      proposal.late ||
      !proposalOnTime(meeting.proposalDeadlineOn, await today(tx, now))
    )
      throw GovernanceErrors.proposalLocked();
    const amendmentText =
      amendedDocumentKind(proposal.kind) === null
        ? null
        : (input.amendmentText ?? proposal.amendmentText);
    await updateProposalText(
      tx,
      { id: proposal.id, title: input.title, body: input.body, amendmentText },
      now,
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.proposal_edited',
      entityType: 'proposal',
      entityId: proposal.id,
      before: { title: proposal.title },
      after: { title: input.title },
      at: now,
    });
    return { ...proposal, title: input.title, body: input.body, amendmentText };
  });
}

/** The author withdraws their proposal, any time before the meeting. */
export async function withdrawOwnProposal(
  deps: Deps,
  input: { actor: Actor; memberId: string | null; proposalId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const { proposal } = await ownEditable(tx, { ...input, now });
    if (proposal.status !== 'submitted') throw GovernanceErrors.proposalLocked();
    await withdrawProposal(tx, proposal.id, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.proposal_withdrawn',
      entityType: 'proposal',
      entityId: proposal.id,
      at: now,
    });
  });
}

/** The board's recommendation on a proposal, shown beside it. */
export async function recommendProposal(
  deps: Deps,
  input: { actor: Actor; proposalId: string; recommendation: Recommendation; text: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const proposal = await findProposal(tx, input.proposalId);
    if (!proposal) throw GovernanceErrors.proposalNotFound();
    await requireOpenMeeting(tx, proposal.meetingId);
    await setRecommendation(
      tx,
      {
        id: proposal.id,
        recommendation: input.recommendation,
        text: input.text,
        by: input.actor.userId,
      },
      now,
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.proposal_recommended',
      entityType: 'proposal',
      entityId: proposal.id,
      before: { recommendation: proposal.recommendation },
      after: { recommendation: input.recommendation, text: input.text },
      at: now,
    });
  });
}
