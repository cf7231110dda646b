import { z } from 'zod';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import { idParam } from './service-param.js';
import {
  decideAccessRequest,
  myServices,
  requestAccess,
  type MyService,
} from './service-access.usecases.js';
import { ServiceErrors } from './services.errors.js';
import {
  findService,
  listAccess,
  listServices,
  type AccessListItem,
  type Service,
} from './services.repository.js';
import {
  accessDecisionSchema,
  accessRequestSchema,
  checkServiceInput,
  serviceCreateBody,
  servicePatchBody,
  SLUG_PATTERN,
} from './services.schemas.js';
import { ACCESS_STATUSES } from './services.tables.js';
import { createService, editService, inputOf } from './services.usecases.js';

// The services operations of /api/v1: the caller's own services and requests, and the
// administrators' catalogue and access decisions. Secrets are write-only: a response says
// whether one is stored, and shows a generated one only in the answer that made it.

const accessResponse = z.object({
  id: z.string(),
  status: z.enum(ACCESS_STATUSES),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  requestedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
});

const myServiceResponse = z.object({
  slug: z.string(),
  name: z.string(),
  descriptionNb: z.string(),
  descriptionEn: z.string(),
  url: z.string(),
  kind: z.string(),
  status: z.string(),
  accessPolicy: z.string(),
  allowed: z.boolean(),
  refusal: z.string().nullable(),
  canRequest: z.boolean(),
  access: accessResponse.nullable(),
});

const serviceResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  descriptionNb: z.string(),
  descriptionEn: z.string(),
  url: z.string(),
  kind: z.string(),
  software: z.string(),
  loginMethod: z.string(),
  accessPolicy: z.string(),
  offices: z.array(z.string()),
  status: z.string(),
  sortOrder: z.number().int(),
  connector: z.string(),
  connectorUrl: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  hasConnectorToken: z.boolean(),
  hasWebhookSecret: z.boolean(),
  hasDiscourseSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const savedResponse = z.object({
  service: serviceResponse,
  secrets: z.object({
    webhookSecret: z.string().nullable(),
    discourseSecret: z.string().nullable(),
  }),
});

const accessItemResponse = accessResponse.extend({
  serviceId: z.string(),
  serviceSlug: z.string(),
  serviceName: z.string(),
  memberId: z.string(),
  memberNumber: z.number().int(),
  memberName: z.string(),
});

const presentAccess = (a: NonNullable<MyService['access']>) => ({
  id: a.id,
  status: a.status,
  note: a.note,
  reason: a.reason,
  requestedAt: a.requestedAt,
  decidedAt: a.decidedAt,
});

function presentMine(i: MyService) {
  const s = i.service;
  return {
    slug: s.slug,
    name: s.name,
    descriptionNb: s.descriptionNb,
    descriptionEn: s.descriptionEn,
    url: s.url,
    kind: s.kind,
    status: s.status,
    accessPolicy: s.accessPolicy,
    allowed: i.allowed,
    refusal: i.refusal,
    canRequest: i.canRequest,
    access: i.access ? presentAccess(i.access) : null,
  };
}

const presentService = (s: Service) => ({ ...s });

const presentItem = (a: AccessListItem) => ({
  ...presentAccess(a),
  serviceId: a.serviceId,
  serviceSlug: a.serviceSlug,
  serviceName: a.serviceName,
  memberId: a.memberId,
  memberNumber: a.memberNumber,
  memberName: a.memberName,
});

