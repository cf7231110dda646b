import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Members' reports, the triage queue, and the services' incoming report webhooks. */
export function reportsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
