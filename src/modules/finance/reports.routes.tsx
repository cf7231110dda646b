import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Budget, budget against actual, income statement, balance, exports (CSV, GBAT10). */
export function reportsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
