import { z } from 'zod';
import type { ApiRegistry } from '../api/openapi.js';
import { translator } from '../../app/i18n.js';
import { meetingTitle } from './governance.labels.js';
import { MEETING_KINDS } from './governance.tables.js';
import { MinutesErrors } from './minutes.errors.js';
import { listArchive, listConfirmers } from './minutes.repository.js';
import { readableMinutes } from './minutes.routes.js';

// The minutes under /api/v1, read as the pages show them: members read published
// (locked) minutes; the meeting's secretary and chair and the board also drafts.

const MINUTES_STATUSES = ['draft', 'confirming', 'locked'] as const;

const archiveEntryResponse = z.object({
  meetingId: z.string(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  meetingDate: z.string(),
  status: z.enum(MINUTES_STATUSES),
  publishedAt: z.string().nullable(),
});

const minutesResponse = z.object({
  meetingId: z.string(),
  title: z.string(),
  kind: z.enum(MEETING_KINDS),
  meetingDate: z.string(),
  status: z.enum(MINUTES_STATUSES),
  revision: z.number().int(),
  body: z.string(),
  lockedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  bodySha256: z.string().nullable(),
  confirmers: z.array(
    z.object({
      name: z.string(),
      confirmedAt: z.string().nullable(),
      confirmedRevision: z.number().int().nullable(),
    }),
  ),
});

export function registerMinutesApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/governance/minutes',
      summary:
        'The archive of minutes, newest meeting first: published ones for members, drafts too for the board',
      tag: 'governance',
      permission: null,
      response: z.array(archiveEntryResponse),
    },
    async (c) => {
      const user = c.get('user');
      const board = !!user?.permissions.has('meetings.manage');
      const member =
        !!user?.memberId && (user.memberStatus === 'active' || user.memberStatus === 'suspended');
      if (!board && !member) throw MinutesErrors.membersOnly();
      const t = translator(c.get('association')?.defaultLocale ?? 'nb');
      const entries = await listArchive(c.get('ctx').db, { includeDrafts: board });
      return c.json(
        entries.map((e) => ({
          meetingId: e.meetingId,
          kind: e.kind,
          title: meetingTitle(t, e),
          meetingDate: e.meetingDate,
          status: e.status,
          publishedAt: e.publishedAt,
        })),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/minutes',
      summary:
        "A meeting's minutes with who confirmed them (members: published minutes; officers: any state)",
      tag: 'governance',
      permission: null,
      response: minutesResponse,
    },
    async (c) => {
      const { meeting, minutes } = await readableMinutes(c, c.req.param('id') ?? '');
      if (!minutes) throw MinutesErrors.notFound();
      const t = translator(c.get('association')?.defaultLocale ?? 'nb');
      const confirmers = await listConfirmers(c.get('ctx').db, meeting.id);
      return c.json({
        meetingId: meeting.id,
        title: meetingTitle(t, meeting),
        kind: meeting.kind,
        meetingDate: meeting.meetingDate,
        status: minutes.status,
        revision: minutes.revision,
        body: minutes.body,
        lockedAt: minutes.lockedAt,
        publishedAt: minutes.publishedAt,
        bodySha256: minutes.bodySha256,
        confirmers: confirmers.map((p) => ({
          name: p.name,
          confirmedAt: p.confirmedAt,
          confirmedRevision: p.confirmedRevision,
        })),
      });
    },
  );
}
