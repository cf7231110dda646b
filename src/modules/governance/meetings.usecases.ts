import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { formatDate, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { interpolate, type Locale, type Translations } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { enqueueEmails } from '../../app/outbox.js';
import { findAssociation, type Association } from '../association/association.repository.js';
import { meetingCancelledMessage, meetingNoticeMessage } from './governance.emails.js';
import { GovernanceErrors } from './governance.errors.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import type { AgendaKind } from './governance.tables.js';
import {
  earliestMeetingDate,
  mandatoryAgenda,
  meetingDates,
  noticeDaysFor,
  zonedInstant,
} from './meeting-rules.js';
import {
  cancelMeeting,
  deleteAgendaItem,
  findMeeting,
  findMeetingByRequestKey,
  insertAgendaItems,
  insertMeeting,
  listAgenda,
  noticeRecipients,
  setAgendaPositions,
  type Meeting,
} from './meetings.repository.js';
import type { ScheduleInput } from './meetings.schemas.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'kickOutbox' | 'config'>;

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

async function requireAssociation(db: Db): Promise<Association> {
  const a = await findAssociation(db);
  if (!a) throw new Error('association missing');
  return a;
}

/** An error's message in both languages, for the field it belongs to. */
function bothLanguages(
  messages: Translations,
  params: (locale: Locale) => Record<string, string | number>,
): Translations {
  return { nb: interpolate(messages.nb, params('nb')), en: interpolate(messages.en, params('en')) };
}

export async function requireOpenMeeting(db: Db, id: string): Promise<Meeting> {
  const meeting = await findMeeting(db, id);
  if (!meeting) throw GovernanceErrors.meetingNotFound();
  if (meeting.status !== 'scheduled') throw GovernanceErrors.meetingNotOpen();
  return meeting;
}

/**
 * Schedules a meeting and sends its notice, in one transaction: the meeting, its agenda
 * (the standing items first), one email per member in the member's language, and the
 * audit entry. A date that breaks the notice period is refused with the earliest allowed
 * date. The form's one-time key makes a repeated submit return the same meeting, with
 * no second notice.
 */
export async function scheduleMeeting(
  deps: Deps,
  input: { actor: Actor; meeting: ScheduleInput },
): Promise<{ meeting: Meeting; created: boolean; notified: number }> {
  const now = deps.clock.now();
  const m = input.meeting;
  try {
    const result = await deps.db.transaction().execute(async (tx) => {
      const existing = await findMeetingByRequestKey(tx, m.request_key);
      if (existing) return { meeting: existing, created: false, notified: 0 };
      const association = await requireAssociation(tx);
      const tz = association.timeZone;
      const settings = await getGovernanceSettings(tx);
      const today = todayIn(tz, now);
      const startsAt = zonedInstant(m.date, m.time, tz);
      if (m.date < today || startsAt.getTime() < now.getTime()) {
        const make = GovernanceErrors.dateInPast;
        throw make(undefined, { date: bothLanguages(make().messages, () => ({})) });
      }
      const earliest = earliestMeetingDate(m.kind, today, settings);
      if (m.date < earliest) {
        const days = noticeDaysFor(m.kind, settings);
        const make = GovernanceErrors.noticeTooShort;
        // The summary names the date as YYYY-MM-DD; the field says it in the reader's words.
        throw make(
          { days, earliest },
          {
            date: bothLanguages(make().messages, (locale) => ({
              days,
              earliest: formatDate(earliest, locale),
            })),
          },
        );
      }
      const dates = meetingDates(m.kind, m.date, settings);
      const meeting: Meeting = {
        id: newId(now.getTime()),
        kind: m.kind,
        title: m.title,
        startsAt: startsAt.toISOString(),
        meetingDate: m.date,
        format: m.format,
        place: m.format === 'online' ? null : m.place,
        url: m.format === 'physical' ? null : m.url,
        description: m.description,
        status: 'scheduled',
        noticeDays: noticeDaysFor(m.kind, settings),
        proposalDeadlineOn: dates.proposalDeadlineOn,
        publicationOn: dates.publicationOn,
        qualifyingOn: dates.qualifyingOn,
        noticeSentAt: now.toISOString(),
        cancelledAt: null,
        cancelReason: null,
        chairMemberId: null,
        secretaryMemberId: null,
        openedAt: null,
        closedAt: null,
        createdAt: now.toISOString(),
      };
      await insertMeeting(
        tx,
        { ...meeting, requestKey: m.request_key, createdBy: input.actor.userId },
        now,
      );
      const kinds: AgendaKind[] = mandatoryAgenda(m.kind);
      const extra = (m.items ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 50);
      // The board's own items go before "any other business", which always ends the list.
      const aob = kinds[kinds.length - 1] === 'any_other_business';
      const ordered: { kind: AgendaKind; title: string | null; mandatory: boolean }[] = [
        ...kinds
          .slice(0, aob ? -1 : undefined)
          .map((k) => ({ kind: k, title: null, mandatory: true })),
        ...extra.map((title) => ({ kind: 'custom' as const, title, mandatory: false })),
        ...(aob ? [{ kind: 'any_other_business' as const, title: null, mandatory: true }] : []),
      ];
      await insertAgendaItems(
        tx,
        ordered.map((o, i) => ({
          id: newId(now.getTime()),
          meetingId: meeting.id,
          position: i + 1,
          kind: o.kind,
          title: o.title,
          description: null,
          mandatory: o.mandatory,
          createdBy: input.actor.userId,
        })),
        now,
      );
      const agenda = await listAgenda(tx, meeting.id);
      const recipients = await noticeRecipients(tx, { boardOnly: m.kind === 'board', today });
      const link = `${deps.config.baseUrl}/meetings/${meeting.id}`;
      await enqueueEmails(tx, {
        at: now,
        messages: recipients.map((r) =>
          meetingNoticeMessage({
            to: r.email,
            name: r.name,
            locale: r.locale ?? association.defaultLocale,
            association: association.name,
            timeZone: tz,
            meeting,
            agenda,
            link,
          }),
        ),
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.meeting_scheduled',
        entityType: 'meeting',
        entityId: meeting.id,
        after: {
          kind: meeting.kind,
          startsAt: meeting.startsAt,
          format: meeting.format,
          noticeDays: meeting.noticeDays,
          proposalDeadlineOn: meeting.proposalDeadlineOn,
          publicationOn: meeting.publicationOn,
          qualifyingOn: meeting.qualifyingOn,
          noticeRecipients: recipients.length,
        },
        at: now,
      });
      return { meeting, created: true, notified: recipients.length };
    });
    if (result.created) deps.kickOutbox();
    return result;
  } catch (err) {
    // Two submits of the same form at once: the second finds the first one's meeting.
    if (isUniqueViolation(err)) {
      const existing = await findMeetingByRequestKey(deps.db, m.request_key);
      if (existing) return { meeting: existing, created: false, notified: 0 };
    }
    throw err;
  }
}

/** Adds an item to the agenda, before "any other business" when there is one. */
export async function addAgendaItem(
  deps: Deps,
  input: { actor: Actor; meetingId: string; title: string; description: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await requireOpenMeeting(tx, input.meetingId);
    const agenda = await listAgenda(tx, input.meetingId);
    const last = agenda[agenda.length - 1];
    const beforeAob = last?.kind === 'any_other_business';
    const position = beforeAob ? last.position : (last?.position ?? 0) + 1;
    if (beforeAob) await setAgendaPositions(tx, [{ id: last.id, position: last.position + 1 }]);
    const id = newId(now.getTime());
    await insertAgendaItems(
      tx,
      [
        {
          id,
          meetingId: input.meetingId,
          position,
          kind: 'custom',
          title: input.title,
          description: input.description,
          mandatory: false,
          createdBy: input.actor.userId,
        },
      ],
      now,
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.agenda_item_added',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { itemId: id, title: input.title, position },
      at: now,
    });
  });
}

