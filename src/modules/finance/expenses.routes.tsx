import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';

/** Expense claims: submit with receipt, attest, approve, pay, reject, return; series. */
export function expensesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
