import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { page } from '../../app/layout.js';
import { requirePermission } from '../../app/middleware.js';
import { listClients } from './clients.repository.js';
import { serviceParam } from './service-param.js';
import { oidcEndpoints, setupGuide } from './setup-guides.js';
import { SetupPage } from './setup.views.js';

/** /admin/services/:id/setup: the guide for the service's software, with this installation's values. */
export function setupRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/admin/services/:id/setup', requirePermission('services.manage'), async (c) => {
    const service = await serviceParam(c);
    const { db, config } = c.get('ctx');
    const clients = await listClients(db, service.id);
    const first = clients.find((cl) => !cl.disabledAt) ?? null;
    // A DiscourseConnect service gets the Discourse guide whatever its software says.
    const software = service.loginMethod === 'discourse' ? 'discourse' : service.software;
    const guide = setupGuide(software, {
      baseUrl: config.baseUrl,
      associationName: c.get('association')?.name ?? 'Allmenning',
      service: { name: service.name, slug: service.slug, url: service.url },
      client: first ? { id: first.id, confidential: first.confidential } : null,
    });
    return page(c, {
      title: c.get('t')('services.setup.title', { name: service.name }),
      body: (
        <SetupPage
          c={c}
          service={service}
          clients={clients}
          guide={guide}
          endpoints={oidcEndpoints(config.baseUrl)}
        />
      ),
    });
  });

  return app;
}
