import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { expensesRoutes } from './expenses.routes.js';
import { journalRoutes } from './journal.routes.js';
import { reportsRoutes } from './reports.routes.js';

/** Every page of the finance module. */
export function financeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', expensesRoutes());
  app.route('/', journalRoutes());
  app.route('/', reportsRoutes());
  return app;
}
