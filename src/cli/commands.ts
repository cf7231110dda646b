import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../app/audit.js';
import { systemClock } from '../app/clock.js';
import type { Database } from '../app/db.js';
import type { Locale } from '../app/errors.js';
import { issueMessage } from '../app/forms.js';
import { translator } from '../app/i18n.js';
import {
  emailField,
  handleField,
  nameField,
  passwordField,
} from '../modules/accounts/accounts.schemas.js';
import { AssociationErrors } from '../modules/association/association.errors.js';
import { findAssociation } from '../modules/association/association.repository.js';
import { setupSchema } from '../modules/association/association.schemas.js';
import { runSetup } from '../modules/association/association.usecases.js';
import { RegisterErrors } from '../modules/members/register.errors.js';
import { registerQuerySchema } from '../modules/members/register.schemas.js';
import { importMembers } from '../modules/members/register-import.usecases.js';
import { exportMembers } from '../modules/members/register.usecases.js';
import { createAdministrator } from './admin.js';
import { adminPassword, UsageError } from './prompt.js';

export type Out = { out: (line: string) => void; err: (line: string) => void };

/** The audit log names the operating-system user behind a CLI change. */
export function cliActor(): Actor {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return { userId: null, label: `cli:${who}` };
}

function deps(database: Database) {
  return {
    db: database.db,
    dialect: database.dialect,
    clock: systemClock,
    kickOutbox: () => undefined,
  };
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required.`);
  return v;
}

function parsed<T>(
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`Invalid ${what}: ${String(value)}`);
  return r.data;
}

/** Setup's form fields as the options (or variable) that fill them. */
const SETUP_OPTION: Record<string, string> = {
  name: '--name',
  org_number: '--org-number',
  email: '--email',
  year_start_month: '--year-start-month',
  time_zone: '--time-zone',
  default_locale: '--locale',
  admin_name: '--admin-name',
  admin_handle: '--admin-handle',
  admin_email: '--admin-email',
  admin_password: 'ALLMENNING_ADMIN_PASSWORD (at least 10 characters)',
};

export async function setupCommand(
  database: Database,
  values: Record<string, string | boolean | undefined>,
  io: Out,
): Promise<number> {
  if (await findAssociation(database.db)) throw AssociationErrors.alreadySetUp();
  const password = await adminPassword();
  const input = setupSchema.safeParse({
    name: required(values, 'name'),
    org_number: values['org-number'] ?? '',
    email: values['email'] ?? '',
    year_start_month: values['year-start-month'] ?? '1',
    time_zone: values['time-zone'] ?? 'Europe/Oslo',
    default_locale: values['locale'] ?? 'nb',
    require_approval: values['no-approval'] ? undefined : 'on',
    admin_name: required(values, 'admin-name'),
    admin_handle: required(values, 'admin-handle'),
    admin_email: required(values, 'admin-email'),
    admin_password: password,
    admin_is_member: values['no-admin-member'] ? undefined : 'on',
  });
  if (!input.success) {
    const t = translator('en');
    for (const issue of input.error.issues)
      io.err(
        `${SETUP_OPTION[String(issue.path[0])] ?? String(issue.path[0])}: ${issueMessage(issue, t)}`,
      );
    return 2;
  }
  const { userId } = await runSetup(deps(database), input.data);
  io.out(
    `The association "${input.data.name}" is set up; administrator ${input.data.admin_handle} (${userId}).`,
  );
  return 0;
}

export async function createAdminCommand(
  database: Database,
  values: Record<string, string | boolean | undefined>,
  io: Out,
): Promise<number> {
  if (!(await findAssociation(database.db))) throw RegisterErrors.notSetUp();
  const email = parsed(emailField, required(values, 'email'), 'email address');
  const name = parsed(nameField, required(values, 'name'), 'name');
  const handle = parsed(handleField, required(values, 'handle'), 'handle');
  const password = parsed(
    passwordField,
    await adminPassword(),
    'password (at least 10 characters)',
  );
  const { userId } = await createAdministrator(deps(database), {
    actor: cliActor(),
    email,
    name,
    handle,
    password,
  });
  io.out(`Administrator ${handle} <${email}> created (${userId}).`);
  return 0;
}

export async function importCommand(
  database: Database,
  opts: { file: string; commit: boolean; locale: Locale },
  io: Out,
): Promise<number> {
  const t = translator(opts.locale);
  let bytes: Buffer;
  try {
    bytes = await readFile(opts.file);
  } catch {
    throw new UsageError(`Cannot read ${opts.file}.`);
  }
  const started = Date.now();
  const report = await importMembers(deps(database), {
    actor: cliActor(),
    bytes,
    commit: opts.commit,
    fileName: opts.file,
  });
  for (const row of report.badRows)
    io.out(
      `${t('register.import.line')} ${row.line}: ${row.problems.map((p) => t(p.key, p.params)).join(' ')}`,
    );
  if (report.alreadyImportedAt)
    io.out(t('register.import.already_imported', { at: report.alreadyImportedAt }));
  io.out(
    t('register.import.summary', {
      good: report.goodRows,
      total: report.totalRows,
      bad: report.badRows.length,
    }),
  );
  if (report.committed) {
    io.out(t('register.import.done', { count: report.imported }));
    if (report.assigned) io.out(t('register.import.numbers', report.assigned));
    io.out(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  }
  if (report.badRows.length > 0 || report.alreadyImportedAt) {
    io.out(t('register.import.not_imported'));
    return 1;
  }
  io.out(
    opts.locale === 'nb'
      ? 'Prøvekjøring: ingenting er endret. Legg til --commit for å importere.'
      : 'Dry run: nothing has changed. Add --commit to import.',
  );
  return 0;
}

export async function exportCommand(
  database: Database,
  opts: { file: string | null; filter: Record<string, string | undefined> },
  io: Out,
): Promise<number> {
  const association = await findAssociation(database.db);
  if (!association) throw RegisterErrors.notSetUp();
  const query = registerQuerySchema.safeParse(opts.filter);
  if (!query.success)
    throw new UsageError(
      `Invalid filter: ${query.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  const { chunks } = await exportMembers(deps(database), {
    actor: cliActor(),
    association,
    query: query.data,
  });
  const target = opts.file ? createWriteStream(opts.file) : process.stdout;
  await pipeline(Readable.from(chunks), target, { end: !!opts.file });
  if (opts.file) io.err(`Wrote ${opts.file}.`);
  return 0;
}
