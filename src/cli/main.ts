import { parseArgs } from 'node:util';
import { exitCodeFor, localeOf, stdio, withDatabase } from './cli-support.js';
import {
  createAdminCommand,
  exportCommand,
  importCommand,
  setupCommand,
  type Out,
} from './commands.js';
import { UsageError } from './prompt.js';
import { DUES_HELP } from './dues.js';
import { PAYMENTS_HELP } from './payments.js';
import { SSO_HELP } from './sso.js';
import { FINANCE_HELP } from './finance.js';

export const HELP = `Allmenning – administration from the command line

Usage: allmenning <command> [options]
       (or: npm run cli -- <command> [options])

Commands:
  migrate                      Bring the database schema up to date.
  setup                        Set up the association and its first administrator
                               (the same as the /setup page).
      --name NAME              The association's name.
      --admin-name NAME        The administrator's full name.
      --admin-email EMAIL      The administrator's email address.
      --admin-handle HANDLE    The administrator's user name.
      [--org-number N] [--email EMAIL] [--year-start-month 1-12]
      [--time-zone Europe/Oslo] [--locale nb|en] [--no-approval] [--no-admin-member]
  create-admin                 Add an administrator to an association already set up.
      --email EMAIL --name NAME --handle HANDLE
  members import FILE          Check a member CSV (see docs/members-csv.md) and list
                               every bad row; changes nothing unless --commit.
      [--commit]               Import all rows in one transaction (or none).
  members export [FILE]        Write the member register as CSV (to stdout without FILE).
      [--q TEXT] [--status S] [--type CODE] [--office O] [--paid paid|unpaid]
${DUES_HELP}
${PAYMENTS_HELP}
${SSO_HELP}
${FINANCE_HELP}
  help                         Show this text.

Options for every command:
  --lang nb|en                 Language of messages (default: from LANG, else en).

The database is the one the server uses: DATABASE_URL (PostgreSQL) or DATABASE_FILE
(SQLite, default ./data/allmenning.sqlite). Passwords are read from
ALLMENNING_ADMIN_PASSWORD, or asked for when run in a terminal.

Exit codes: 0 done, 1 refused (bad rows, errors), 2 wrong usage.
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  lang: { type: 'string' },
  commit: { type: 'boolean' },
  name: { type: 'string' },
  email: { type: 'string' },
  handle: { type: 'string' },
  'admin-name': { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-handle': { type: 'string' },
  'org-number': { type: 'string' },
  'year-start-month': { type: 'string' },
  'time-zone': { type: 'string' },
  locale: { type: 'string' },
  'no-approval': { type: 'boolean' },
  'no-admin-member': { type: 'boolean' },
  q: { type: 'string' },
  status: { type: 'string' },
  type: { type: 'string' },
  office: { type: 'string' },
  paid: { type: 'string' },
} as const;

/** Runs one command and returns its exit code; never throws for expected failures. */
export async function main(argv: string[], io: Out = stdio): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n\nRun "allmenning help" for the commands.`);
    return 2;
  }
  const { values, positionals } = args;
  const [command, sub, ...rest] = positionals;
  const locale = localeOf(values.lang);
  if (!command || command === 'help' || values.help) {
    io.out(HELP);
    return 0;
  }
  try {
    switch (command) {
      case 'migrate':
        return await withDatabase((_database, applied) => {
          io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
          return Promise.resolve(0);
        });
      case 'setup':
        return await withDatabase((database) => setupCommand(database, values, io));
      case 'create-admin':
        return await withDatabase((database) => createAdminCommand(database, values, io));
      case 'members':
        if (sub === 'import') {
          const file = rest[0];
          if (!file) throw new UsageError('Which file? allmenning members import FILE [--commit]');
          return await withDatabase((database) =>
            importCommand(database, { file, commit: !!values.commit, locale }, io),
          );
        }
        if (sub === 'export') {
          const filter = {
            q: values.q,
            status: values.status,
            type: values.type,
            office: values.office,
            paid: values.paid,
          };
          return await withDatabase((database) =>
            exportCommand(database, { file: rest[0] ?? null, filter }, io),
          );
        }
        throw new UsageError('Use "members import FILE" or "members export [FILE]".');
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (err) {
    return exitCodeFor(err, { io, locale, usage: 'Run "allmenning help" for the commands.' });
  }
}
