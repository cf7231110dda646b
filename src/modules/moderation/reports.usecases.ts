import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { nextNumber } from '../../app/counters.js';
import { todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import type { AppError, defineError, Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail } from '../../app/outbox.js';
import { findAssociation } from '../association/association.repository.js';
import {
  handleableCase,
  insertCase,
  listHandlers,
  recordCaseEvent,
  updateCase,
  type CaseViewer,
} from './cases.repository.js';
import type { ReportSource } from './moderation.tables.js';
import { ReportErrors } from './reports.errors.js';
import {
  findMemberByReference,
  findReport,
  findReportByExternalId,
  insertReport,
  markReportDismissed,
  markReportsInCase,
} from './reports.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/** The error with its message beside the form field it concerns. */
export function onField(make: ReturnType<typeof defineError>, field: string): AppError {
  return make(undefined, { [field]: make().messages });
}

async function associationToday(db: Db, now: Date) {
  const a = await findAssociation(db);
  return { name: a?.name ?? 'Allmenning', today: todayIn(a?.timeZone ?? 'Europe/Oslo', now) };
}

/**
 * A member reports a member or a piece of content. The reporter is stored for the
 * moderators and never shown to the reported member; the reporter gets a receipt.
 */
export async function submitMemberReport(
  deps: Deps,
  input: {
    actor: Actor;
    reporter: { userId: string; memberId: string | null; email: string; locale: Locale };
    reported: string | null;
    serviceId: string | null;
    contentUrl: string | null;
    description: string;
    aupClause: string | null;
  },
): Promise<{ reportId: string; number: number }> {
  if (!input.reporter.memberId) throw ReportErrors.notAMember();
  if (!input.description.trim()) throw onField(ReportErrors.descriptionRequired, 'description');
  if (!input.reported && !input.contentUrl) throw onField(ReportErrors.nothingReported, 'reported');
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    let reportedMemberId: string | null = null;
    if (input.reported) {
      const member = await findMemberByReference(tx, input.reported);
      if (!member) throw onField(ReportErrors.reportedNotFound, 'reported');
      if (member.id === input.reporter.memberId) throw onField(ReportErrors.reportSelf, 'reported');
      reportedMemberId = member.id;
    }
    if (input.serviceId) {
      const service = await tx
        .selectFrom('services')
        .select('id')
        .where('id', '=', input.serviceId)
        .executeTakeFirst();
      if (!service) throw onField(ReportErrors.serviceNotFound, 'service_id');
    }
    const id = newId(now.getTime());
    const number = await nextNumber(tx, 'moderation_report');
    await insertReport(
      tx,
      {
        id,
        number,
        source: 'member',
        serviceId: input.serviceId,
        externalId: null,
        reporterMemberId: input.reporter.memberId,
        reporterUserId: input.reporter.userId,
        reportedMemberId,
        reportedHandle: input.reported,
        contentUrl: input.contentUrl,
        description: input.description.trim(),
        aupClause: input.aupClause,
      },
      now,
    );
    // The audit entry names the report, not the people: the log is read more widely.
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.report_submitted',
      entityType: 'moderation_report',
      entityId: id,
      after: { number, source: 'member' },
      at: now,
    });
    const { name } = await associationToday(tx, now);
    const t = translator(input.reporter.locale);
    await enqueueEmail(tx, {
      message: {
        to: input.reporter.email,
        subject: t('moderation.report.receipt_subject', { number, association: name }),
        text: [
          t('moderation.report.receipt_body', { number, association: name }),
          '',
          `${t('moderation.report.field.description')}:`,
          input.description.trim(),
          '',
          t('moderation.report.receipt_privacy'),
          '',
        ].join('\n'),
      },
      at: now,
    });
    return { reportId: id, number };
  });
  deps.kickOutbox();
  return result;
}

/**
 * A report from a service's webhook. A replay (the same external id from the same
 * service) records nothing and returns the existing report with `created: false`.
 */
