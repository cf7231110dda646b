import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { memberDetailRoutes } from './member-detail.routes.js';
import { membershipRoutes } from './membership.routes.js';
import { membershipTypesRoutes } from './membership-types.routes.js';

/** The membership lifecycle: one's own membership, the board's decisions, types and fees. */
export function membersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', membershipRoutes());
  app.route('/', memberDetailRoutes());
  app.route('/', membershipTypesRoutes());
  return app;
}
