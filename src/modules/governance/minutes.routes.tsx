import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { AppError } from '../../app/errors.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requireUser } from '../../app/middleware.js';
import { meetingTitle } from './governance.labels.js';
import type { Meeting } from './meetings.repository.js';
import { visibleMeeting } from './meetings.routes.js';
import { MinutesErrors } from './minutes.errors.js';
import { renderMinutesPdf } from './minutes.pdf.js';
import {
  findMinutes,
  listArchive,
  listConfirmers,
  listEligibleConfirmers,
  type Minutes,
} from './minutes.repository.js';
import {
  confirmersSchema,
  editMinutesSchema,
  emptySchema,
  revisionSchema,
} from './minutes.schemas.js';
import {
  chooseConfirmers,
  confirmMinutes,
  draftMinutes,
  minutesAccess,
  saveMinutes,
  sendBack,
  sendForConfirmation,
} from './minutes.usecases.js';
import { MinutesArchivePage, MinutesEditPage, MinutesPage } from './minutes.views.js';

type C = Context<AppEnv>;

/**
 * The minutes a viewer may read: officers (secretary, chair, board) always; the chosen
 * confirmers once sent to them; members when locked and published. Others: refused.
 */
export async function readableMinutes(
  c: C,
  meetingId: string,
): Promise<{ meeting: Meeting; minutes: Minutes | null; officer: boolean }> {
  const { db } = c.get('ctx');
  const meeting = await visibleMeeting(c, meetingId);
  const access = await minutesAccess(db, c.get('user'), meeting.id);
  const minutes = await findMinutes(db, meeting.id);
  if (access.officer) return { meeting, minutes, officer: true };
  if (access.confirmer && minutes && minutes.status !== 'draft')
    return { meeting, minutes, officer: false };
  if (!access.member) throw MinutesErrors.membersOnly();
  if (minutes?.status !== 'locked') throw MinutesErrors.notFound();
  return { meeting, minutes, officer: false };
}

/** Declared on the routes that write: the meeting's secretary or chair, or the board. */
const officerOnly = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const access = await minutesAccess(c.get('ctx').db, c.get('user'), c.req.param('id') ?? '');
  if (!access.officer) throw MinutesErrors.notOfficer();
  return next();
};

/** Declared on the confirmation: one of the two attendees the meeting chose. */
const confirmerOnly = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const access = await minutesAccess(c.get('ctx').db, c.get('user'), c.req.param('id') ?? '');
  if (!access.confirmer) throw MinutesErrors.notConfirmer();
  return next();
};

async function renderMinutes(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const { meeting, minutes, officer } = await readableMinutes(c, c.req.param('id') ?? '');
  return page(c, {
    title: `${c.get('t')('minutes.title')}: ${meetingTitle(c.get('t'), meeting)}`,
    status,
    body: (
      <MinutesPage
        c={c}
        meeting={meeting}
        minutes={minutes}
        confirmers={await listConfirmers(db, meeting.id)}
        eligible={
          officer && minutes?.status === 'draft' ? await listEligibleConfirmers(db, meeting.id) : []
        }
        officer={officer}
        state={state}
      />
    ),
  });
}

async function renderEdit(c: C, state: FormState | null, status = 200, stale = false) {
  const { meeting, minutes } = await readableMinutes(c, c.req.param('id') ?? '');
  if (!minutes) throw MinutesErrors.notFound();
  if (minutes.status === 'locked') throw MinutesErrors.locked();
  if (minutes.status !== 'draft') throw MinutesErrors.notDraft();
  // After a stale save: the typed text stays, the form now carries the saved revision.
  const shown = state
    ? {
        ...state,
        values: { ...state.values, ...(stale ? { revision: String(minutes.revision) } : {}) },
      }
    : emptyForm({ body: minutes.body, revision: String(minutes.revision) });
  return page(c, {
    title: c.get('t')('minutes.edit.title'),
    status,
    body: (
      <MinutesEditPage
        c={c}
        meeting={meeting}
        minutes={minutes}
        state={shown}
        theirs={stale ? minutes : null}
      />
    ),
  });
}

