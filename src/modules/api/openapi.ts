import type { Context, Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { requirePermission, requireUser } from '../../app/middleware.js';
import type { Permission } from '../../app/policy.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export type ApiOperation<Q extends z.ZodType, B extends z.ZodType> = {
  method: Method;
  /** Hono path syntax (`/members/:id`); converted to OpenAPI's `{id}`. */
  path: string;
  summary: string;
  tag: string;
  permission: Permission | null;
  /**
   * 'optional': answered without a token too (what the public pages show); a token, when
   * sent, still identifies its owner. Requires permission null.
   */
  auth?: 'optional';
  query?: Q;
  body?: B;
  /** The response body's schema, for the document only. */
  response?: z.ZodType;
  /** Non-JSON responses (CSV) name their media type. */
  produces?: string;
  /** Request body media type when not JSON (CSV import). */
  consumes?: string;
};

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

function openApiPath(path: string): string {
  return path.replace(/:(\w+)\??/g, '{$1}');
}

export type ApiRegistry = {
  route<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    op: ApiOperation<Q, B>,
    handler: (
      c: Context<AppEnv>,
      input: { query: z.output<Q>; body: z.output<B> },
    ) => Promise<Response> | Response,
  ): void;
  document(opts: { baseUrl: string; version: string }): ReturnType<typeof openApiDocument>;
};

/** One registry per app: routes and their OpenAPI entries are declared together. */
export function apiRegistry(app: Hono<AppEnv>): ApiRegistry {
  const operations: ApiOperation<z.ZodType, z.ZodType>[] = [];
  return {
    route(op, handler) {
      operations.push(op);
      registerRoute(app, op, handler);
    },
    document: (opts) => openApiDocument(operations, opts),
  };
}

/**
 * Registers one API route: authentication, permission, validation of query and body,
 * then the handler with the parsed input.
 */
function registerRoute<Q extends z.ZodType, B extends z.ZodType>(
  app: Hono<AppEnv>,
  op: ApiOperation<Q, B>,
  handler: (
    c: Context<AppEnv>,
    input: { query: z.output<Q>; body: z.output<B> },
  ) => Promise<Response> | Response,
): void {
  const guard: MiddlewareHandler<AppEnv> = op.permission
    ? requirePermission(op.permission)
    : op.auth === 'optional'
      ? (_c, next) => next()
      : requireUser();
  app.on(op.method.toUpperCase(), op.path, guard, async (c) => {
    const query = op.query ? op.query.parse(c.req.query()) : undefined;
    let body: unknown = undefined;
    // A binary upload (a bank file) is left unread: the handler streams c.req.raw.body.
    if (op.body && op.consumes !== 'application/octet-stream') {
      const raw: unknown = op.consumes
        ? await c.req.text()
        : await c.req.json().catch(() => {
            throw CommonErrors.invalidJson();
          });
      body = op.body.parse(raw);
    }
    return handler(c, { query: query as z.output<Q>, body: body as z.output<B> });
  });
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

/** The OpenAPI 3.1 document for everything registered with apiRoute. */
export function openApiDocument(
  operations: ApiOperation<z.ZodType, z.ZodType>[],
  opts: { baseUrl: string; version: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (op.query) {
      const qs = jsonSchema(op.query, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) {
        params.push({
          name,
          in: 'query',
          required: (qs.required ?? []).includes(name),
          schema,
        } as never);
      }
    }
    const entry: Record<string, unknown> = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.permission
        ? {
            description: `Requires the permission \`${op.permission}\` (through the token's scopes and the owner's offices).`,
          }
        : {}),
      // Public: no token needed (one is still read when sent).
      ...(op.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
      parameters: params,
      responses: {
        '200': op.produces
          ? { description: 'OK', content: { [op.produces]: { schema: { type: 'string' } } } }
          : {
              description: 'OK',
              content: {
                'application/json': {
                  schema: op.response ? jsonSchema(op.response, 'output') : {},
                },
              },
            },
        '400': {
          description: 'Invalid input',
          content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
        },
        '401': { description: 'Missing or invalid token' },
        '403': { description: 'The token or its owner lacks the permission' },
      },
    };
    if (op.body) {
      entry['requestBody'] = {
        required: true,
        content: op.consumes
          ? {
              [op.consumes]: {
                schema: {
                  type: 'string',
                  ...(op.consumes === 'application/octet-stream' ? { format: 'binary' } : {}),
                },
              },
            }
          : { 'application/json': { schema: jsonSchema(op.body, 'input') } },
      };
    }
    paths[path] = { ...(paths[path] ?? {}), [op.method]: entry };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Allmenning API',
      version: opts.version,
      description:
        'The same operations as the pages. Authenticate with `Authorization: Bearer alm_…` (personal API tokens, created by an administrator at /admin/api-tokens). Errors are `{ "error": { "code", "message" } }`.',
    },
    servers: [{ url: `${opts.baseUrl}/api/v1` }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
