import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../app/bootstrap.js';
import { fixedClock } from '../app/clock.js';
import { setUpAssociation, startTestApp } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import { seedDataCoopFees, setBankAccount } from '../modules/billing/invoices.test-support.js';
import { runBillingCommand } from './dues.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describeEachDialect('allmenning dues run / invoices show', (h) => {
  let app: Running;
  let dir = '';
  const env = () => ({
    database: h.database(),
    config: app.ctx.config,
    clock: fixedClock('2026-03-02T09:00:00Z'),
  });
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2026-03-02T09:00:00Z') });
    await setUpAssociation(app, { vat_registered: 'on', org_number: '974760673' });
    await seedDataCoopFees(app, 2026);
    await h.db().updateTable('members').set({ joined_on: '2020-01-01' }).execute();
    dir = mkdtempSync(join(tmpdir(), 'alm-dues-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves other commands to the main CLI and explains wrong usage', async () => {
    const c = capture();
    expect(await runBillingCommand(env(), ['members', 'export'], c.io)).toBeNull();
    expect(await runBillingCommand(env(), ['dues', 'run'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('--year YYYY');
    expect(await runBillingCommand(env(), ['dues', 'run', '--year', '20x6'], c.io)).toBe(2);
    expect(await runBillingCommand(env(), ['invoices', 'show', 'abc'], c.io)).toBe(2);
  });

  it('refuses a run without a bank account, in the chosen language', async () => {
    const c = capture();
    expect(
      await runBillingCommand(env(), ['dues', 'run', '--year', '2026', '--lang', 'nb'], c.io),
    ).toBe(1);
    expect(c.err.join('\n')).toContain('Legg inn foreningens kontonummer');
  });

  it('runs the dues and prints the summary; a second run creates nothing', async () => {
    await setBankAccount(h.db());
    const c = capture();
    expect(await runBillingCommand(env(), ['dues', 'run', '--year', '2026'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('1/1 members: 1 invoices created, 0 skipped');
    expect(text).toContain('Dues run 2026 done');
    expect(text).toContain('NOK 600.00');
    const again = capture();
    expect(await runBillingCommand(env(), ['dues', 'run', '--year', '2026'], again.io)).toBe(0);
    expect(again.out.join('\n')).toContain('0 invoices created');
  });

  it('shows an invoice as text and writes its PDF', async () => {
    const c = capture();
    const file = join(dir, 'faktura-1.pdf');
    expect(
      await runBillingCommand(
        env(),
        ['invoices', 'show', '1', '--pdf', file, '--lang', 'nb'],
        c.io,
      ),
    ).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('Faktura 1');
    expect(text).toContain('Org.nr. 974760673 MVA');
    expect(text).toContain('Tjenesteavgift 2026: kr 450,00 (Mva. 25 %: kr 90,00)');
    expect(text).toContain('Å betale (NOK): kr 600,00');
    expect(text).toContain('Kontonummer: 8601.11.17947');
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const missing = capture();
    expect(await runBillingCommand(env(), ['invoices', 'show', '99'], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toContain('Invoice not found');
  });
});
