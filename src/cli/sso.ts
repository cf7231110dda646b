import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { loadConfig } from '../app/config.js';
import type { Db } from '../app/db.js';
import { newToken } from '../app/ids.js';
import { getSetting, putSettingIfAbsent } from '../modules/association/association.repository.js';
import { publicJwks } from '../modules/sso/oidc-keys.js';
import { rotateOidcKeys } from '../modules/sso/oidc-keys.usecases.js';
import { cliActor, type Out } from './commands.js';
import { exitCodeFor, localeOf, stdio, withDatabase } from './cli-support.js';
import { UsageError } from './prompt.js';

// `allmenning sso …`: the OpenID Connect provider's signing keys.

export const SSO_HELP = `  sso rotate-keys              Make a new signing key for the OpenID Connect provider.
                               The old key stays published (and verifying) until what
                               it signed has expired; running servers switch within a
                               minute, without a restart.
  sso keys                     List the published signing keys (kid, newest first).`;

/** The app secret the server uses (APP_SECRET, or the one kept in the database). */
async function appSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await putSettingIfAbsent(db, 'app_secret', newToken(48));
  const secret = await getSetting(db, 'app_secret');
  if (!secret) throw new Error('could not read the app secret');
  return secret;
}

export async function runSsoCommand(
  env: { db: Db; secret: string },
  argv: string[],
  io: Out,
): Promise<number> {
  const sub = argv[1];
  if (sub === 'rotate-keys') {
    const { kid, retired, pruned } = await rotateOidcKeys(
      { db: env.db, clock: systemClock, secret: env.secret },
      { actor: cliActor() },
    );
    io.out(`New signing key ${kid}.`);
    if (retired.length) io.out(`Retired (still published): ${retired.join(', ')}.`);
    if (pruned) io.out(`Removed ${pruned} key(s) retired long enough ago.`);
    io.out('Running servers sign with the new key within a minute.');
    return 0;
  }
  if (sub === 'keys') {
    const { keys } = await publicJwks(env.db);
    for (const k of keys) io.out(`${k.kid}  ${k.alg}`);
    return 0;
  }
  throw new UsageError(`Unknown command: sso ${sub ?? ''}`.trim());
}

/** Runs the command if it is one of ours; undefined otherwise. */
export async function ssoCli(argv: string[], io: Out = stdio): Promise<number | undefined> {
  if (argv[0] !== 'sso') return undefined;
  const { values } = parseArgs({
    args: argv.slice(1),
    options: { lang: { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const locale = localeOf(typeof values.lang === 'string' ? values.lang : undefined);
  try {
    const config = loadConfig();
    return await withDatabase(async (database) =>
      runSsoCommand(
        { db: database.db, secret: await appSecret(database.db, config.appSecret) },
        argv,
        io,
      ),
    );
  } catch (err) {
    return exitCodeFor(err, { io, locale, usage: SSO_HELP });
  }
}
