import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

export function profileRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
