import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../app/db.js';
import { PG_ADMIN_URL } from '../../test/helpers/db.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'allmenning.js');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const PASSWORD = 'correct horse battery';

type Run = { code: number; stdout: string; stderr: string };

/** Runs `allmenning …` as a separate process, the way an operator would. */
function cli(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd, LANG: 'C', ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
const pgAvailable = await postgresReachable();

/** A database the CLI reaches through its environment, like the server would. */
async function target(dialect: 'sqlite' | 'postgres', dir: string) {
  if (dialect === 'sqlite') {
    const file = join(dir, 'allmenning.sqlite');
    return {
      env: { DATABASE_FILE: file },
      open: () => openDatabase({ file }),
      drop: async () => {},
    };
  }
  const name = `alm_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const env: Record<string, string> = { DATABASE_URL: url.toString() };
  return {
    env,
    open: () => openDatabase({ url: url.toString() }),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const run = dialect === 'postgres' && !pgAvailable ? describe.skip : describe;
  // Each test starts several processes; on a loaded machine each start takes seconds.
  run(`allmenning CLI [${dialect}]`, { timeout: 120_000 }, () => {
    let dir: string;
    let env: Record<string, string>;
    let database: Database;
    let drop: () => Promise<void>;
    const allmenning = (...args: string[]) => cli(args, env, dir);
    const members = async () =>
      Number(
        (
          await database.db
            .selectFrom('members')
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'allmenning-cli-'));
      const t = await target(dialect, dir);
      env = { ...t.env, ALLMENNING_ADMIN_PASSWORD: PASSWORD };
      drop = t.drop;
      database = t.open();
    });
    afterAll(async () => {
      await database?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('migrates, and tells to set up before anything else', async () => {
      const help = await allmenning('help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('members import FILE');
      expect((await allmenning('frobnicate')).code).toBe(2);

      const migrate = await allmenning('migrate');
      expect(migrate.code, migrate.stderr).toBe(0);
      expect(migrate.stdout).toContain('2026-11-27-0002-member-register');
      expect((await allmenning('migrate')).stdout).toContain('up to date');

      const early = await allmenning(
        'create-admin',
        '--email',
        'x@example.org',
        '--name',
        'X',
        '--handle',
        'xx',
      );
      expect(early.code).toBe(1);
      expect(early.stderr).toContain('has not been set up yet');
      expect(early.stderr).toContain('/setup');
    });

    it('sets up the association and adds administrators', async () => {
      const setup = await allmenning(
        'setup',
        '--name',
        'Datafellesskapet',
        '--admin-name',
        'Ada Admin',
        '--admin-email',
        'ada@example.org',
        '--admin-handle',
        'ada',
        '--year-start-month',
        '7',
      );
      expect(setup.code, setup.stderr).toBe(0);
      const again = await allmenning(
        'setup',
        '--name',
        'X',
        '--admin-name',
        'X',
        '--admin-email',
        'x@example.org',
        '--admin-handle',
        'xx',
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already been set up');

      const bad = await allmenning(
        'create-admin',
        '--email',
        'nope',
        '--name',
        'Bo',
        '--handle',
        'bo',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('Invalid email address');
      const noPassword = await cli(
        ['create-admin', '--email', 'bo@example.org', '--name', 'Bo', '--handle', 'bo'],
        { ...env, ALLMENNING_ADMIN_PASSWORD: '' },
        dir,
      );
      expect(noPassword.code).toBe(2);
      expect(noPassword.stderr).toContain('ALLMENNING_ADMIN_PASSWORD');
      const ok = await allmenning(
        'create-admin',
        '--email',
        'Bo@Example.org',
        '--name',
        'Bo Berg',
        '--handle',
        'bo',
      );
      expect(ok.code, ok.stderr).toBe(0);
      const bo = await database.db
        .selectFrom('users')
        .select(['is_admin', 'email'])
        .where('handle', '=', 'bo')
        .executeTakeFirstOrThrow();
      expect(bo).toEqual({ is_admin: 1, email: 'bo@example.org' });
      expect(
        (
          await allmenning(
            'create-admin',
            '--email',
            'bo@example.org',
            '--name',
            'B',
            '--handle',
            'bob',
          )
        ).code,
      ).toBe(1);
    });

    it('imports members: dry run by default, bad rows listed, then commit', async () => {
      const bad = await allmenning('members', 'import', join(FIXTURES, 'members-bad.csv'));
      expect(bad.code).toBe(1);
      const lines = bad.stdout.split('\n').filter((l) => l.startsWith('Line '));
      expect(lines).toEqual([
        'Line 3: name: required.',
        'Line 4: email: invalid email address.',
        'Line 5: email: same value as on line 2.',
        'Line 6: type: unknown membership type "gold" (valid: ordinary, reduced, supporter, organisation).',
        'Line 7: org_number: invalid organisation number (nine digits with a check digit).',
        'Line 8: org_number: required for organisation members.',
        'Line 9: joined_on: invalid date (YYYY-MM-DD).',
        'Line 10: status: must be active, lapsed, resigned or applied.',
      ]);
      expect(bad.stdout).toContain('1 of 9 rows are fine, 8 have errors.');
      const norsk = await allmenning(
        'members',
        'import',
        join(FIXTURES, 'members-bad.csv'),
        '--lang',
        'nb',
      );
      expect(norsk.stdout).toContain('Linje 3: name: må fylles ut.');

      const latin1 = await allmenning(
        'members',
        'import',
        join(FIXTURES, 'members-windows-1252.csv'),
      );
      expect(latin1.code).toBe(1);
      expect(latin1.stderr).toContain('not valid UTF-8');

      const sample = join(FIXTURES, 'members-sample.csv');
      const dry = await allmenning('members', 'import', sample);
      expect(dry.code, dry.stdout + dry.stderr).toBe(0);
      expect(dry.stdout).toContain('Dry run: nothing has changed');
      expect(await members()).toBe(1);

      const commit = await allmenning('members', 'import', sample, '--commit');
      expect(commit.code, commit.stdout + commit.stderr).toBe(0);
      expect(commit.stdout).toContain('Imported 6 members.');
      expect(commit.stdout).toContain('Member numbers assigned: 103–106.');
      expect(await members()).toBe(7);

      const again = await allmenning('members', 'import', sample, '--commit');
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('0 of 6 rows are fine, 6 have errors.');
      expect(again.stdout).toContain('Line 2: email: already in the register (member no. 101).');
      expect(again.stdout).toContain('This exact file was imported');
      expect(await members()).toBe(7);

      const audit = await database.db
        .selectFrom('audit_log')
        .select('actor_label')
        .where('action', '=', 'members.imported')
        .executeTakeFirstOrThrow();
      expect(audit.actor_label).toMatch(/^cli:/);
    });

    it('exports the register to stdout or a file', async () => {
      const all = await allmenning('members', 'export');
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout.startsWith('\uFEFFmember_number,name,email,type,status')).toBe(true);
      expect(all.stdout).toContain(
        '101,Kari Nordmann,kari.nordmann@example.org,ordinary,active,2023-07-01,+47 912 34 567,Storgata 1,0155,Oslo,NO,,\r\n',
      );
      expect(all.stdout).toContain('"Hansen, ""Hønse"" Hans"');
      expect(all.stdout.trim().split('\r\n')).toHaveLength(1 + 7);

      const file = join(dir, 'active.csv');
      const some = await allmenning('members', 'export', file, '--status', 'active', '--q', 'o');
      expect(some.code, some.stderr).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(
        text
          .trim()
          .split('\r\n')
          .slice(1)
          .map((l) => l.split(',')[1]),
      ).toEqual(['Ada Admin', 'Kari Nordmann', 'Ola Åsen', 'Fjordkraft Datalag AS']);
      expect((await allmenning('members', 'export', '--status', 'sleeping')).code).toBe(2);
    });
  });
}
