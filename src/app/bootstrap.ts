import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { migrateToLatest, openDatabase, type Database } from './db.js';
import { newToken } from './ids.js';
import { createMailDeliverer } from './mailer.js';
import {
  createOutboxWorker,
  releaseHeldMail,
  type Deliverer,
  type OutboxWorker,
} from './outbox.js';
import { createApp } from './server.js';
import { createJobRunner, daily, type JobRunner } from './jobs.js';
import { runMaintenance } from './maintenance.js';
import { billingAttachments, billingJobs } from '../modules/billing/billing.jobs.js';
import { ssoJobs, ssoOutboxHandlers } from '../modules/sso/sso.jobs.js';
import { createOidcHandler, OIDC_PATH } from '../modules/sso/oidc-mount.js';
import { financeJobs } from '../modules/finance/finance.jobs.js';
import { governanceJobs } from '../modules/governance/governance.jobs.js';
import { moderationJobs } from '../modules/moderation/moderation.jobs.js';
import { getSetting, putSettingIfAbsent } from '../modules/association/association.repository.js';

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Secrets never reach the log, even if a caller passes them by mistake.
    redact: [
      'password',
      '*.password',
      'token',
      '*.token',
      'req.headers.cookie',
      'req.headers.authorization',
      'secret',
      '*.secret',
    ],
  });
}

/** APP_SECRET if set; otherwise one generated at first start and kept in the database. */
async function appSecret(database: Database, config: Config): Promise<string> {
  if (config.appSecret) return config.appSecret;
  await putSettingIfAbsent(database.db, 'app_secret', newToken(48));
  const secret = await getSetting(database.db, 'app_secret');
  if (!secret) throw new Error('could not create the app secret');
  return secret;
}

export type Running = {
  ctx: AppContext;
  worker: OutboxWorker;
  jobs: JobRunner;
  server: Server;
  url: string;
  close: () => Promise<void>;
};

/**
 * Opens the database, migrates it, and serves the app on one node:http server. Used by
 * `npm start`, the tests and the benchmark alike.
 */
export async function startServer(opts: {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  database?: Database;
  deliverer?: Deliverer;
}): Promise<Running> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database =
    opts.database ?? openDatabase({ url: config.databaseUrl, file: config.databaseFile });
  await migrateToLatest(database.db);
  const clock = opts.clock ?? systemClock;
  const deliverer =
    opts.deliverer ??
    createMailDeliverer({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      logger,
      resolvers: billingAttachments({ db: database.db }),
    });
  if (config.smtpUrl) await releaseHeldMail(database.db, clock.now());

  // The worker needs the context's handlers and the context needs the worker's kick.
  let kick = () => {};
  const ctx: AppContext = {
    db: database.db,
    dialect: database.dialect,
    config,
    clock,
    logger,
    secret: await appSecret(database, config),
    kickOutbox: () => kick(),
  };
  const worker = createOutboxWorker({
    db: database.db,
    clock,
    deliver: deliverer,
    logger,
    handlers: { ...ssoOutboxHandlers(ctx) },
  });
  kick = () => worker.kick();
  // Each domain adds its scheduled jobs (reminders, lapses, lifting suspensions) here.
  const billing = billingJobs(ctx);
  const sso = ssoJobs(ctx);
  const finance = financeJobs(ctx);
  const governance = governanceJobs(ctx);
  const moderation = moderationJobs(ctx);
  const jobs = createJobRunner({
    db: database.db,
    clock,
    logger,
    handlers: {
      maintenance: async ({ now }) => {
        const removed = await runMaintenance(database.db, now);
        logger.info({ removed }, 'maintenance done');
      },
      ...billing.handlers,
      ...sso.handlers,
      ...finance.handlers,
      ...governance.handlers,
      ...moderation.handlers,
    },
    recurring: [
      daily('maintenance'),
      ...billing.recurring,
      ...sso.recurring,
      ...finance.recurring,
      ...governance.recurring,
      ...moderation.recurring,
    ],
  });
  if (config.worker) {
    worker.start();
    jobs.start();
  }

  const app = createApp(ctx);
  const listener = getRequestListener(app.fetch);
  // /oidc/* goes to the OpenID Connect provider, everything else to Hono.
  const oidc = await createOidcHandler(ctx);
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (oidc && (path === OIDC_PATH || path.startsWith(`${OIDC_PATH}/`))) oidc(req, res);
    else void listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${address.port}`;

  return {
    ctx,
    worker,
    jobs,
    server,
    url,
    async close() {
      await worker.stop();
      await jobs.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!opts.database) await database.close();
    },
  };
}
