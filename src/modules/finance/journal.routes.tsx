import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Journal: entries, manual postings, reversals, chart of accounts and finance settings. */
export function journalRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
