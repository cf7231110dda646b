import { Hono, type Context } from 'hono';
import type { AppEnv, CurrentUser } from '../../app/context.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { listCases, type CaseViewer } from './cases.repository.js';
import { hearingsRoutes } from './hearings.routes.js';
import { ReportErrors } from './reports.errors.js';
import { listNewReports } from './reports.repository.js';
import {
  addToCaseSchema,
  assignSchema,
  dismissSchema,
  openCaseSchema,
  reportSchema,
} from './reports.schemas.js';
import {
  addReportToCase,
  assignCase,
  dismissReport,
  openCase,
  submitMemberReport,
} from './reports.usecases.js';
import { QueuePage, ReportForm, type QueueItem } from './reports.views.js';
import { statisticsRoutes } from './statistics.routes.js';
import { webhooksInRoutes } from './webhooks-in.routes.js';

type C = Context<AppEnv>;

export function viewerOf(user: CurrentUser): CaseViewer {
  return { id: user.id, memberId: user.memberId, permissions: user.permissions };
}

/** Members' reports, the triage queue, and the services' incoming report webhooks. */
export function reportsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handle = requirePermission('moderation.handle');
  app.route('/', webhooksInRoutes());
  app.route('/', statisticsRoutes());
  app.route('/', hearingsRoutes());

  // --- a member reports ------------------------------------------------------------

  const renderReport = async (c: C, state: FormState, status = 200) => {
    const services = await c
      .get('ctx')
      .db.selectFrom('services')
      .select(['id', 'name'])
      .where('status', '<>', 'retired')
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
    return page(c, {
      title: c.get('t')('moderation.report.title'),
      status,
      body: <ReportForm c={c} state={state} services={services} />,
    });
  };

  const memberOnly = requireUser();
  app.get('/report', memberOnly, (c) => {
    if (!c.get('user')!.memberId) throw ReportErrors.notAMember();
    return renderReport(c, emptyForm());
  });

  app.post('/report', memberOnly, (c) =>
    handleForm(c, {
      schema: reportSchema,
      render: (state, status) => renderReport(c, state, status),
      run: async (input) => {
        const user = c.get('user')!;
        await submitMemberReport(c.get('ctx'), {
          actor: actorOf(c),
          reporter: {
            userId: user.id,
            memberId: user.memberId,
            email: user.email,
            locale: user.locale ?? c.get('locale'),
          },
          reported: input.reported,
          serviceId: input.service_id,
          contentUrl: input.content_url,
          description: input.description,
          aupClause: input.aup_clause,
        });
        return redirectWithFlash(c, '/report', 'moderation.report.sent_flash');
      },
    }),
  );

  // --- the triage queue (moderators and the board) ---------------------------------

  const renderQueue = async (c: C, state: FormState, status = 200) => {
    const { db } = c.get('ctx');
    const user = c.get('user')!;
    const [reports, openCases] = await Promise.all([
      listNewReports(db, { exceptMemberId: user.memberId }),
      listCases(db, { statuses: ['open', 'hearing'], exceptMemberId: user.memberId }),
    ]);
    const memberIds = [...new Set(reports.map((r) => r.reportedMemberId).filter((x) => !!x))];
    const members = memberIds.length
      ? await db
          .selectFrom('members')
          .select(['id', 'name', 'member_number'])
          .where('id', 'in', memberIds as string[])
          .execute()
      : [];
    const label = new Map(members.map((m) => [m.id, `${m.name} (#${m.member_number})`]));
    const items: QueueItem[] = reports.map((r) => ({
      report: r,
      memberLabel: r.reportedMemberId ? (label.get(r.reportedMemberId) ?? null) : null,
      cases: r.reportedMemberId ? openCases.filter((k) => k.memberId === r.reportedMemberId) : [],
    }));
    return page(c, {
      title: c.get('t')('moderation.queue.title'),
      status,
      body: <QueuePage c={c} state={state} items={items} openCases={openCases} />,
    });
  };

  app.get('/moderation', handle, (c) => renderQueue(c, emptyForm()));

  app.post('/moderation/reports/:id/case', handle, async (c) => {
    const values = { ...(await formValues(c)), report_id: c.req.param('id') };
    return handleForm(c, {
      schema: openCaseSchema,
      values,
      render: (state, status) => renderQueue(c, state, status),
      run: async (input) => {
        const { db } = c.get('ctx');
        const ids = [c.req.param('id')];
        for (const n of (input.also ?? '').split(/[\s,;]+/).filter(Boolean)) {
          const num = Number(n.replace(/^#/, ''));
          const row = Number.isInteger(num)
            ? await db
                .selectFrom('moderation_reports')
                .select('id')
                .where('number', '=', num)
                .executeTakeFirst()
            : undefined;
          if (!row) throw ReportErrors.reportNotFound();
          if (!ids.includes(row.id)) ids.push(row.id);
        }
        const { caseId } = await openCase(c.get('ctx'), {
          actor: actorOf(c),
          viewer: viewerOf(c.get('user')!),
          reportIds: ids,
          memberReference: input.member,
          summary: input.summary,
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${caseId}`,
          'moderation.triage.opened_flash',
        );
      },
    });
  });

  app.post('/moderation/reports/:id/add', handle, async (c) => {
    const values = { ...(await formValues(c)), report_id: c.req.param('id') };
    return handleForm(c, {
      schema: addToCaseSchema,
      values,
      render: (state, status) => renderQueue(c, state, status),
      run: async (input) => {
        await addReportToCase(c.get('ctx'), {
          actor: actorOf(c),
          viewer: viewerOf(c.get('user')!),
          reportId: c.req.param('id'),
          caseId: input.case_id,
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${input.case_id}`,
          'moderation.triage.added_flash',
        );
      },
    });
  });

  app.post('/moderation/reports/:id/dismiss', handle, async (c) => {
    const values = { ...(await formValues(c)), report_id: c.req.param('id') };
    return handleForm(c, {
      schema: dismissSchema,
      values,
      render: (state, status) => renderQueue(c, state, status),
      run: async (input) => {
        await dismissReport(c.get('ctx'), {
          actor: actorOf(c),
          viewer: viewerOf(c.get('user')!),
          reportId: c.req.param('id'),
          reason: input.reason,
        });
        return redirectWithFlash(c, '/moderation', 'moderation.triage.dismissed_flash');
      },
    });
  });

  app.post('/moderation/cases/:id/assign', handle, (c) =>
    handleForm(c, {
      schema: assignSchema,
      render: (state, status) => renderQueue(c, state, status),
      run: async (input) => {
        await assignCase(c.get('ctx'), {
          actor: actorOf(c),
          viewer: viewerOf(c.get('user')!),
          caseId: c.req.param('id'),
          assigneeUserId: input.assignee,
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${c.req.param('id')}`,
          'moderation.triage.assigned_flash',
        );
      },
    }),
  );

  return app;
}