export async function recordServiceReport(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: {
    service: { id: string; slug: string };
    source: Exclude<ReportSource, 'member'>;
    externalId: string;
    reportedHandle: string | null;
    contentUrl: string | null;
    description: string;
    aupClause: string | null;
  },
): Promise<{ reportId: string; number: number; created: boolean }> {
  const now = deps.clock.now();
  const key = { source: input.source, serviceId: input.service.id, externalId: input.externalId };
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const existing = await findReportByExternalId(tx, key);
      if (existing) return { reportId: existing.id, number: existing.number, created: false };
      const member = input.reportedHandle
        ? await findMemberByReference(tx, input.reportedHandle.replace(/^#/, ''))
        : null;
      const id = newId(now.getTime());
      const number = await nextNumber(tx, 'moderation_report');
      await insertReport(
        tx,
        {
          id,
          number,
          source: input.source,
          serviceId: input.service.id,
          externalId: input.externalId,
          reporterMemberId: null,
          reporterUserId: null,
          reportedMemberId: member?.id ?? null,
          reportedHandle: input.reportedHandle,
          contentUrl: input.contentUrl,
          description: input.description,
          aupClause: input.aupClause,
        },
        now,
      );
      await recordAudit(tx, {
        actor: { userId: null, label: `service:${input.service.slug}` },
        action: 'moderation.report_received',
        entityType: 'moderation_report',
        entityId: id,
        after: { number, source: input.source, externalId: input.externalId },
        at: now,
      });
      return { reportId: id, number, created: true };
    });
  } catch (err) {
    // Two deliveries of the same report at once: the unique key lets one through.
    const existing = await findReportByExternalId(deps.db, key);
    if (existing) return { reportId: existing.id, number: existing.number, created: false };
    throw err;
  }
}

/**
 * A moderator opens a case from one or more new reports about the same member. A report
 * without a member (content from a service whose account we could not match) needs the
 * member number given by the moderator.
 */
export async function openCase(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: {
    actor: Actor;
    viewer: CaseViewer;
    reportIds: string[];
    memberReference: string | null;
    summary: string;
  },
): Promise<{ caseId: string; number: number }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const reports = [];
    for (const id of input.reportIds) {
      const r = await findReport(tx, id);
      if (!r) throw ReportErrors.reportNotFound();
      if (r.status !== 'new') throw ReportErrors.reportAlreadyTriaged();
      reports.push(r);
    }
    if (reports.length === 0) throw ReportErrors.reportNotFound();
    let memberId: string | null = null;
    if (input.memberReference) {
      const m = await findMemberByReference(tx, input.memberReference);
      if (!m) throw onField(ReportErrors.reportedNotFound, 'member');
      memberId = m.id;
    }
    for (const r of reports) {
      if (!r.reportedMemberId) continue;
      if (memberId && memberId !== r.reportedMemberId)
        throw ReportErrors.reportsOfDifferentMembers();
      memberId = r.reportedMemberId;
    }
    if (!memberId) throw onField(ReportErrors.reportWithoutMember, 'member');
    const v = input.viewer;
    if (v.memberId === memberId) throw ReportErrors.ownCase();
    if (
      reports.some(
        (r) => r.reporterUserId === v.id || (v.memberId && r.reporterMemberId === v.memberId),
      )
    )
      throw ReportErrors.reporterOfCase();
    const id = newId(now.getTime());
    const number = await nextNumber(tx, 'moderation_case');
    await insertCase(
      tx,
      { id, number, memberId, summary: input.summary, assignedTo: v.id, openedBy: v.id },
      now,
    );
    await markReportsInCase(tx, { reportIds: input.reportIds, caseId: id, by: v.id }, now);
    await recordCaseEvent(tx, {
      caseId: id,
      actor: input.actor,
      action: 'opened',
      note: `${input.summary} (${reports.map((r) => `#${r.number}`).join(', ')})`,
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.case_opened',
      entityType: 'moderation_case',
      entityId: id,
      // Report numbers stay in the case log: the audit log is read by more people (the
      // auditor, the sysadmin) and must not let them tie a reporter to a case.
      after: { number, reportCount: reports.length },
      at: now,
    });
    return { caseId: id, number };
  });
}

