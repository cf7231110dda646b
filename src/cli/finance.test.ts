import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../app/bootstrap.js';
import { fixedClock } from '../app/clock.js';
import { startTestApp } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import { createMember } from '../../test/helpers/fixtures.js';
import { issue, setUpBilling } from '../modules/billing/overview.test-support.js';
import { runFinanceCommand } from './finance.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describeEachDialect('allmenning journal', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-06-30T10:00:00Z') });
    await setUpBilling(app);
    for (let i = 0; i < 2; i++) {
      const m = await createMember(h.db());
      await issue(h.db(), { memberId: m.id, issueDate: '2025-03-01' });
    }
  });
  afterAll(async () => app.close());
  const run = (args: string[]) => {
    const c = capture();
    return runFinanceCommand(
      { database: h.database(), clock: app.ctx.clock },
      ['journal', ...args],
      c.io,
    ).then((code) => ({ code, ...c }));
  };

  it('posts, then posts nothing the second time, and prints a balanced trial balance', async () => {
    const first = await run(['post', '--lang', 'en']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Invoices and credit notes: 2');
    expect(first.out.at(-1)).toMatch(/^Posted: 2 entries in 1 batches/);
    const second = await run(['post', '--lang', 'en']);
    expect(second.out.at(-1)).toMatch(/^Posted: 0 entries/);
    const tb = await run(['trial-balance', '--year', '2025', '--lang', 'nb']);
    expect(tb.code).toBe(0);
    expect(tb.out[0]).toBe('Saldobalanse 2025');
    expect(tb.out.join('\n')).toMatch(/1500 Kundefordringer\s+1\s200,00\s+0,00\s+1\s200,00/);
    expect(tb.out.at(-1)).toMatch(/^Sum\s+1\s200,00\s+1\s200,00\s+0,00$/);
  });

  it('refuses a wrong call with exit code 2', async () => {
    expect((await run(['trial-balance', '--year', '25'])).code).toBe(2);
    expect((await run(['nonsense'])).code).toBe(2);
    expect(await runFinanceCommand({ database: h.database() }, ['other'], capture().io)).toBeNull();
  });
});
