import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import {
  formValuesOf,
  SecretsShownPage,
  ServiceFormPage,
  ServicesAdminPage,
} from './catalogue.views.js';
import { MyServicesPage, type RequestError } from './my-services.views.js';
import { RequestsQueuePage, ServiceAccessPage, type DecisionError } from './requests.views.js';
import {
  decideAccessRequest,
  grantDirectly,
  myServices,
  requestAccess,
} from './service-access.usecases.js';
import { ServiceErrors } from './services.errors.js';
import { findService, listAccess, listServices, type Service } from './services.repository.js';
import {
  accessDecisionSchema,
  accessRequestSchema,
  directGrantSchema,
  serviceFormSchema,
  SLUG_PATTERN,
  withOffices,
} from './services.schemas.js';
import { createService, editService, type ShownSecrets } from './services.usecases.js';
import { idParam, serviceParam } from './service-param.js';
import { setupRoutes } from './setup.routes.js';

/** A local path to go back to after a decision (never an outside address). */
function backPath(value: string | undefined, fallback: string): string {
  return value && /^\/admin\/services(\/[0-9a-z/-]*)?$/.test(value) ? value : fallback;
}

async function renderMine(c: Context<AppEnv>, error: RequestError | null = null, status = 200) {
  const { db, clock } = c.get('ctx');
  const { standing, services } = await myServices(db, {
    userId: c.get('user')!.id,
    now: clock.now(),
  });
  return page(c, {
    title: c.get('t')('services.mine.title'),
    status,
    body: <MyServicesPage c={c} standing={standing} services={services} error={error} />,
  });
}

async function renderForm(
  c: Context<AppEnv>,
  service: Service | null,
  state: FormState,
  status = 200,
) {
  const t = c.get('t');
  return page(c, {
    title: service
      ? t('services.form.edit_title', { name: service.name })
      : t('services.form.new_title'),
    status,
    body: <ServiceFormPage c={c} state={state} service={service} />,
  });
}

function afterSave(c: Context<AppEnv>, service: Service, secrets: ShownSecrets, created: boolean) {
  if (!secrets.webhookSecret && !secrets.discourseSecret)
    return redirectWithFlash(
      c,
      `/admin/services/${service.id}`,
      created ? 'services.flash.created' : 'services.flash.saved',
    );
  // Shown once, in this answer only: never cached, never redirected to.
  c.header('Cache-Control', 'no-store');
  return page(c, {
    title: c.get('t')('services.secrets.title', { name: service.name }),
    status: created ? 201 : 200,
    body: (
      <SecretsShownPage
        c={c}
        service={service}
        secrets={secrets}
        baseUrl={c.get('ctx').config.baseUrl}
      />
    ),
  });
}

async function renderQueue(c: Context<AppEnv>, error: DecisionError | null = null, status = 200) {
  const items = await listAccess(c.get('ctx').db, { status: 'requested' });
  return page(c, {
    title: c.get('t')('services.requests.title'),
    status,
    body: <RequestsQueuePage c={c} items={items} error={error} />,
  });
}

async function renderAccess(
  c: Context<AppEnv>,
  service: Service,
  opts: { grantState?: FormState; error?: DecisionError; status?: number } = {},
) {
  const items = await listAccess(c.get('ctx').db, { serviceId: service.id });
  return page(c, {
    title: c.get('t')('services.access_page.title', { name: service.name }),
    status: opts.status ?? 200,
    body: (
      <ServiceAccessPage
        c={c}
        service={service}
        items={items}
        grantState={opts.grantState ?? emptyForm()}
        error={opts.error ?? null}
      />
    ),
  });
}

