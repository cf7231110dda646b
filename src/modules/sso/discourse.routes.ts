import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** DiscourseConnect provider endpoint. */
export function discourseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
