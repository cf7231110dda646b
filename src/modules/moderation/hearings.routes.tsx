import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { viewableCase } from './cases.repository.js';
import { listHearings } from './hearings.repository.js';
import { answerOwnHearing, ownHearing, sendHearing } from './hearings.usecases.js';
import { HearingPanel, MemberHearingPage } from './hearings.views.js';
import { answerSchema, hearingSchema } from './reports.schemas.js';

type C = Context<AppEnv>;

const today = (c: C) =>
  todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('ctx').clock.now());

/** Sending the notice (moderators) and the member's answer page (the member alone). */
export function hearingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handle = requirePermission('moderation.handle');

  // The send form lives on the case page; a refused form comes back on a page of its own.
  const renderSend = async (c: C, state: FormState, status: number) => {
    const user = c.get('user')!;
    const { db } = c.get('ctx');
    const kase = await viewableCase(db, {
      caseId: c.req.param('id') ?? '',
      viewer: { id: user.id, memberId: user.memberId, permissions: user.permissions },
    });
    return page(c, {
      title: c.get('t')('moderation.hearing.title'),
      status,
      body: (
        <>
          <HearingPanel
            c={c}
            caseId={kase.id}
            hearings={await listHearings(db, kase.id)}
            today={today(c)}
            canHandle
            caseOpen={kase.status === 'open' || kase.status === 'hearing'}
            state={state}
          />
          <p>
            <a href={`/moderation/cases/${kase.id}`}>
              {c.get('t')('moderation.queue.case_n', { number: kase.number })}
            </a>
          </p>
        </>
      ),
    });
  };

  app.post('/moderation/cases/:id/hearing', handle, (c) =>
    handleForm(c, {
      schema: hearingSchema,
      render: (state, status) => renderSend(c, state, status),
      run: async (input) => {
        const user = c.get('user')!;
        await sendHearing(c.get('ctx'), {
          actor: actorOf(c),
          viewer: { id: user.id, memberId: user.memberId, permissions: user.permissions },
          caseId: c.req.param('id'),
          accusation: input.accusation,
          aupClause: input.aup_clause,
          deadlineDays: input.deadline_days,
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${c.req.param('id')}`,
          'moderation.hearing.sent_flash',
        );
      },
    }),
  );

  const renderOwn = async (c: C, state: FormState, status = 200) => {
    const { hearing, caseNumber } = await ownHearing(c.get('ctx').db, {
      hearingId: c.req.param('id') ?? '',
      memberId: c.get('user')!.memberId,
    });
    return page(c, {
      title: c.get('t')('moderation.hearing.title'),
      status,
      body: (
        <MemberHearingPage
          c={c}
          hearing={hearing}
          caseNumber={caseNumber}
          today={today(c)}
          state={state}
        />
      ),
    });
  };

  app.get('/moderation/hearings/:id', requireUser(), (c) => renderOwn(c, emptyForm()));

  app.post('/moderation/hearings/:id', requireUser(), (c) =>
    handleForm(c, {
      schema: answerSchema,
      render: (state, status) => renderOwn(c, state, status),
      run: async (input) => {
        await answerOwnHearing(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')!.memberId,
          hearingId: c.req.param('id'),
          answer: input.answer,
        });
        return redirectWithFlash(
          c,
          `/moderation/hearings/${c.req.param('id')}`,
          'moderation.hearing.answered_flash',
        );
      },
    }),
  );

  return app;
}
