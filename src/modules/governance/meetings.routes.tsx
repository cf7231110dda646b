import { Hono, type Context } from 'hono';
import type { AppEnv, CurrentUser } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { newToken } from '../../app/ids.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { GovernanceErrors } from './governance.errors.js';
import { meetingTitle } from './governance.labels.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import {
  findMeeting,
  listAgenda,
  listMeetings,
  officerNames,
  type Meeting,
} from './meetings.repository.js';
import {
  agendaItemSchema,
  attendeeSchema,
  cancelSchema,
  moveSchema,
  scheduleSchema,
} from './meetings.schemas.js';
import { registerAttendee } from './founding.usecases.js';
import { minutesLinkFor } from './minutes.usecases.js';
import {
  addAgendaItem,
  cancelScheduledMeeting,
  moveAgendaItem,
  removeAgendaItem,
  scheduleMeeting,
} from './meetings.usecases.js';
import { ManagePage, MeetingPage, MeetingsList, ScheduleForm } from './meetings.views.js';
import type { AgendaDocuments } from './meetings.views.js';
import { getPublished } from '../finance/reports-publish.js';
import type { Db } from '../../app/db.js';
import { listProposals } from './proposals.repository.js';
import { proposalAccess } from './proposals.usecases.js';

type C = Context<AppEnv>;

/** A member whose membership has not ended (active or suspended). */
export function isMember(user: CurrentUser | null): boolean {
  return !!user?.memberId && (user.memberStatus === 'active' || user.memberStatus === 'suspended');
}

export function today(c: C): string {
  return todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('ctx').clock.now());
}

/**
 * A meeting the viewer may see: general assemblies are public; a board meeting is shown to
 * members and the board only (to others it does not exist).
 */
export async function visibleMeeting(c: C, id: string): Promise<Meeting> {
  const meeting = await findMeeting(c.get('ctx').db, id);
  if (!meeting) throw GovernanceErrors.meetingNotFound();
  const user = c.get('user');
  if (meeting.kind === 'board' && !isMember(user) && !user?.permissions.has('meetings.manage'))
    throw GovernanceErrors.meetingNotFound();
  return meeting;
}

