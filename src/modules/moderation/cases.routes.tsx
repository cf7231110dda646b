import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Cases: log, hearing, decisions (warning, suspension, exclusion), appeals, statistics. */
export function casesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
