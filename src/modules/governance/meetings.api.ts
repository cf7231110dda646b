import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import {
  agendaItemResponse,
  createdStatus,
  MEETING_STATUSES,
  meetingFor,
  meetingResponse,
  presentAgendaItem,
  presentMeeting,
  requestKeyFor,
  seesMeetingLink,
  withOptionalRequestKey,
} from './governance.api-support.js';
import { GovernanceErrors } from './governance.errors.js';
import { MEETING_KINDS } from './governance.tables.js';
import { isMember, today } from './meetings.routes.js';
import { findMeeting, listAgenda, listMeetings } from './meetings.repository.js';
import { agendaItemSchema, cancelSchema, moveSchema, scheduleSchema } from './meetings.schemas.js';
import {
  addAgendaItem,
  cancelScheduledMeeting,
  moveAgendaItem,
  removeAgendaItem,
  scheduleMeeting,
} from './meetings.usecases.js';
import { openMeeting } from './register.usecases.js';

// Meetings and their agenda under /api/v1: read as the pages show them (general
// assemblies publicly), scheduled and kept by the board.

type C = Context<AppEnv>;

const TAG = 'governance';

const listQuery = z.object({
  kind: z.enum(MEETING_KINDS).optional(),
  status: z.enum(MEETING_STATUSES).optional(),
  year: z.coerce.number().int().min(2000).max(2200).optional(),
  /** Only meetings still to come (scheduled, today or later). */
  upcoming: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

const scheduleApiSchema = withOptionalRequestKey(scheduleSchema);

const meetingDetailResponse = meetingResponse.extend({ agenda: z.array(agendaItemResponse) });
const agendaResponse = z.object({ agenda: z.array(agendaItemResponse) });

async function meetingDetail(c: C, id: string) {
  const { db } = c.get('ctx');
  const meeting = await findMeeting(db, id);
  if (!meeting) throw GovernanceErrors.meetingNotFound();
  const agenda = await listAgenda(db, id);
  return {
    ...presentMeeting(meeting, seesMeetingLink(c.get('user'))),
    agenda: agenda.map(presentAgendaItem),
  };
}

async function agendaOf(c: C, id: string) {
  const agenda = await listAgenda(c.get('ctx').db, id);
  return { agenda: agenda.map(presentAgendaItem) };
}

export function registerMeetingsApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/meetings',
      summary:
        'Meetings, newest first. Public without a token (general assemblies, as on /meetings); members and the board see board meetings too',
      tag: TAG,
      permission: null,
      auth: 'optional',
      query: listQuery,
      response: z.array(meetingResponse),
    },
    async (c, { query }) => {
      const user = c.get('user');
      const day = today(c);
      const meetings = await listMeetings(c.get('ctx').db, {
        includeBoard:
          !!user?.permissions.has('meetings.manage') ||
          !!user?.permissions.has('meetings.read') ||
          isMember(user),
        limit: 1000,
      });
      return c.json(
        meetings
          .filter(
            (m) =>
              (!query.kind || m.kind === query.kind) &&
              (!query.status || m.status === query.status) &&
              (!query.year || m.meetingDate.startsWith(`${query.year}-`)) &&
              (!query.upcoming || (m.status === 'scheduled' && m.meetingDate >= day)),
          )
          .map((m) => presentMeeting(m, seesMeetingLink(user))),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id',
      summary: 'One meeting with its agenda (public for general assemblies)',
      tag: TAG,
      permission: null,
      auth: 'optional',
      response: meetingDetailResponse,
    },
    async (c) => {
      const meeting = await meetingFor(c, c.req.param('id') ?? '');
      return c.json(await meetingDetail(c, meeting.id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings',
      summary:
        'Schedule a meeting and send its notice by email, as the schedule page does. A date that breaks the notice period is refused (400 governance.notice_too_short, naming the earliest date). Send an Idempotency-Key header (or request_key): a retry returns the same meeting (200) and no second notice',
      tag: TAG,
      permission: 'meetings.manage',
      body: scheduleApiSchema,
      response: meetingDetailResponse.extend({ notified: z.number().int() }),
    },
    async (c, { body }) => {
      const { meeting, created, notified } = await scheduleMeeting(c.get('ctx'), {
        actor: actorOf(c),
        meeting: { ...body, request_key: requestKeyFor(c, body.request_key) },
      });
      return c.json(
        { ...(await meetingDetail(c, meeting.id)), notified },
        createdStatus(c, created),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/cancel',
      summary: 'Cancel a scheduled meeting, with a reason; everyone who had the notice is told',
      tag: TAG,
      permission: 'meetings.manage',
      body: cancelSchema,
      response: meetingDetailResponse,
    },
    async (c, { body }) => {
      const id = c.req.param('id') ?? '';
      await cancelScheduledMeeting(c.get('ctx'), {
        actor: actorOf(c),
        meetingId: id,
        reason: body.reason,
      });
      return c.json(await meetingDetail(c, id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/open',
      summary:
        'Open the meeting on its day: check-in and votes start, and the register of voters freezes if it was not',
      tag: TAG,
      permission: 'meetings.manage',
      response: meetingDetailResponse,
    },
    async (c) => {
      const id = c.req.param('id') ?? '';
      await openMeeting(c.get('ctx'), {
        actor: actorOf(c),
        meetingId: id,
        locale: c.get('locale'),
      });
      return c.json(await meetingDetail(c, id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/agenda',
      summary: 'Add an item to the agenda (before "any other business")',
      tag: TAG,
      permission: 'meetings.manage',
      body: agendaItemSchema,
      response: agendaResponse,
    },
    async (c, { body }) => {
      const id = c.req.param('id') ?? '';
      await addAgendaItem(c.get('ctx'), {
        actor: actorOf(c),
        meetingId: id,
        title: body.title,
        description: body.description,
      });
      return c.json(await agendaOf(c, id), 201);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/agenda/:itemId/move',
      summary: 'Move an agenda item one place up or down (the standing items keep their order)',
      tag: TAG,
      permission: 'meetings.manage',
      body: moveSchema,
      response: agendaResponse,
    },
    async (c, { body }) => {
      const id = c.req.param('id') ?? '';
      await moveAgendaItem(c.get('ctx'), {
        actor: actorOf(c),
        meetingId: id,
        itemId: c.req.param('itemId') ?? '',
        direction: body.direction,
      });
      return c.json(await agendaOf(c, id));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/meetings/:id/agenda/:itemId',
      summary: 'Remove an agenda item (not one the statutes require)',
      tag: TAG,
      permission: 'meetings.manage',
      response: agendaResponse,
    },
    async (c) => {
      const id = c.req.param('id') ?? '';
      await removeAgendaItem(c.get('ctx'), {
        actor: actorOf(c),
        meetingId: id,
        itemId: c.req.param('itemId') ?? '',
      });
      return c.json(await agendaOf(c, id));
    },
  );
}
