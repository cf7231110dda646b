import type { NewProposal } from './proposals.usecases.js';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { newToken } from '../../app/ids.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { findCurrentDocument, findDocument } from '../association/association.repository.js';
import { GovernanceErrors } from './governance.errors.js';
import { SUBMITTED_PROPOSAL_KINDS, type ProposalKind } from './governance.tables.js';
import { proposalOnTime, takesProposals } from './meeting-rules.js';
import type { Meeting } from './meetings.repository.js';
import { today, visibleMeeting } from './meetings.routes.js';
import {
  lateProposalSchema,
  proposalEditSchema,
  proposalSchema,
  recommendationSchema,
} from './meetings.schemas.js';
import { findProposal, type Proposal } from './proposals.repository.js';
import {
  amendedDocumentKind,
  documentBody,
  editOwnProposal,
  proposalAccess,
  recommendProposal,
  registerLateProposal,
  submitProposal,
  withdrawOwnProposal,
} from './proposals.usecases.js';
import { diffText, type DiffPart } from './statutes-diff.js';
import { proposalOutcomeOf } from './adoption.usecases.js';
import { ProposalOutcomeView } from './adoption.views.js';
import {
  ProposalEditPage,
  ProposalForm,
  ProposalKindChoice,
  ProposalPage,
} from './proposals.views.js';

type C = Context<AppEnv>;

function kindParam(c: C): ProposalKind | null {
  const k = c.req.query('kind') ?? '';
  return (SUBMITTED_PROPOSAL_KINDS as readonly string[]).includes(k) ? (k as ProposalKind) : null;
}

/** A fresh form, an amendment starting from the current text in the reader's language. */
async function freshValues(c: C, kind: ProposalKind): Promise<Record<string, string>> {
  const values: Record<string, string> = { request_key: newToken(18), kind };
  const docKind = amendedDocumentKind(kind);
  if (docKind) {
    const doc = await findCurrentDocument(c.get('ctx').db, docKind);
    if (!doc) throw GovernanceErrors.documentMissing();
    const locale = c.get('locale') === 'en' && doc.bodyEn ? 'en' : 'nb';
    values['amendment_locale'] = locale;
    values['amendment_text'] = documentBody(doc, locale);
  }
  return values;
}

async function proposalDiff(c: C, p: Proposal): Promise<DiffPart[] | null> {
  const docKind = amendedDocumentKind(p.kind);
  if (!docKind || !p.baseDocumentId || p.amendmentText === null) return null;
  const { db } = c.get('ctx');
  const row = await db
    .selectFrom('documents')
    .select(['kind', 'version'])
    .where('id', '=', p.baseDocumentId)
    .executeTakeFirst();
  const base = row ? await findDocument(db, row.kind, row.version) : null;
  if (!base) return null;
  return diffText(documentBody(base, p.amendmentLocale ?? 'nb'), p.amendmentText);
}

async function openProposalMeeting(c: C): Promise<Meeting> {
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  if (meeting.status !== 'scheduled') throw GovernanceErrors.meetingNotOpen();
  if (!takesProposals(meeting.kind)) throw GovernanceErrors.proposalsNotTaken();
  return meeting;
}

