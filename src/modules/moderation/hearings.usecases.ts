import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { addDays, formatDate, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { isLocale, translator } from '../../app/i18n.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail } from '../../app/outbox.js';
import { findAssociation } from '../association/association.repository.js';
import {
  handleableCase,
  recordCaseEvent,
  updateCase,
  type CaseViewer,
} from './cases.repository.js';
import { answerHearing, findHearing, insertHearing, listHearings } from './hearings.repository.js';
import { ReportErrors } from './reports.errors.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

export const DEFAULT_HEARING_DAYS = 14;

async function zoneOf(db: Db) {
  const a = await findAssociation(db);
  return {
    name: a?.name ?? 'Allmenning',
    timeZone: a?.timeZone ?? 'Europe/Oslo',
    locale: a?.defaultLocale ?? 'nb',
  };
}

/** The member a hearing is for, with the address and language to write to them in. */
async function memberOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('moderation_cases as c')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.name', 'm.email', 'm.user_id', 'u.email as user_email', 'u.locale'])
    .where('c.id', '=', caseId)
    .executeTakeFirstOrThrow();
}

/**
 * The member is told what they are accused of, which clause it breaks, and by when they
 * can answer (on /moderation/hearings/:id). The notice says nothing of who reported them.
 */
export async function sendHearing(
  deps: Deps,
  input: {
    actor: Actor;
    viewer: CaseViewer;
    caseId: string;
    accusation: string;
    aupClause: string | null;
    deadlineDays: number;
  },
): Promise<{ hearingId: string; deadlineOn: string }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    const c = await handleableCase(tx, { caseId: input.caseId, viewer: input.viewer });
    if (c.status !== 'open' && c.status !== 'hearing') throw ReportErrors.caseClosed();
    const zone = await zoneOf(tx);
    const today = todayIn(zone.timeZone, now);
    const pending = (await listHearings(tx, c.id)).find(
      (h) => h.answeredAt === null && h.deadlineOn >= today,
    );
    if (pending) throw ReportErrors.hearingPending({ deadline: pending.deadlineOn });
    const member = await memberOfCase(tx, c.id);
    const to = member.email ?? member.user_email;
    if (!to) throw ReportErrors.noMemberEmail();
    const id = newId(now.getTime());
    const deadlineOn = addDays(today, input.deadlineDays);
    await insertHearing(
      tx,
      {
        id,
        caseId: c.id,
        accusation: input.accusation,
        aupClause: input.aupClause,
        deadlineOn,
        sentBy: input.viewer.id,
      },
      now,
    );
    await updateCase(tx, c.id, { status: 'hearing' }, now);
    await recordCaseEvent(tx, {
      caseId: c.id,
      actor: input.actor,
      action: 'hearing_sent',
      note: `${input.aupClause ? `${input.aupClause}: ` : ''}${input.accusation} (→ ${deadlineOn})`,
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.hearing_sent',
      entityType: 'moderation_case',
      entityId: c.id,
      after: { hearingId: id, deadlineOn, clause: input.aupClause },
      at: now,
    });
    const locale = isLocale(member.locale) ? member.locale : zone.locale;
    const t = translator(locale);
    const link = `${deps.config.baseUrl.replace(/\/$/, '')}/moderation/hearings/${id}`;
    await enqueueEmail(tx, {
      message: {
        to,
        subject: t('moderation.hearing.email_subject', { association: zone.name }),
        text: [
          t('moderation.hearing.email_greeting', { name: member.name }),
          '',
          t('moderation.hearing.email_intro', { association: zone.name }),
          '',
          input.accusation,
          '',
          ...(input.aupClause
            ? [`${t('moderation.hearing.field.clause')}: ${input.aupClause}`, '']
            : []),
          t('moderation.hearing.email_deadline', { date: formatDate(deadlineOn, locale) }),
          '',
          link,
          '',
          t('moderation.hearing.email_after'),
          '',
        ].join('\n'),
      },
      at: now,
    });
    return { hearingId: id, deadlineOn };
  });
  deps.kickOutbox();
  return result;
}

/** The hearing, if it is addressed to this user's membership (nobody else may read it). */
export async function ownHearing(db: Db, opts: { hearingId: string; memberId: string | null }) {
  const h = await findHearing(db, opts.hearingId);
  if (!h) throw ReportErrors.hearingNotFound();
  const c = await db
    .selectFrom('moderation_cases')
    .select(['member_id', 'number', 'status'])
    .where('id', '=', h.caseId)
    .executeTakeFirstOrThrow();
  // The same answer as for a hearing that does not exist: nothing to learn by guessing ids.
  if (!opts.memberId || c.member_id !== opts.memberId) throw ReportErrors.hearingNotFound();
  return { hearing: h, caseNumber: c.number };
}

/** The member answers, once, until the deadline; the answer goes into the case log. */
export async function answerOwnHearing(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { actor: Actor; memberId: string | null; hearingId: string; answer: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const { hearing } = await ownHearing(tx, input);
    if (hearing.answeredAt) throw ReportErrors.hearingAnswered();
    const zone = await zoneOf(tx);
    if (hearing.deadlineOn < todayIn(zone.timeZone, now))
      throw ReportErrors.hearingDeadlinePassed({ deadline: hearing.deadlineOn });
    if (!(await answerHearing(tx, hearing.id, input.answer, now)))
      throw ReportErrors.hearingAnswered();
    await updateCase(tx, hearing.caseId, {}, now);
    await recordCaseEvent(tx, {
      caseId: hearing.caseId,
      actor: input.actor,
      action: 'hearing_answered',
      note: input.answer,
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'moderation.hearing_answered',
      entityType: 'moderation_case',
      entityId: hearing.caseId,
      after: { hearingId: hearing.id },
      at: now,
    });
  });
}