/** The services operations of /api/v1, declared with their OpenAPI entries. */
export function registerServicesApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/services',
      summary:
        "The caller's services: which they may use, which need a request, and why the others are closed",
      tag: 'services',
      permission: null,
      response: z.array(myServiceResponse),
    },
    async (c) => {
      const { db, clock } = c.get('ctx');
      const { services } = await myServices(db, { userId: c.get('user')!.id, now: clock.now() });
      return c.json(services.map(presentMine));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/services/:slug/access-requests',
      summary: 'Requests access to an on-request service for the caller',
      tag: 'services',
      permission: null,
      body: accessRequestSchema,
      response: accessResponse,
    },
    async (c, { body }) => {
      const slug = c.req.param('slug') ?? '';
      if (!SLUG_PATTERN.test(slug)) throw ServiceErrors.notFound();
      const { access } = await requestAccess(c.get('ctx'), {
        actor: actorOf(c),
        userId: c.get('user')!.id,
        slug,
        note: body.note,
      });
      return c.json(presentAccess(access), 201);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/services',
      summary: 'The service catalogue, retired services included (secrets never shown)',
      tag: 'services',
      permission: 'services.manage',
      response: z.array(serviceResponse),
    },
    async (c) =>
      c.json((await listServices(c.get('ctx').db, { includeRetired: true })).map(presentService)),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/services',
      summary:
        'Adds a service. Generated webhook and DiscourseConnect secrets are in this answer only',
      tag: 'services',
      permission: 'services.manage',
      body: serviceCreateBody,
      response: savedResponse,
    },
    async (c, { body }) => {
      checkServiceInput(body);
      const saved = await createService(c.get('ctx'), { actor: actorOf(c), service: body });
      c.header('Cache-Control', 'no-store');
      return c.json({ service: presentService(saved.service), secrets: saved.secrets }, 201);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/services/:id',
      summary: 'One service of the catalogue',
      tag: 'services',
      permission: 'services.manage',
      response: serviceResponse,
    },
    async (c) => {
      const id = idParam.safeParse(c.req.param('id'));
      const service = id.success ? await findService(c.get('ctx').db, id.data) : null;
      if (!service) throw ServiceErrors.notFound();
      return c.json(presentService(service));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/admin/services/:id',
      summary:
        'Changes some fields of a service; connectorToken replaces the stored token, omitted keeps it',
      tag: 'services',
      permission: 'services.manage',
      body: servicePatchBody,
      response: savedResponse,
    },
    async (c, { body }) => {
      const id = idParam.safeParse(c.req.param('id'));
      const current = id.success ? await findService(c.get('ctx').db, id.data) : null;
      if (!current) throw ServiceErrors.notFound();
      const merged = { ...inputOf(current) };
      for (const [key, value] of Object.entries(body))
        if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
      checkServiceInput(merged);
      const saved = await editService(c.get('ctx'), {
        actor: actorOf(c),
        id: current.id,
        service: merged,
      });
      c.header('Cache-Control', 'no-store');
      return c.json({ service: presentService(saved.service), secrets: saved.secrets });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/access-requests',
      summary: "Members' access to services: the waiting requests by default, or any status",
      tag: 'services',
      permission: 'services.manage',
      query: z.object({
        status: z.enum(ACCESS_STATUSES).default('requested'),
        service: z
          .string()
          .regex(/^[0-9a-z]{1,40}$/)
          .optional(),
      }),
      response: z.array(accessItemResponse),
    },
    async (c, { query }) => {
      const items = await listAccess(c.get('ctx').db, {
        status: query.status,
        ...(query.service ? { serviceId: query.service } : {}),
      });
      return c.json(items.map(presentItem));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/admin/access-requests/:id/decision',
      summary:
        'Grants or refuses a request, or withdraws access (a reason is required to refuse or withdraw; the member is emailed)',
      tag: 'services',
      permission: 'services.manage',
      body: accessDecisionSchema,
      response: accessResponse,
    },
    async (c, { body }) => {
      const id = idParam.safeParse(c.req.param('id'));
      if (!id.success) throw ServiceErrors.accessNotFound();
      const { access } = await decideAccessRequest(c.get('ctx'), {
        actor: actorOf(c),
        accessId: id.data,
        decision: body.decision,
        reason: body.reason,
      });
      return c.json(presentAccess(access));
    },
  );
}
