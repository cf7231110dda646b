import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { page } from '../../app/layout.js';
import { checkServiceAccess } from '../services/access.js';
import { findEnabledClient } from './oidc-adapter.js';
import { ConsentPage, ContinuePage, ExpiredPage, RefusedPage } from './oidc-interaction.views.js';
import { oidcProviderFor } from './oidc-mount.js';

// The login and consent interactions of the OpenID Connect provider, on Allmenning's own
// pages and session: a member already logged in goes straight through; one who is not
// logs in on /login and comes back here. The gate decides before anything is granted.

type Interaction = Awaited<
  ReturnType<Awaited<ReturnType<typeof oidcProviderFor>>['provider']['interactionDetails']>
>;

function nodeOf(c: Context<AppEnv>): { req: IncomingMessage; res: ServerResponse } {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  if (!env?.incoming || !env.outgoing) throw new Error('OIDC interactions need the node server');
  return { req: env.incoming, res: env.outgoing };
}

/** The interaction named by the URL and the browser's interaction cookie, or null. */
async function loadInteraction(c: Context<AppEnv>) {
  const built = await oidcProviderFor(c.get('ctx'));
  const { req, res } = nodeOf(c);
  let details: Interaction;
  try {
    details = await built.provider.interactionDetails(req, res);
  } catch {
    return null; // no cookie, expired, finished, or the session changed
  }
  if (details.uid !== c.req.param('uid')) return null;
  const clientId = details.params['client_id'];
  if (typeof clientId !== 'string') return null;
  const client = await findEnabledClient(c.get('ctx').db, clientId);
  if (!client) return null;
  const service = await c
    .get('ctx')
    .db.selectFrom('services')
    .select('name')
    .where('id', '=', client.service_id)
    .executeTakeFirst();
  return { ...built, details, client, serviceName: service?.name ?? client.name };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadInteraction>>>;

function expired(c: Context<AppEnv>) {
  return page(c, {
    title: c.get('t')('sso.expired.title'),
    status: 400,
    body: <ExpiredPage c={c} />,
  });
}

/**
 * Back to the provider. After a form on our own pages the browser is sent on by a page
 * (Refresh header and a link), not a redirect, so that our form-action 'self' policy does
 * not block the redirect chain that ends at the service.
 */
function proceed(c: Context<AppEnv>, loaded: Loaded, to: string) {
  const fromOurPage = c.req.method === 'POST' || c.req.header('sec-fetch-site') === 'same-origin';
  if (!fromOurPage) return c.redirect(to, 303);
  c.header('Refresh', `0; url=${to}`);
  return page(c, {
    title: c.get('t')('sso.continue.title'),
    body: <ContinuePage c={c} to={to} service={loaded.serviceName} />,
  });
}

/** The gate for this user at this client's service; a refusal page when it says no. */
async function gateOrRefuse(c: Context<AppEnv>, loaded: Loaded) {
  const ctx = c.get('ctx');
  const user = c.get('user')!;
  const access = await checkServiceAccess(ctx.db, {
    userId: user.id,
    serviceId: loaded.client.service_id,
    now: ctx.clock.now(),
  });
  if (access.allowed) return null;
  return page(c, {
    title: c.get('t')('sso.refused.title', { service: loaded.serviceName }),
    status: 403,
    body: (
      <RefusedPage
        c={c}
        uid={loaded.details.uid}
        service={loaded.serviceName}
        refusal={access.refusal}
        standing={access.standing}
      />
    ),
  });
}

async function grantConsent(loaded: Loaded, accountId: string): Promise<string> {
  const { provider, details } = loaded;
  const clientId = loaded.client.id;
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const promptDetails = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
  };
  if (promptDetails.missingOIDCScope?.length)
    grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
  if (promptDetails.missingOIDCClaims?.length) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
  return grant.save();
}

export function ssoRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/sso/interaction/:uid', async (c) => {
    const loaded = await loadInteraction(c);
    if (!loaded) return expired(c);
    const user = c.get('user');
    const uid = loaded.details.uid;
    if (!user)
      return c.redirect(`/login?next=${encodeURIComponent(`/sso/interaction/${uid}`)}`, 303);

    const refused = await gateOrRefuse(c, loaded);
    if (refused) return refused;

    const { details, provider } = loaded;
    const { req, res } = nodeOf(c);
    // Login, or a consent asked for a session that belongs to someone else: the member
    // logged in to Allmenning is the one who logs in to the service.
    if (details.prompt.name === 'login' || details.session?.accountId !== user.id) {
      const to = await provider.interactionResult(req, res, { login: { accountId: user.id } });
      return proceed(c, loaded, to);
    }
    if (loaded.client.first_party === 1) {
      const grantId = await grantConsent(loaded, user.id);
      const to = await provider.interactionResult(req, res, { consent: { grantId } });
      return proceed(c, loaded, to);
    }
    const scope = details.params['scope'];
    const scopes = typeof scope === 'string' ? scope.split(' ') : [];
    return page(c, {
      title: c.get('t')('sso.consent.title', { service: loaded.serviceName }),
      body: <ConsentPage c={c} uid={uid} service={loaded.serviceName} scopes={scopes} />,
    });
  });

  app.post('/sso/interaction/:uid/consent', async (c) => {
    const loaded = await loadInteraction(c);
    if (!loaded) return expired(c);
    const user = c.get('user');
    if (
      !user ||
      loaded.details.prompt.name !== 'consent' ||
      loaded.details.session?.accountId !== user.id
    )
      return c.redirect(`/sso/interaction/${loaded.details.uid}`, 303);
    const refused = await gateOrRefuse(c, loaded);
    if (refused) return refused;
    const grantId = await grantConsent(loaded, user.id);
    const { req, res } = nodeOf(c);
    const to = await loaded.provider.interactionResult(req, res, { consent: { grantId } });
    return proceed(c, loaded, to);
  });

  // The member goes back to the service without logging in (refused by the gate, or
  // declining consent): the service receives access_denied.
  app.post('/sso/interaction/:uid/abort', async (c) => {
    const loaded = await loadInteraction(c);
    if (!loaded) return expired(c);
    const { req, res } = nodeOf(c);
    const to = await loaded.provider.interactionResult(
      req,
      res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
    return proceed(c, loaded, to);
  });

  return app;
}
