import { startServer } from './app/bootstrap.js';
import { loadConfig } from './app/config.js';

const config = loadConfig();
const running = await startServer({ config });
running.ctx.logger.info(
  { url: running.url, database: running.ctx.dialect },
  `Allmenning is running at ${config.baseUrl}`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
