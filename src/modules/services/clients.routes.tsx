import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { findClient, listClients, type OidcClient } from './clients.repository.js';
import { clientCreateSchema, clientEditSchema, withScopes } from './clients.schemas.js';
import {
  createClient,
  editClient,
  rotateClientSecret,
  setClientDisabled,
} from './clients.usecases.js';
import {
  ClientEditPage,
  clientFormValues,
  ClientSecretPage,
  ClientsPage,
  NEW_CLIENT_DEFAULTS,
} from './clients.views.js';
import { serviceParam } from './service-param.js';
import { ServiceErrors } from './services.errors.js';
import type { Service } from './services.repository.js';

const clientIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/);

async function clientParam(c: Context<AppEnv>, service: Service): Promise<OidcClient> {
  const id = clientIdParam.safeParse(c.req.param('clientId'));
  const client = id.success
    ? await findClient(c.get('ctx').db, { serviceId: service.id, clientId: id.data })
    : null;
  if (!client) throw ServiceErrors.clientNotFound();
  return client;
}

async function renderClients(c: Context<AppEnv>, service: Service, state: FormState, status = 200) {
  const clients = await listClients(c.get('ctx').db, service.id);
  return page(c, {
    title: c.get('t')('clients.title', { name: service.name }),
    status,
    body: <ClientsPage c={c} service={service} clients={clients} state={state} />,
  });
}

function showSecret(
  c: Context<AppEnv>,
  service: Service,
  client: OidcClient,
  secret: string,
  status: 200 | 201,
) {
  // Shown once, in this answer only: never cached, never redirected to.
  c.header('Cache-Control', 'no-store');
  return page(c, {
    title: c.get('t')('clients.secret_title', { name: client.name }),
    status,
    body: <ClientSecretPage c={c} service={service} client={client} secret={secret} />,
  });
}

/** OpenID Connect clients of a service (administrators): create, edit, new secret, disable. */
export function clientsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manage = requirePermission('services.manage');
  const base = '/admin/services/:id/clients';

  app.get(base, manage, async (c) =>
    renderClients(c, await serviceParam(c), emptyForm(NEW_CLIENT_DEFAULTS)),
  );

  app.post(base, manage, async (c) => {
    const service = await serviceParam(c);
    return handleForm(c, {
      schema: clientCreateSchema,
      values: withScopes(await formValues(c)),
      render: (state, status) => renderClients(c, service, state, status),
      run: async (input) => {
        const { type, ...client } = input;
        const created = await createClient(c.get('ctx'), {
          actor: actorOf(c),
          serviceId: service.id,
          client,
          type,
        });
        if (!created.secret)
          return redirectWithFlash(
            c,
            `/admin/services/${service.id}/clients#client-${created.client.id}`,
            'clients.flash.created',
          );
        return showSecret(c, service, created.client, created.secret, 201);
      },
    });
  });

  app.get(`${base}/:clientId`, manage, async (c) => {
    const service = await serviceParam(c);
    const client = await clientParam(c, service);
    return page(c, {
      title: c.get('t')('clients.edit_title', { name: client.name }),
      body: (
        <ClientEditPage
          c={c}
          service={service}
          client={client}
          state={emptyForm(clientFormValues(client))}
        />
      ),
    });
  });

  app.post(`${base}/:clientId`, manage, async (c) => {
    const service = await serviceParam(c);
    const client = await clientParam(c, service);
    return handleForm(c, {
      schema: clientEditSchema,
      values: withScopes(await formValues(c)),
      render: (state, status) =>
        page(c, {
          title: c.get('t')('clients.edit_title', { name: client.name }),
          status,
          body: <ClientEditPage c={c} service={service} client={client} state={state} />,
        }),
      run: async (input) => {
        await editClient(c.get('ctx'), {
          actor: actorOf(c),
          serviceId: service.id,
          clientId: client.id,
          client: input,
        });
        return redirectWithFlash(
          c,
          `/admin/services/${service.id}/clients#client-${client.id}`,
          'clients.flash.saved',
        );
      },
    });
  });

  app.post(`${base}/:clientId/secret`, manage, async (c) => {
    const service = await serviceParam(c);
    const client = await clientParam(c, service);
    const rotated = await rotateClientSecret(c.get('ctx'), {
      actor: actorOf(c),
      serviceId: service.id,
      clientId: client.id,
    });
    return showSecret(c, service, rotated.client, rotated.secret, 200);
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(`${base}/:clientId/${action}`, manage, async (c) => {
      const service = await serviceParam(c);
      const client = await clientParam(c, service);
      await setClientDisabled(c.get('ctx'), {
        actor: actorOf(c),
        serviceId: service.id,
        clientId: client.id,
        disabled: action === 'disable',
      });
      return redirectWithFlash(
        c,
        `/admin/services/${service.id}/clients#client-${client.id}`,
        action === 'disable' ? 'clients.flash.disabled' : 'clients.flash.enabled',
      );
    });
  }

  return app;
}