/** Service catalogue (admin), members' services page and access requests, setup guides. */
export function servicesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manage = requirePermission('services.manage');

  // --- members ---------------------------------------------------------------
  app.get('/services', requireUser(), (c) => renderMine(c));

  app.post('/services/:slug/request', requireUser(), (c) => {
    const slug = c.req.param('slug');
    if (!SLUG_PATTERN.test(slug)) throw ServiceErrors.notFound();
    return handleForm(c, {
      schema: accessRequestSchema,
      render: (state, status) => renderMine(c, { slug, state }, status),
      run: async (input) => {
        await requestAccess(c.get('ctx'), {
          actor: actorOf(c),
          userId: c.get('user')!.id,
          slug,
          note: input.note,
        });
        return redirectWithFlash(c, `/services#service-${slug}`, 'services.flash.requested');
      },
    });
  });

  // --- administrators: catalogue ----------------------------------------------
  app.get('/admin/services', manage, async (c) => {
    const { db } = c.get('ctx');
    const [services, pending] = await Promise.all([
      listServices(db, { includeRetired: true }),
      listAccess(db, { status: 'requested' }),
    ]);
    return page(c, {
      title: c.get('t')('services.admin.title'),
      body: <ServicesAdminPage c={c} services={services} pending={pending.length} />,
    });
  });

  app.get('/admin/services/new', manage, (c) =>
    renderForm(
      c,
      null,
      emptyForm({
        kind: 'shared',
        software: 'other',
        loginMethod: 'oidc',
        accessPolicy: 'all_members',
        status: 'active',
        sortOrder: '0',
        connector: 'none',
      }),
    ),
  );

  app.post('/admin/services', manage, async (c) =>
    handleForm(c, {
      schema: serviceFormSchema,
      values: withOffices(await formValues(c)),
      render: (state, status) => renderForm(c, null, state, status),
      run: async (service) => {
        const saved = await createService(c.get('ctx'), { actor: actorOf(c), service });
        return afterSave(c, saved.service, saved.secrets, true);
      },
    }),
  );

  // --- administrators: access requests ----------------------------------------
  app.get('/admin/services/requests', manage, (c) => renderQueue(c));

  app.post('/admin/services/requests/:id', manage, async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) throw ServiceErrors.accessNotFound();
    const values = await formValues(c);
    const back = backPath(values['back'], '/admin/services/requests');
    return handleForm(c, {
      schema: accessDecisionSchema,
      values,
      render: async (state, status) => {
        const error = { accessId: id.data, state };
        const m = /^\/admin\/services\/([0-9a-z]+)\/access$/.exec(back);
        const service = m ? await findService(c.get('ctx').db, m[1]!) : null;
        return service
          ? renderAccess(c, service, { error, status })
          : renderQueue(c, error, status);
      },
      run: async (input) => {
        await decideAccessRequest(c.get('ctx'), {
          actor: actorOf(c),
          accessId: id.data,
          decision: input.decision,
          reason: input.reason,
        });
        return redirectWithFlash(c, back, `services.flash.decided_${input.decision}`);
      },
    });
  });

  // --- administrators: one service --------------------------------------------
  app.get('/admin/services/:id', manage, async (c) => {
    const service = await serviceParam(c);
    return renderForm(c, service, emptyForm(formValuesOf(service)));
  });

  app.post('/admin/services/:id', manage, async (c) => {
    const service = await serviceParam(c);
    return handleForm(c, {
      schema: serviceFormSchema,
      values: withOffices(await formValues(c)),
      render: (state, status) => renderForm(c, service, state, status),
      run: async (input) => {
        const saved = await editService(c.get('ctx'), {
          actor: actorOf(c),
          id: service.id,
          service: input,
        });
        return afterSave(c, saved.service, saved.secrets, false);
      },
    });
  });

  app.get('/admin/services/:id/access', manage, async (c) =>
    renderAccess(c, await serviceParam(c)),
  );

  app.post('/admin/services/:id/access/grant', manage, async (c) => {
    const service = await serviceParam(c);
    return handleForm(c, {
      schema: directGrantSchema,
      render: (grantState, status) => renderAccess(c, service, { grantState, status }),
      run: async (input) => {
        await grantDirectly(c.get('ctx'), {
          actor: actorOf(c),
          serviceId: service.id,
          memberNumber: input.memberNumber,
        });
        return redirectWithFlash(
          c,
          `/admin/services/${service.id}/access`,
          'services.flash.decided_grant',
        );
      },
    });
  });

  app.route('/', setupRoutes());
  return app;
}