/** Moves an item one place up or down; two standing items never swap (their order is the statutes'). */
export async function moveAgendaItem(
  deps: Deps,
  input: { actor: Actor; meetingId: string; itemId: string; direction: 'up' | 'down' },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await requireOpenMeeting(tx, input.meetingId);
    const agenda = await listAgenda(tx, input.meetingId);
    const i = agenda.findIndex((a) => a.id === input.itemId);
    if (i < 0) throw GovernanceErrors.agendaItemNotFound();
    const j = input.direction === 'up' ? i - 1 : i + 1;
    const other = agenda[j];
    if (!other) return; // already first or last
    const item = agenda[i]!;
    if (item.mandatory && other.mandatory) throw GovernanceErrors.agendaOrderFixed();
    // "Any other business" stays last.
    if (item.kind === 'any_other_business' || other.kind === 'any_other_business')
      throw GovernanceErrors.agendaOrderFixed();
    const reordered = [...agenda];
    reordered[i] = other;
    reordered[j] = item;
    await setAgendaPositions(
      tx,
      reordered.map((a, k) => ({ id: a.id, position: k + 1 })),
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.agenda_item_moved',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { itemId: item.id, direction: input.direction },
      at: now,
    });
  });
}

export async function removeAgendaItem(
  deps: Deps,
  input: { actor: Actor; meetingId: string; itemId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await requireOpenMeeting(tx, input.meetingId);
    const agenda = await listAgenda(tx, input.meetingId);
    const item = agenda.find((a) => a.id === input.itemId);
    if (!item) throw GovernanceErrors.agendaItemNotFound();
    if (item.mandatory) throw GovernanceErrors.agendaItemMandatory();
    await deleteAgendaItem(tx, item.id);
    await setAgendaPositions(
      tx,
      agenda.filter((a) => a.id !== item.id).map((a, k) => ({ id: a.id, position: k + 1 })),
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.agenda_item_removed',
      entityType: 'meeting',
      entityId: input.meetingId,
      before: { itemId: item.id, title: item.title },
      at: now,
    });
  });
}

/** Cancels a scheduled meeting and tells everyone who got the notice. */
export async function cancelScheduledMeeting(
  deps: Deps,
  input: { actor: Actor; meetingId: string; reason: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const meeting = await requireOpenMeeting(tx, input.meetingId);
    if (!(await cancelMeeting(tx, { id: meeting.id, reason: input.reason, now })))
      throw GovernanceErrors.meetingNotOpen();
    const association = await requireAssociation(tx);
    const recipients = await noticeRecipients(tx, {
      boardOnly: meeting.kind === 'board',
      today: todayIn(association.timeZone, now),
    });
    const link = `${deps.config.baseUrl}/meetings/${meeting.id}`;
    await enqueueEmails(tx, {
      at: now,
      messages: recipients.map((r) =>
        meetingCancelledMessage({
          to: r.email,
          name: r.name,
          locale: r.locale ?? association.defaultLocale,
          association: association.name,
          timeZone: association.timeZone,
          meeting,
          reason: input.reason,
          link,
        }),
      ),
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.meeting_cancelled',
      entityType: 'meeting',
      entityId: meeting.id,
      after: { reason: input.reason, notified: recipients.length },
      at: now,
    });
  });
  deps.kickOutbox();
}
