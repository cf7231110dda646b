import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { registerAttendee } from './founding.usecases.js';
import { GovernanceErrors } from './governance.errors.js';
import { closeMeeting, setMeetingOfficers } from './meeting-lifecycle.usecases.js';
import { attendeeSchema, officersSchema } from './meetings.schemas.js';
import { findMeeting } from './meetings.repository.js';
import { countPresent, findRegister, listAttendance, listRegister } from './register.repository.js';
import {
  approveRegister,
  freezeRegister,
  loadMeetingRow,
  openMeeting,
  requireOfficer,
  secretaryCheckIn,
  selfCheckIn,
} from './register.usecases.js';
import { RegisterPage } from './register.views.js';

type C = Context<AppEnv>;

const empty = z.object({});
const attendanceSchema = z.object({
  member_number: z.coerce.number().int().positive(),
  action: z.enum(['in', 'out']).default('in'),
});

/** The register page, for the board and the meeting's chair and secretary. */
async function renderRegister(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const id = c.req.param('id') ?? '';
  const meeting = await findMeeting(db, id);
  if (!meeting) throw GovernanceErrors.meetingNotFound();
  requireOfficer(c.get('user'), await loadMeetingRow(db, id));
  return page(c, {
    title: c.get('t')('votes.register.title'),
    status,
    body: (
      <RegisterPage
        c={c}
        meeting={meeting}
        register={await findRegister(db, id)}
        entries={await listRegister(db, id)}
        attendance={await listAttendance(db, id)}
        present={await countPresent(db, id)}
        canManage={!!c.get('user')?.permissions.has('meetings.manage')}
        state={state}
      />
    ),
  });
}

/** Voter register, opening the meeting, and check-in. */
export function registerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manage = requirePermission('meetings.manage');
  const user = requireUser();

  app.get('/meetings/:id/register', user, (c) => renderRegister(c, emptyForm()));

  app.post('/meetings/:id/register/freeze', manage, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderRegister(c, state, status),
      run: async () => {
        await freezeRegister(c.get('ctx'), { actor: actorOf(c), meetingId: c.req.param('id') });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/register`,
          'votes.register.frozen_done',
        );
      },
    }),
  );

  app.post('/meetings/:id/register/approve', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderRegister(c, state, status),
      run: async () => {
        await approveRegister(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/register`,
          'votes.register.approved_done',
        );
      },
    }),
  );

  app.post('/meetings/:id/open', manage, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderRegister(c, state, status),
      run: async () => {
        await openMeeting(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: c.req.param('id'),
          locale: c.get('locale'),
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/register`,
          'votes.meeting.opened',
        );
      },
    }),
  );

  app.post('/meetings/:id/attendance', user, (c) =>
    handleForm(c, {
      schema: attendanceSchema,
      render: (state, status) => renderRegister(c, state, status),
      run: async (input) => {
        await secretaryCheckIn(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          memberNumber: input.member_number,
          out: input.action === 'out',
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/register`,
          'votes.attendance.done',
        );
      },
    }),
  );

  // Running the meeting: the chair and secretary it elected, then closing it.
  app.post('/meetings/:id/officers', manage, (c) =>
    handleForm(c, {
      schema: officersSchema,
      render: (state, status) => renderRegister(c, state, status),
      run: async (input) => {
        await setMeetingOfficers(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: c.req.param('id'),
          chairMemberId: input.chair_member_id,
          secretaryMemberId: input.secretary_member_id,
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/register`,
          'governance.officers.done',
        );
      },
    }),
  );

  app.post('/meetings/:id/close', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderRegister(c, state, status),
      run: async () => {
        await closeMeeting(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
        });
        return redirectWithFlash(c, `/meetings/${c.req.param('id')}`, 'governance.close.done');
      },
    }),
  );

  // The founding meeting: the secretary registers attendees in the room.
  app.post('/meetings/:id/attendees', user, (c) =>
    handleForm(c, {
      schema: attendeeSchema,
      render: (state, status) => renderRegister(c, state, status),
      run: async (input) => {
        const r = await registerAttendee(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          attendee: {
            name: input.name,
            email: input.email,
            wantsMembership: input.wants_membership,
          },
          via: 'secretary',
          ip: c.get('ip'),
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/register`,
          r.arrived ? 'governance.founding.arrived' : 'governance.founding.added',
        );
      },
    }),
  );

  // Self check-in: errors come back on the votes page, where the button is.
  app.post('/meetings/:id/checkin', user, async (c) => {
    const meetingId = c.req.param('id');
    await selfCheckIn(c.get('ctx'), {
      actor: actorOf(c),
      memberId: c.get('user')?.memberId ?? null,
      meetingId,
      locale: c.get('locale'),
    });
    return redirectWithFlash(c, `/meetings/${meetingId}/votes`, 'votes.checkin.done');
  });

  return app;
}
