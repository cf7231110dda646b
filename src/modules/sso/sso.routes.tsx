import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Login and consent interactions for the OIDC provider, and the gate's refusal page. */
export function ssoRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
