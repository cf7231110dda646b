import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { actorOf } from '../../app/middleware.js';
import { answerDiscourseRequest, checkDiscourseRequest } from './discourse.js';
import { renderDiscourseRefusal } from './discourse.views.js';

/**
 * DiscourseConnect provider endpoint: the service's discourse_connect_url is
 * `<BASE_URL>/sso/discourse/<slug>`. Discourse sends the browser here with `sso` and
 * `sig`; we send it back to return_sso_url with the member's details, signed.
 */
export function discourseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/sso/discourse/:slug{[a-z0-9][a-z0-9-]*}', async (c) => {
    const ctx = c.get('ctx');
    // Checked before the login page, so a forged or replayed link never gets that far.
    const request = await checkDiscourseRequest(ctx, {
      slug: c.req.param('slug'),
      sso: c.req.query('sso'),
      sig: c.req.query('sig'),
    });
    const user = c.get('user');
    if (!user) {
      const back = c.req.path + new URL(c.req.url).search;
      return c.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
    }
    const answer = await answerDiscourseRequest(ctx, {
      ...request,
      user,
      actor: actorOf(c),
      now: ctx.clock.now(),
    });
    if (!answer.allowed)
      return renderDiscourseRefusal(c, {
        service: request.service,
        refusal: answer.refusal,
        standing: answer.standing,
      });
    // The member's details travel in the URL, as the protocol has it; keep them out of
    // caches and referrers.
    c.header('Cache-Control', 'no-store');
    return c.redirect(answer.redirectTo, 302);
  });

  return app;
}
