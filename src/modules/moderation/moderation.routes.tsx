import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { reportsRoutes } from './reports.routes.js';
import { casesRoutes } from './cases.routes.js';

/** Every page of the moderation module. */
export function moderationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', reportsRoutes());
  app.route('/', casesRoutes());
  return app;
}
