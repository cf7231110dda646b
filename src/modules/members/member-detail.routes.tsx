import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { ApplicationsPage, type DecisionError } from './applications.views.js';
import { MemberErrors } from './members.errors.js';
import { getApplications, getMemberDetail } from './members.queries.js';
import {
  approveSchema,
  editMemberSchema,
  endTermSchema,
  isMemberId,
  officeSchema,
  refuseSchema,
  statusSchema,
} from './members.schemas.js';
import {
  approveApplication,
  changeMemberStatus,
  refuseApplication,
  updateMemberDetails,
} from './members.usecases.js';
import type { DetailForms } from './member-actions.views.js';
import { MemberDetailPage } from './member-detail.views.js';
import { currentYear } from './membership.routes.js';
import { assignOffice, endOfficeTerm } from './offices.usecases.js';

/** Ids in paths are 26 characters of [0-9a-z]; anything else is not found. */
function idParam(c: Context<AppEnv>, name: string): string {
  const id = c.req.param(name) ?? '';
  if (!isMemberId(id)) throw MemberErrors.notFound();
  return id;
}

async function renderApplications(
  c: Context<AppEnv>,
  error: DecisionError | null,
  status = 200,
): Promise<Response> {
  const applications = await getApplications(c.get('ctx').db);
  return page(c, {
    title: c.get('t')('members.applications.title'),
    status,
    body: <ApplicationsPage c={c} applications={applications} error={error} />,
  });
}

async function renderDetail(
  c: Context<AppEnv>,
  memberId: string,
  forms: DetailForms,
  status = 200,
): Promise<Response> {
  const detail = await getMemberDetail(c.get('ctx').db, memberId);
  if (!detail || detail.member.erasedAt) throw MemberErrors.notFound();
  const { year, today } = currentYear(c);
  return page(c, {
    title: `${detail.member.name} (#${detail.member.memberNumber})`,
    status,
    body: <MemberDetailPage c={c} detail={detail} currentYear={year} today={today} forms={forms} />,
  });
}

export function memberDetailRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Before /members/:id, which would otherwise take "applications" for an id.
  app.get('/members/applications', requirePermission('members.approve'), (c) =>
    renderApplications(c, null),
  );

  const decisionRender =
    (c: Context<AppEnv>, memberId: string) => (state: FormState, status: number) =>
      state.values['back'] === 'applications'
        ? renderApplications(c, { memberId, state }, status)
        : renderDetail(c, memberId, { decision: state }, status);
  const decisionDone = (c: Context<AppEnv>, memberId: string, back: string, approved: boolean) =>
    redirectWithFlash(
      c,
      back === 'applications' ? '/members/applications' : `/members/${memberId}`,
      approved ? 'members.applications.approved' : 'members.applications.refused',
    );

  app.post('/members/:id/approve', requirePermission('members.approve'), (c) => {
    const memberId = idParam(c, 'id');
    return handleForm(c, {
      schema: approveSchema,
      render: decisionRender(c, memberId),
      run: async (input) => {
        await approveApplication(c.get('ctx'), { actor: actorOf(c), memberId });
        return decisionDone(c, memberId, input.back, true);
      },
    });
  });

  app.post('/members/:id/refuse', requirePermission('members.approve'), (c) => {
    const memberId = idParam(c, 'id');
    return handleForm(c, {
      schema: refuseSchema,
      render: decisionRender(c, memberId),
      run: async (input) => {
        await refuseApplication(c.get('ctx'), {
          actor: actorOf(c),
          memberId,
          reason: input.reason,
        });
        return decisionDone(c, memberId, input.back, false);
      },
    });
  });

  app.get('/members/:id', requirePermission('members.read'), (c) =>
    renderDetail(c, idParam(c, 'id'), {}),
  );

  app.post('/members/:id/status', requirePermission('members.write'), (c) => {
    const memberId = idParam(c, 'id');
    return handleForm(c, {
      schema: statusSchema,
      render: (state, status) => renderDetail(c, memberId, { status: state }, status),
      run: async (input) => {
        await changeMemberStatus(c.get('ctx'), {
          actor: actorOf(c),
          memberId,
          to: input.to,
          reason: input.reason,
          via: 'board',
        });
        return redirectWithFlash(c, `/members/${memberId}`, 'members.detail.status_changed');
      },
    });
  });

  app.post('/members/:id/edit', requirePermission('members.write'), (c) => {
    const memberId = idParam(c, 'id');
    return handleForm(c, {
      schema: editMemberSchema,
      render: (state, status) => renderDetail(c, memberId, { edit: state }, status),
      run: async (details) => {
        await updateMemberDetails(c.get('ctx'), { actor: actorOf(c), memberId, details });
        return redirectWithFlash(c, `/members/${memberId}`, 'flash.saved');
      },
    });
  });

  app.post('/members/:id/offices', requirePermission('offices.manage'), (c) => {
    const memberId = idParam(c, 'id');
    return handleForm(c, {
      schema: officeSchema,
      render: (state, status) => renderDetail(c, memberId, { office: state }, status),
      run: async (input) => {
        await assignOffice(c.get('ctx'), {
          actor: actorOf(c),
          memberId,
          office: input.office,
          startsOn: input.starts_on,
          endsOn: input.ends_on,
          note: input.note,
        });
        return redirectWithFlash(c, `/members/${memberId}`, 'members.detail.office_assigned');
      },
    });
  });

  app.post('/members/:id/offices/:termId/end', requirePermission('offices.manage'), (c) => {
    const memberId = idParam(c, 'id');
    const termId = idParam(c, 'termId');
    return handleForm(c, {
      schema: endTermSchema,
      render: (state, status) => renderDetail(c, memberId, { endTerm: { termId, state } }, status),
      run: async (input) => {
        await endOfficeTerm(c.get('ctx'), {
          actor: actorOf(c),
          memberId,
          termId,
          endsOn: input.ends_on,
        });
        return redirectWithFlash(c, `/members/${memberId}`, 'members.detail.office_ended');
      },
    });
  });

  return app;
}