/** Minutes: the archive, a meeting's minutes (HTML and PDF), drafting, editing, confirming. */
export function minutesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const user = requireUser();
  const officer = officerOnly();
  const confirmer = confirmerOnly();
  const back = (c: C, key: Parameters<typeof redirectWithFlash>[2]) =>
    redirectWithFlash(c, `/meetings/${c.req.param('id')}/minutes`, key);

  app.get('/governance/minutes', user, async (c) => {
    const u = c.get('user');
    const board = !!u?.permissions.has('meetings.manage');
    const member = !!u?.memberId && (u.memberStatus === 'active' || u.memberStatus === 'suspended');
    if (!board && !member) throw MinutesErrors.membersOnly();
    const entries = await listArchive(c.get('ctx').db, { includeDrafts: board });
    return page(c, {
      title: c.get('t')('minutes.archive.title'),
      body: <MinutesArchivePage c={c} entries={entries} showStatus={board} />,
    });
  });

  app.get('/meetings/:id/minutes', user, (c) => renderMinutes(c, emptyForm()));

  app.get('/meetings/:id/minutes.pdf', user, async (c) => {
    const { db } = c.get('ctx');
    const { meeting, minutes } = await readableMinutes(c, c.req.param('id'));
    if (minutes?.status !== 'locked') throw MinutesErrors.notFound();
    const association = c.get('association');
    const locale = association?.defaultLocale ?? 'nb';
    const pdf = await renderMinutesPdf({
      associationName: association?.name ?? '',
      title: meetingTitle(c.get('t'), meeting),
      body: minutes.body,
      confirmers: await listConfirmers(db, meeting.id),
      lockedAt: minutes.lockedAt,
      sha256: minutes.bodySha256,
      locale,
      timeZone: association?.timeZone ?? 'Europe/Oslo',
    });
    const name = locale === 'nb' ? 'protokoll' : 'minutes';
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${name}-${meeting.meetingDate}.pdf"`,
      'Cache-Control': 'private, no-store',
    });
  });

  app.post('/meetings/:id/minutes', user, officer, (c) =>
    handleForm(c, {
      schema: emptySchema,
      render: (state, status) => renderMinutes(c, state, status),
      run: async () => {
        await draftMinutes(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
        });
        return back(c, 'minutes.drafted');
      },
    }),
  );

  app.get('/meetings/:id/minutes/edit', user, officer, (c) => renderEdit(c, null));

  app.post('/meetings/:id/minutes/edit', user, officer, (c) => {
    // Set when this save is refused as stale: the page then shows the saved version too.
    let stale = false;
    return handleForm(c, {
      schema: editMinutesSchema,
      render: (state, status) => renderEdit(c, state, status, stale),
      run: async (input) => {
        try {
          await saveMinutes(c.get('ctx'), {
            actor: actorOf(c),
            user: c.get('user'),
            meetingId: c.req.param('id'),
            body: input.body,
            revision: input.revision,
          });
        } catch (err) {
          stale = err instanceof AppError && err.code === MinutesErrors.stale.code;
          throw err;
        }
        return back(c, 'minutes.saved');
      },
    });
  });

  app.post('/meetings/:id/minutes/confirmers', user, officer, (c) =>
    handleForm(c, {
      schema: confirmersSchema,
      render: (state, status) => renderMinutes(c, state, status),
      run: async (input) => {
        await chooseConfirmers(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          memberIds: [input.first, input.second],
        });
        return back(c, 'minutes.confirmers.chosen');
      },
    }),
  );

  app.post('/meetings/:id/minutes/send', user, officer, (c) =>
    handleForm(c, {
      schema: revisionSchema,
      render: (state, status) => renderMinutes(c, state, status),
      run: async (input) => {
        await sendForConfirmation(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          revision: input.revision,
        });
        return back(c, 'minutes.sent');
      },
    }),
  );

  app.post('/meetings/:id/minutes/send-back', user, officer, (c) =>
    handleForm(c, {
      schema: emptySchema,
      render: (state, status) => renderMinutes(c, state, status),
      run: async () => {
        await sendBack(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
        });
        return back(c, 'minutes.sent_back');
      },
    }),
  );

  app.post('/meetings/:id/minutes/confirm', user, confirmer, (c) =>
    handleForm(c, {
      schema: revisionSchema,
      render: (state, status) => renderMinutes(c, state, status),
      run: async (input) => {
        const { locked } = await confirmMinutes(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          meetingId: c.req.param('id'),
          revision: input.revision,
        });
        return back(c, locked ? 'minutes.published' : 'minutes.confirmed');
      },
    }),
  );

  return app;
}