/** Adds a new report to an open case about the same member. */
export async function addReportToCase(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { actor: Actor; viewer: CaseViewer; reportId: string; caseId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const c = await handleableCase(tx, { caseId: input.caseId, viewer: input.viewer });
    if (c.status !== 'open' && c.status !== 'hearing') throw ReportErrors.caseClosed();
    const r = await findReport(tx, input.reportId);
    if (!r) throw ReportErrors.reportNotFound();
    if (r.status !== 'new') throw ReportErrors.reportAlreadyTriaged();
    if (r.reportedMemberId && r.reportedMemberId !== c.memberId)
      throw ReportErrors.reportsOfDifferentMembers();
    const v = input.viewer;
    if (r.reporterUserId === v.id || (v.memberId && r.reporterMemberId === v.memberId))
      throw ReportErrors.reporterOfCase();
    await markReportsInCase(tx, { reportIds: [r.id], caseId: c.id, by: v.id }, now);
    await updateCase(tx, c.id, {}, now);
    await recordCaseEvent(tx, {
      caseId: c.id,
      actor: input.actor,
      action: 'report_added',
      note: `#${r.number}`,
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.report_added',
      entityType: 'moderation_case',
      entityId: c.id,
      at: now,
    });
  });
}

/** Dismisses a new report with a reason (no case). */
export async function dismissReport(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { actor: Actor; viewer: CaseViewer; reportId: string; reason: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const r = await findReport(tx, input.reportId);
    if (!r) throw ReportErrors.reportNotFound();
    const v = input.viewer;
    if (v.memberId && r.reportedMemberId === v.memberId) throw ReportErrors.ownCase();
    if (r.reporterUserId === v.id || (v.memberId && r.reporterMemberId === v.memberId))
      throw ReportErrors.reporterOfCase();
    if (!(await markReportDismissed(tx, { reportId: r.id, reason: input.reason, by: v.id }, now)))
      throw ReportErrors.reportAlreadyTriaged();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.report_dismissed',
      entityType: 'moderation_report',
      entityId: r.id,
      after: { number: r.number, reason: input.reason },
      at: now,
    });
  });
}

/** Assigns a case to a moderator or board member who is not a party to it. */
export async function assignCase(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { actor: Actor; viewer: CaseViewer; caseId: string; assigneeUserId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const c = await handleableCase(tx, { caseId: input.caseId, viewer: input.viewer });
    if (c.status === 'closed') throw ReportErrors.caseClosed();
    const { today } = await associationToday(tx, now);
    const handler = (await listHandlers(tx, today)).find((h) => h.userId === input.assigneeUserId);
    if (!handler || handler.memberId === c.memberId)
      throw onField(ReportErrors.notAHandler, 'assignee');
    const reported = await tx
      .selectFrom('moderation_reports')
      .select('id')
      .where('case_id', '=', c.id)
      .where((eb) =>
        eb.or([
          eb('reporter_user_id', '=', handler.userId),
          eb('reporter_member_id', '=', handler.memberId),
        ]),
      )
      .executeTakeFirst();
    if (reported) throw onField(ReportErrors.notAHandler, 'assignee');
    await updateCase(tx, c.id, { assignedTo: handler.userId }, now);
    await recordCaseEvent(tx, {
      caseId: c.id,
      actor: input.actor,
      action: 'assigned',
      note: handler.handle,
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.case_assigned',
      entityType: 'moderation_case',
      entityId: c.id,
      before: { assignedTo: c.assignedTo },
      after: { assignedTo: handler.userId },
      at: now,
    });
  });
}
