import { z } from 'zod';
import { checkbox } from '../../app/forms.js';
import { OFFICES, type Office } from '../members/members.tables.js';
import {
  ACCESS_POLICIES,
  CONNECTORS,
  LOGIN_METHODS,
  SERVICE_KINDS,
  SERVICE_SOFTWARE,
  SERVICE_STATUSES,
  type AccessPolicy,
  type Connector,
  type LoginMethod,
  type ServiceKind,
  type ServiceSoftware,
  type ServiceStatus,
} from './services.tables.js';
import { uriProblem } from './uri-rules.js';

/** A slug: lower-case letters, digits and inner hyphens; it appears in URLs (/sso/discourse/<slug>). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** What the catalogue form and the API both produce. Secrets are write-only inputs. */
export type ServiceInput = {
  name: string;
  slug: string;
  url: string;
  descriptionNb: string;
  descriptionEn: string;
  kind: ServiceKind;
  software: ServiceSoftware;
  loginMethod: LoginMethod;
  accessPolicy: AccessPolicy;
  offices: Office[];
  status: ServiceStatus;
  sortOrder: number;
  connector: Connector;
  connectorUrl: string | null;
  /** A new admin API token; null keeps the stored one. */
  connectorToken: string | null;
  webhookUrl: string | null;
  /** Generate a new webhook secret (shown once). */
  newWebhookSecret: boolean;
  /** Generate a new DiscourseConnect secret (shown once). */
  newDiscourseSecret: boolean;
};

/** An address Allmenning calls or links to: absolute, https (http only on loopback). */
export const serviceUrl = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .superRefine((v, ctx) => {
    const problem = uriProblem(v);
    if (problem && problem !== 'clients.uri.fragment')
      ctx.addIssue({ code: 'custom', message: problem });
  });

const optionalUrl = z
  .string()
  .trim()
  .max(500)
  .optional()
  .transform((v) => (v ? v : null))
  .superRefine((v, ctx) => {
    if (!v) return;
    const problem = uriProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .regex(SLUG_PATTERN, { message: 'services.field.slug_invalid' });

const description = z.string().trim().max(2000);

/** Rules across fields, the same for the form and the API. */
function crossCheck(v: ServiceInput, ctx: z.RefinementCtx) {
  if (v.accessPolicy === 'by_office' && v.offices.length === 0)
    ctx.addIssue({ code: 'custom', path: ['offices'], message: 'services.field.offices_required' });
  if (v.connector !== 'none' && !v.connectorUrl)
    ctx.addIssue({
      code: 'custom',
      path: ['connectorUrl'],
      message: 'services.field.connector_url_required',
    });
}

/**
 * The HTML form: every value a string. The form has one checkbox per office
 * (office_<name>); withOffices() joins the ticked ones into `offices` first.
 */
export const serviceFormSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    slug,
    url: serviceUrl,
    descriptionNb: description,
    descriptionEn: description,
    kind: z.enum(SERVICE_KINDS),
    software: z.enum(SERVICE_SOFTWARE),
    loginMethod: z.enum(LOGIN_METHODS),
    accessPolicy: z.enum(ACCESS_POLICIES),
    status: z.enum(SERVICE_STATUSES),
    sortOrder: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? Number(v) : 0))
      .pipe(z.number().int().min(-10000).max(10000)),
    connector: z.enum(CONNECTORS),
    connectorUrl: optionalUrl,
    connectorToken: z
      .string()
      .trim()
      .max(2000)
      .optional()
      .transform((v) => (v ? v : null)),
    webhookUrl: optionalUrl,
    newWebhookSecret: checkbox(),
    newDiscourseSecret: checkbox(),
    offices: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',') : []))
      .pipe(z.array(z.enum(OFFICES))),
  })
  .transform((v): ServiceInput => {
    return {
      name: v.name,
      slug: v.slug,
      url: v.url,
      descriptionNb: v.descriptionNb,
      descriptionEn: v.descriptionEn,
      kind: v.kind,
      software: v.software,
      loginMethod: v.loginMethod,
      accessPolicy: v.accessPolicy,
      offices: v.offices,
      status: v.status,
      sortOrder: v.sortOrder,
      connector: v.connector,
      connectorUrl: v.connectorUrl,
      connectorToken: v.connectorToken,
      webhookUrl: v.webhookUrl,
      newWebhookSecret: v.newWebhookSecret,
      newDiscourseSecret: v.newDiscourseSecret,
    };
  })
  .superRefine(crossCheck);

