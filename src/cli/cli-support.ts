import { loadConfig } from '../app/config.js';
import { migrateToLatest, openDatabase, type Database } from '../app/db.js';
import { AppError, type Locale } from '../app/errors.js';
import type { Out } from './commands.js';
import { UsageError } from './prompt.js';

// What every command family shares: where output goes, which language messages are in,
// how the database is opened, and how failures become exit codes.

export const stdio: Out = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** --lang, else the shell's LANG: Norwegian (nb, no, nn) or English. */
export function localeOf(lang: string | undefined): Locale {
  const l = (lang ?? process.env['LANG'] ?? '').toLowerCase();
  return /^(nb|no|nn)/.test(l) ? 'nb' : 'en';
}

/** Opens the configured database, brings it up to date, and runs `run` on it. */
export async function withDatabase<T>(
  run: (database: Database, applied: string[]) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = openDatabase({ url: config.databaseUrl, file: config.databaseFile });
  try {
    const { applied } = await migrateToLatest(database.db);
    return await run(database, applied);
  } finally {
    await database.close();
  }
}

/**
 * Expected failures become exit codes without a stack trace: 2 for a wrong call (with
 * `usage`), 1 for a refusal (its translated message). Anything else is rethrown.
 */
export function exitCodeFor(
  err: unknown,
  opts: { io: Out; locale: Locale; usage: string },
): number {
  if (err instanceof UsageError) {
    opts.io.err(`${err.message}\n\n${opts.usage}`);
    return 2;
  }
  if (err instanceof AppError && err.status < 500) {
    opts.io.err(err.message_(opts.locale));
    return 1;
  }
  throw err;
}
