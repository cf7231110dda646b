import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { duesRunRoutes } from './dues-run.routes.js';
import { feesRoutes } from './fees.routes.js';
import { invoicesRoutes } from './invoices.routes.js';
import { myInvoicesRoutes } from './my-invoices.routes.js';
import { overviewRoutes } from './overview.routes.js';
import { paymentsRoutes } from './payments.routes.js';

/** Every page of the dues module. */
export function billingRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', feesRoutes());
  app.route('/', duesRunRoutes());
  app.route('/', invoicesRoutes());
  app.route('/', paymentsRoutes());
  app.route('/', overviewRoutes());
  app.route('/', myInvoicesRoutes());
  return app;
}
