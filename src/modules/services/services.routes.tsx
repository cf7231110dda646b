import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Service catalogue (admin), members' services page and access requests, setup guides. */
export function servicesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