const apiFields = {
  name: z.string().trim().min(1).max(100),
  slug,
  url: serviceUrl,
  descriptionNb: description,
  descriptionEn: description,
  kind: z.enum(SERVICE_KINDS),
  software: z.enum(SERVICE_SOFTWARE),
  loginMethod: z.enum(LOGIN_METHODS),
  accessPolicy: z.enum(ACCESS_POLICIES),
  offices: z.array(z.enum(OFFICES)).max(OFFICES.length),
  status: z.enum(SERVICE_STATUSES),
  sortOrder: z.number().int().min(-10000).max(10000),
  connector: z.enum(CONNECTORS),
  connectorUrl: optionalUrl.nullable(),
  connectorToken: z.string().trim().min(1).max(2000).nullable(),
  webhookUrl: optionalUrl.nullable(),
  newWebhookSecret: z.boolean(),
  newDiscourseSecret: z.boolean(),
};

/** POST /api/v1/admin/services: a whole service; optional fields get the form's defaults. */
export const serviceCreateBody = z.object({
  ...apiFields,
  descriptionNb: description.default(''),
  descriptionEn: description.default(''),
  kind: z.enum(SERVICE_KINDS).default('shared'),
  software: z.enum(SERVICE_SOFTWARE).default('other'),
  loginMethod: z.enum(LOGIN_METHODS).default('oidc'),
  accessPolicy: z.enum(ACCESS_POLICIES).default('all_members'),
  offices: apiFields.offices.default([]),
  status: z.enum(SERVICE_STATUSES).default('active'),
  sortOrder: apiFields.sortOrder.default(0),
  connector: z.enum(CONNECTORS).default('none'),
  connectorUrl: apiFields.connectorUrl.default(null),
  connectorToken: apiFields.connectorToken.default(null),
  webhookUrl: apiFields.webhookUrl.default(null),
  newWebhookSecret: z.boolean().default(false),
  newDiscourseSecret: z.boolean().default(false),
});

/** PATCH /api/v1/admin/services/{id}: any subset; merged with the stored service, then checked as a whole. */
export const servicePatchBody = z.object(apiFields).partial();

export function checkServiceInput(input: ServiceInput): void {
  z.custom<ServiceInput>().superRefine(crossCheck).parse(input);
}

/** A member's request: an optional note to the administrators. */
export const accessRequestSchema = z.object({
  note: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .transform((v) => (v ? v : null)),
});

/** An administrator's decision on a request, or a withdrawal of access. */
export const accessDecisionSchema = z
  .object({
    decision: z.enum(['grant', 'refuse', 'withdraw']),
    reason: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((v, ctx) => {
    if (v.decision !== 'grant' && !v.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'services.field.reason_required' });
  });

/** An administrator grants access directly, by member number. */
export const directGrantSchema = z.object({
  memberNumber: z
    .string()
    .trim()
    .regex(/^\d{1,9}$/, { message: 'services.field.member_number_invalid' })
    .transform(Number),
});

/** Joins the form's office checkboxes (office_<name>) into one `offices` value. */
export function withOffices(values: Record<string, string>): Record<string, string> {
  const ticked = OFFICES.filter((o) => values[`office_${o}`] === 'on');
  return { ...values, offices: ticked.join(',') };
}
