import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** OpenID Connect clients of a service (administrators): create, edit, new secret, disable. */
export function clientsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
