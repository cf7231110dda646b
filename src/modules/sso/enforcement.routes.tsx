import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Administrators' view of enforcement calls to the services' admin APIs, and retries. */
export function enforcementRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
