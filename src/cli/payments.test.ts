import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../app/bootstrap.js';
import { fixedClock } from '../app/clock.js';
import { setUpAssociation, startTestApp } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import {
  BANK_FIXTURES,
  bankFixture,
  memberWithInvoice,
  paymentTableCounts,
  setUpBilling,
} from '../modules/billing/payments.test-support.js';
import { runPaymentsCommand } from './payments.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describeEachDialect('allmenning payments import', (h) => {
  let app: Running;
  let dir: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-03-06T10:00:00Z') });
    await setUpAssociation(app);
    await setUpBilling(app.ctx.db, app.ctx.clock.now());
    await memberWithInvoice(app, { amountOre: 60000, kid: '20250000104' });
    dir = mkdtempSync(join(tmpdir(), 'allmenning-cli-payments-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (args: string[]) => {
    const c = capture();
    return runPaymentsCommand(
      { database: h.database(), clock: app.ctx.clock },
      ['payments', ...args],
      c.io,
    ).then((code) => ({ code, ...c }));
  };

  it('shows what would match with --dry-run, imports without, and not twice', async () => {
    const file = join(BANK_FIXTURES, 'camt053.xml');
    const before = await paymentTableCounts(h.db());
    const dry = await run(['import', file, '--dry-run', '--lang', 'en']);
    expect(dry.code).toBe(0);
    expect(dry.out.join('\n')).toContain('Format: camt.053');
    expect(dry.out.join('\n')).toContain('Checksums: OK');
    expect(dry.out.join('\n')).toMatch(/Stmt\[1\]\/Ntry\[1\].*→ Matched \(KID\)/);
    expect(dry.out.at(-1)).toContain('Dry run: nothing has changed');
    expect(await paymentTableCounts(h.db())).toEqual(before);
    const real = await run(['import', file, '--lang', 'en']);
    expect(real.code).toBe(0);
    expect(real.out.join('\n')).toContain('Matched: ');
    expect((await paymentTableCounts(h.db())).payments).toBe(before.payments + 5);
    const again = await run(['import', file, '--lang', 'en']);
    expect(again.code).toBe(0);
    expect(again.out.join('\n')).toContain('Importing it again changes nothing');
    expect((await paymentTableCounts(h.db())).payments).toBe(before.payments + 5);
  });

  it('exits 1 on a refused file, with the line and the reason', async () => {
    const lines = bankFixture('ocr-giro.txt').toString('latin1').split('\r\n');
    lines[4] = lines[4]!.slice(0, 79);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.from(lines.join('\r\n'), 'latin1'));
    const before = await paymentTableCounts(h.db());
    const res = await run(['import', bad, '--lang', 'en']);
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toContain('Line 5: the record is 79 characters long');
    expect(await paymentTableCounts(h.db())).toEqual(before);
    expect((await run(['import', join(dir, 'missing.txt')])).code).toBe(2);
    expect((await run(['export'])).code).toBe(2);
  });
});

it('is wired into the allmenning command', async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-cli-payments-bin-'));
  try {
    const bad = join(dir, 'bad.xml');
    writeFileSync(
      bad,
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>',
    );
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(root, 'bin', 'allmenning.js'), 'payments', 'import', bad],
        {
          cwd: dir,
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: dir,
            LANG: 'C',
            DATABASE_FILE: join(dir, 'db.sqlite'),
          },
          timeout: 60_000,
        },
        (err, _stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not a camt.053/054 file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
