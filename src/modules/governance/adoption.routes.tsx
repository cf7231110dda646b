import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { handleForm } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { markAmendmentMerged } from './adoption.usecases.js';
import { MergeRefusedPage } from './adoption.views.js';

/** The board records that an adopted amendment it merged by hand is in the new version. */
export function adoptionRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/meetings/:id/proposals/:pid/merged', requirePermission('documents.manage'), (c) => {
    const meetingId = c.req.param('id');
    const proposalId = c.req.param('pid');
    return handleForm(c, {
      schema: z.object({}),
      render: (state, status) =>
        page(c, {
          title: c.get('t')('adoption.merge.mark'),
          status,
          body: (
            <MergeRefusedPage c={c} meetingId={meetingId} proposalId={proposalId} state={state} />
          ),
        }),
      run: async () => {
        await markAmendmentMerged(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId,
          proposalId,
        });
        return redirectWithFlash(
          c,
          `/meetings/${meetingId}/proposals/${proposalId}`,
          'adoption.merge.done',
        );
      },
    });
  });

  return app;
}