export function meetingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manage = requirePermission('meetings.manage');

  app.get('/meetings', async (c) => {
    const user = c.get('user');
    const canManage = !!user?.permissions.has('meetings.manage');
    const meetings = await listMeetings(c.get('ctx').db, {
      includeBoard: canManage || isMember(user),
    });
    return page(c, {
      title: c.get('t')('governance.meetings.title'),
      body: <MeetingsList c={c} meetings={meetings} canManage={canManage} />,
    });
  });

  const renderSchedule = async (c: C, state: FormState, status = 200) => {
    const settings = await getGovernanceSettings(c.get('ctx').db);
    return page(c, {
      title: c.get('t')('governance.schedule.title'),
      status,
      body: <ScheduleForm c={c} state={state} settings={settings} today={today(c)} />,
    });
  };

  app.get('/meetings/new', manage, (c) =>
    renderSchedule(
      c,
      emptyForm({
        request_key: newToken(18),
        kind: c.req.query('kind') ?? 'ordinary',
        time: '18:00',
      }),
    ),
  );

  app.post('/meetings', manage, async (c) => {
    const values = await formValues(c);
    // A form whose key went missing gets a fresh one, so the next submit can succeed.
    values['request_key'] ||= newToken(18);
    return handleForm(c, {
      schema: scheduleSchema,
      values,
      render: (state, status) => renderSchedule(c, state, status),
      run: async (input) => {
        const { meeting } = await scheduleMeeting(c.get('ctx'), {
          actor: actorOf(c),
          meeting: input,
        });
        return redirectWithFlash(c, `/meetings/${meeting.id}`, 'governance.schedule.done');
      },
    });
  });

  const renderMeeting = async (c: C, signup: FormState, status = 200) => {
    const { db } = c.get('ctx');
    const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
    const user = c.get('user');
    const day = today(c);
    const access = proposalAccess({ meeting, today: day, user });
    const proposals =
      access.all || access.own
        ? await listProposals(db, {
            meetingId: meeting.id,
            ...(access.all ? {} : { memberId: access.own! }),
          })
        : [];
    return page(c, {
      title: meetingTitle(c.get('t'), meeting),
      status,
      body: (
        <MeetingPage
          c={c}
          meeting={meeting}
          agenda={await listAgenda(db, meeting.id)}
          proposals={
            access.all
              ? proposals.filter((p) => p.status === 'submitted' || p.memberId === user?.memberId)
              : proposals
          }
          seesAll={access.all}
          isMember={isMember(user) && user?.memberStatus === 'active'}
          canManage={!!user?.permissions.has('meetings.manage')}
          today={day}
          documents={await agendaDocuments(db, meeting.meetingDate)}
          officers={await officerNames(db, meeting)}
          signup={signup}
          minutesLink={await minutesLinkFor(db, user, meeting)}
          proxyLink={
            (meeting.status === 'scheduled' || meeting.status === 'in_progress') &&
            meeting.kind !== 'board' &&
            (await getGovernanceSettings(db)).proxiesEnabled
          }
        />
      ),
    });
  };

  app.get('/meetings/:id', (c) => {
    const user = c.get('user');
    return renderMeeting(c, emptyForm(user ? { name: user.name, email: user.email } : {}));
  });

  // The founding meeting's open call: anyone may register (rate-limited per address).
  app.post('/meetings/:id/attend', (c) =>
    handleForm(c, {
      schema: attendeeSchema,
      render: (state, status) => renderMeeting(c, state, status),
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
          via: 'self',
          ip: c.get('ip'),
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}`,
          r.present ? 'governance.founding.done_during' : 'governance.founding.done_before',
        );
      },
    }),
  );

  const renderManage = async (c: C, state: FormState, status = 200) => {
    const { db } = c.get('ctx');
    const meeting = await findMeeting(db, c.req.param('id') ?? '');
    if (!meeting) throw GovernanceErrors.meetingNotFound();
    return page(c, {
      title: c.get('t')('governance.manage.title'),
      status,
      body: (
        <ManagePage
          c={c}
          meeting={meeting}
          agenda={await listAgenda(db, meeting.id)}
          proposals={await listProposals(db, { meetingId: meeting.id })}
          state={state}
        />
      ),
    });
  };

  app.get('/meetings/:id/manage', manage, (c) => renderManage(c, emptyForm()));

  app.post('/meetings/:id/agenda', manage, (c) =>
    handleForm(c, {
      schema: agendaItemSchema,
      render: (state, status) => renderManage(c, state, status),
      run: async (input) => {
        await addAgendaItem(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: c.req.param('id'),
          title: input.title,
          description: input.description,
        });
        return redirectWithFlash(c, `/meetings/${c.req.param('id')}/manage`, 'flash.saved');
      },
    }),
  );

  app.post('/meetings/:id/agenda/:itemId/move', manage, (c) =>
    handleForm(c, {
      schema: moveSchema,
      render: (state, status) => renderManage(c, state, status),
      run: async (input) => {
        await moveAgendaItem(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: c.req.param('id'),
          itemId: c.req.param('itemId'),
          direction: input.direction,
        });
        return redirectWithFlash(c, `/meetings/${c.req.param('id')}/manage`, 'flash.saved');
      },
    }),
  );

  app.post('/meetings/:id/agenda/:itemId/delete', manage, (c) =>
    handleForm(c, {
      schema: agendaItemSchema.pick({}),
      render: (state, status) => renderManage(c, state, status),
      run: async () => {
        await removeAgendaItem(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: c.req.param('id'),
          itemId: c.req.param('itemId'),
        });
        return redirectWithFlash(c, `/meetings/${c.req.param('id')}/manage`, 'flash.saved');
      },
    }),
  );

  app.post('/meetings/:id/cancel', manage, (c) =>
    handleForm(c, {
      schema: cancelSchema,
      render: (state, status) => renderManage(c, state, status),
      run: async (input) => {
        await cancelScheduledMeeting(c.get('ctx'), {
          actor: actorOf(c),
          meetingId: c.req.param('id'),
          reason: input.reason,
        });
        return redirectWithFlash(c, `/meetings/${c.req.param('id')}`, 'governance.cancel.done');
      },
    }),
  );

  return app;
}

/**
 * The accounts and the budget a general assembly deals with: the latest years the
 * treasurer has published up to the meeting's year (accounts of an earlier year, the
 * budget of the meeting's year or earlier), linked from those agenda items.
 */
async function agendaDocuments(db: Db, meetingDate: string): Promise<AgendaDocuments> {
  const published = await getPublished(db);
  const year = Number(meetingDate.slice(0, 4));
  const latest = (years: number[], max: number) =>
    years
      .filter((y) => y <= max)
      .reduce<number | null>((a, y) => (a === null || y > a ? y : a), null);
  return {
    accountsYear: latest(published.accounts, year),
    budgetYear: latest(published.budgets, year + 1),
  };
}
