import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, CurrentUser } from '../../app/context.js';
import { sha256 } from '../../app/crypto.js';
import { CommonErrors } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { newToken } from '../../app/ids.js';
import { GovernanceErrors } from './governance.errors.js';
import { AGENDA_KINDS, MEETING_FORMATS, MEETING_KINDS } from './governance.tables.js';
import { findMeeting, type AgendaItem, type Meeting } from './meetings.repository.js';
import { requestKeyField } from './meetings.schemas.js';
import { isMember, visibleMeeting } from './meetings.routes.js';
import { isMeetingOfficer, type MeetingRow } from './register.usecases.js';

// What the governance operations of /api/v1 share: the meeting's shape, the idempotency
// key, and who reads a meeting as its board does.

type C = Context<AppEnv>;

export const MEETING_STATUSES = ['scheduled', 'in_progress', 'closed', 'cancelled'] as const;

const KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The one-time key of a creating request: the `Idempotency-Key` header, else the body's
 * `request_key`, else a fresh one (that request is then not recognised when retried).
 * Stored scoped to the token's owner, so two clients choosing the same key never meet.
 */
export function requestKeyFor(c: C, bodyKey: string | undefined): string {
  const given = c.req.header('idempotency-key') ?? bodyKey;
  if (given === undefined) return newToken(18);
  if (!KEY_PATTERN.test(given)) {
    const field = c.req.header('idempotency-key') !== undefined ? 'Idempotency-Key' : 'request_key';
    throw CommonErrors.validation(undefined, {
      [field]: {
        nb: `${translator('nb')('form.invalid')} (16–64: A–Z a–z 0–9 _ -)`,
        en: `${translator('en')('form.invalid')} (16–64: A–Z a–z 0–9 _ -)`,
      },
    });
  }
  return `api-${sha256(`${c.get('user')?.id ?? ''}:${given}`).slice(0, 40)}`;
}

/**
 * A page's form schema with its `request_key` optional, for the API (the key comes from
 * the Idempotency-Key header, or is made fresh). safeExtend keeps the form's cross-field
 * checks; its types allow only narrowing a field, hence the cast of the result.
 */
export function withOptionalRequestKey<S extends z.ZodObject>(schema: S) {
  return schema.safeExtend({ request_key: requestKeyField.optional() }) as unknown as z.ZodType<
    Omit<z.output<S>, 'request_key'> & { request_key?: string | undefined }
  >;
}

/** A repeated request answers 200 with the first one's result, and says so. */
export function createdStatus(c: C, created: boolean): 200 | 201 {
  if (!created) c.header('Idempotent-Replayed', 'true');
  return created ? 201 : 200;
}

/**
 * Reads the meeting as its board does: the meeting's officers (the board, the chair and
 * the secretary), and a token with governance:read owned by a board member.
 */
export function readsAsBoard(user: CurrentUser | null, meeting: MeetingRow): boolean {
  return isMeetingOfficer(user, meeting) || !!user?.permissions.has('meetings.read');
}

/** The meeting if the caller may see it: as the pages decide, and to the board's readers. */
export async function meetingFor(c: C, id: string): Promise<Meeting> {
  if (c.get('user')?.permissions.has('meetings.read')) {
    const meeting = await findMeeting(c.get('ctx').db, id);
    if (!meeting) throw GovernanceErrors.meetingNotFound();
    return meeting;
  }
  return visibleMeeting(c, id);
}

export const meetingResponse = z.object({
  id: z.string(),
  kind: z.enum(MEETING_KINDS),
  title: z.string().nullable(),
  startsAt: z.string(),
  meetingDate: z.string(),
  format: z.enum(MEETING_FORMATS),
  place: z.string().nullable(),
  /** The online meeting's link: for active members and the board (else null, see hasUrl). */
  url: z.string().nullable(),
  hasUrl: z.boolean(),
  description: z.string().nullable(),
  status: z.enum(MEETING_STATUSES),
  noticeDays: z.number().int(),
  proposalDeadlineOn: z.string().nullable(),
  publicationOn: z.string().nullable(),
  qualifyingOn: z.string().nullable(),
  noticeSentAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

export const agendaItemResponse = z.object({
  id: z.string(),
  position: z.number().int(),
  kind: z.enum(AGENDA_KINDS),
  title: z.string().nullable(),
  description: z.string().nullable(),
  mandatory: z.boolean(),
});

/** As the meeting page: the link to an online meeting is for active members and the board. */
export function seesMeetingLink(user: CurrentUser | null): boolean {
  if (!user) return false;
  if (user.permissions.has('meetings.manage') || user.permissions.has('meetings.read')) return true;
  return isMember(user) && user.memberStatus === 'active';
}

export function presentMeeting(m: Meeting, showUrl: boolean): z.infer<typeof meetingResponse> {
  return {
    id: m.id,
    kind: m.kind,
    title: m.title,
    startsAt: m.startsAt,
    meetingDate: m.meetingDate,
    format: m.format,
    place: m.place,
    url: showUrl ? m.url : null,
    hasUrl: m.url !== null,
    description: m.description,
    status: m.status,
    noticeDays: m.noticeDays,
    proposalDeadlineOn: m.proposalDeadlineOn,
    publicationOn: m.publicationOn,
    qualifyingOn: m.qualifyingOn,
    noticeSentAt: m.noticeSentAt,
    cancelledAt: m.cancelledAt,
    cancelReason: m.cancelReason,
  };
}

export function presentAgendaItem(a: AgendaItem): z.infer<typeof agendaItemResponse> {
  return {
    id: a.id,
    position: a.position,
    kind: a.kind,
    title: a.title,
    description: a.description,
    mandatory: a.mandatory,
  };
}