export function proposalsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manage = requirePermission('meetings.manage');

  // --- a member's proposal -----------------------------------------------------------

  const renderNew = (c: C, meeting: Meeting, kind: ProposalKind, state: FormState, status = 200) =>
    page(c, {
      title: c.get('t')('governance.proposal.new'),
      status,
      body: (
        <ProposalForm
          c={c}
          meeting={meeting}
          kind={kind}
          state={state}
          action={`/meetings/${meeting.id}/proposals`}
        />
      ),
    });

  app.get('/meetings/:id/proposals/new', requireUser(), async (c) => {
    const meeting = await openProposalMeeting(c);
    const user = c.get('user')!;
    if (!user.memberId || user.memberStatus !== 'active') throw GovernanceErrors.notAMember();
    if (!proposalOnTime(meeting.proposalDeadlineOn, today(c)))
      throw GovernanceErrors.proposalDeadlinePassed({ deadline: meeting.proposalDeadlineOn ?? '' });
    const kind = kindParam(c);
    if (!kind)
      return page(c, {
        title: c.get('t')('governance.proposal.new'),
        body: (
          <ProposalKindChoice
            c={c}
            meeting={meeting}
            action={`/meetings/${meeting.id}/proposals/new`}
          />
        ),
      });
    return renderNew(c, meeting, kind, emptyForm(await freshValues(c, kind)));
  });

  app.post('/meetings/:id/proposals', requireUser(), async (c) => {
    const meeting = await visibleMeeting(c, c.req.param('id'));
    const values = await formValues(c);
    const kind = proposalKindOf(values);
    const user = c.get('user')!;
    return handleForm(c, {
      schema: proposalSchema,
      values,
      render: (state, status) => renderNew(c, meeting, kind, state, status),
      run: async (input) => {
        const { proposalId } = await submitProposal(c.get('ctx'), {
          actor: actorOf(c),
          memberId: user.memberId,
          memberStatus: user.memberStatus,
          meetingId: meeting.id,
          proposal: proposalOf(input),
        });
        return redirectWithFlash(
          c,
          `/meetings/${meeting.id}/proposals/${proposalId}`,
          'governance.proposal.submitted_flash',
        );
      },
    });
  });

  // --- the board takes in a late proposal by a recorded decision ----------------------

  const renderLate = (c: C, meeting: Meeting, kind: ProposalKind, state: FormState, status = 200) =>
    page(c, {
      title: c.get('t')('governance.late.title'),
      status,
      body: (
        <ProposalForm
          c={c}
          meeting={meeting}
          kind={kind}
          state={state}
          action={`/meetings/${meeting.id}/proposals/late`}
          late
        />
      ),
    });

  app.get('/meetings/:id/proposals/late', manage, async (c) => {
    const meeting = await openProposalMeeting(c);
    const kind = kindParam(c);
    if (!kind)
      return page(c, {
        title: c.get('t')('governance.late.title'),
        body: (
          <ProposalKindChoice
            c={c}
            meeting={meeting}
            action={`/meetings/${meeting.id}/proposals/late`}
          />
        ),
      });
    return renderLate(c, meeting, kind, emptyForm(await freshValues(c, kind)));
  });

  app.post('/meetings/:id/proposals/late', manage, async (c) => {
    const meeting = await openProposalMeeting(c);
    const values = await formValues(c);
    const kind = proposalKindOf(values);
    return handleForm(c, {
      schema: lateProposalSchema,
      values,
      render: (state, status) => renderLate(c, meeting, kind, state, status),
      run: async (input) => {
        const { proposalId } = await registerLateProposal(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: meeting.id,
          memberNumber: input.member_number,
          reason: input.reason,
          proposal: proposalOf(input),
        });
        return redirectWithFlash(
          c,
          `/meetings/${meeting.id}/proposals/${proposalId}`,
          'governance.late.done',
        );
      },
    });
  });

  // --- reading, editing, withdrawing, recommending ------------------------------------

  /** The proposal if this viewer may read it: the board, its author, members once published. */
  async function readable(c: C): Promise<{ meeting: Meeting; proposal: Proposal }> {
    const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
    const proposal = await findProposal(c.get('ctx').db, c.req.param('pid') ?? '');
    if (!proposal || proposal.meetingId !== meeting.id) throw GovernanceErrors.proposalNotFound();
    const access = proposalAccess({ meeting, today: today(c), user: c.get('user') });
    if (!access.all && access.own !== proposal.memberId) throw CommonErrors.forbidden();
    return { meeting, proposal };
  }

  const renderProposal = async (c: C, state: FormState, status = 200) => {
    const { meeting, proposal } = await readable(c);
    const user = c.get('user');
    // An appeal belongs to its moderation case: the appellant neither edits nor withdraws it.
    const own =
      !!user?.memberId && user.memberId === proposal.memberId && proposal.kind !== 'appeal';
    const open = meeting.status === 'scheduled' && proposal.status === 'submitted';
    return page(c, {
      title: proposal.title,
      status,
      body: (
        <ProposalPage
          c={c}
          meeting={meeting}
          proposal={proposal}
          diff={await proposalDiff(c, proposal)}
          canEdit={
            own && open && !proposal.late && proposalOnTime(meeting.proposalDeadlineOn, today(c))
          }
          canWithdraw={own && open}
          canManage={!!user?.permissions.has('meetings.manage')}
          state={state}
          outcome={
            <ProposalOutcomeView
              c={c}
              meetingId={meeting.id}
              proposalId={proposal.id}
              outcome={await proposalOutcomeOf(c.get('ctx').db, proposal.id)}
              canManageDocuments={!!user?.permissions.has('documents.manage')}
            />
          }
        />
      ),
    });
  };

  app.get('/meetings/:id/proposals/:pid', requireUser(), (c) => renderProposal(c, emptyForm()));

  const renderEdit = async (c: C, state: FormState | null, status = 200) => {
    const { meeting, proposal } = await readable(c);
    if (proposal.memberId !== c.get('user')?.memberId) throw GovernanceErrors.proposalNotYours();
    return page(c, {
      title: c.get('t')('governance.proposal.edit'),
      status,
      body: (
        <ProposalEditPage
          c={c}
          meeting={meeting}
          proposal={proposal}
          state={
            state ??
            emptyForm({
              title: proposal.title,
              body: proposal.body,
              amendment_text: proposal.amendmentText ?? '',
            })
          }
        />
      ),
    });
  };

  app.get('/meetings/:id/proposals/:pid/edit', requireUser(), (c) => renderEdit(c, null));

  app.post('/meetings/:id/proposals/:pid/edit', requireUser(), (c) =>
    handleForm(c, {
      schema: proposalEditSchema,
      render: (state, status) => renderEdit(c, state, status),
      run: async (input) => {
        await editOwnProposal(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          proposalId: c.req.param('pid'),
          title: input.title,
          body: input.body,
          amendmentText: input.amendment_text,
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/proposals/${c.req.param('pid')}`,
          'flash.saved',
        );
      },
    }),
  );

  app.post('/meetings/:id/proposals/:pid/withdraw', requireUser(), async (c) => {
    await withdrawOwnProposal(c.get('ctx'), {
      actor: actorOf(c),
      memberId: c.get('user')?.memberId ?? null,
      proposalId: c.req.param('pid'),
    });
    return redirectWithFlash(
      c,
      `/meetings/${c.req.param('id')}`,
      'governance.proposal.withdrawn_flash',
    );
  });

  app.post('/meetings/:id/proposals/:pid/recommendation', manage, (c) =>
    handleForm(c, {
      schema: recommendationSchema,
      render: (state, status) => renderProposal(c, state, status),
      run: async (input) => {
        await recommendProposal(c.get('ctx'), {
          actor: actorOf(c),
          proposalId: c.req.param('pid'),
          recommendation: input.recommendation,
          text: input.recommendation_text,
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/proposals/${c.req.param('pid')}`,
          'flash.saved',
        );
      },
    }),
  );

  return app;
}

/** The kind the form asks for (it chooses which fields the form shows), else general. */
function proposalKindOf(values: Record<string, string>): ProposalKind {
  const asked = values['kind'] ?? '';
  return (SUBMITTED_PROPOSAL_KINDS as readonly string[]).includes(asked)
    ? (asked as ProposalKind)
    : 'general';
}

/** A proposal's fields from the member's form and the board's late-proposal form alike. */
function proposalOf(input: {
  kind: NewProposal['kind'];
  title: string;
  body: string;
  amendment_text: NewProposal['amendmentText'];
  amendment_locale: NewProposal['amendmentLocale'];
  request_key: string;
}): NewProposal {
  return {
    kind: input.kind,
    title: input.title,
    body: input.body,
    amendmentText: input.amendment_text,
    amendmentLocale: input.amendment_locale,
    requestKey: input.request_key,
  };
}
