import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { createApp } from '../../app/server.js';
import { setUpAssociation, startTestApp, type TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { submitClaim } from './expenses.usecases.js';
import { insertJournalEntries } from './journal.repository.js';

// The auditor (revisor) reads everything under /finance and /billing, and every route
// that changes the books refuses them with 403. The routes are read from the mounted
// app, so a write route added later is covered without touching this test.

/** Member self-service: the auditor, as a member, may claim their own expenses. */
const OWN_CLAIM_ROUTES = new Set(['POST /expenses/new', 'POST /expenses/series']);

/**
 * Forms that exist only to change something, kept to the treasurer by their owners: the
 * billing and finance settings, a new payment, a bank import, a manual posting, an
 * account's edit form.
 */
const WRITE_ONLY_PAGES = new Set([
  'GET /billing/settings',
  'GET /billing/payments/new',
  'GET /billing/payments/import',
  'GET /finance/journal/new',
  'GET /finance/settings',
  'GET /finance/accounts/:number{[0-9]{4,6}}',
]);

const FORBIDDEN_NB = 'Du har ikke tilgang til dette.';
const CSRF_NB = 'Skjemaet var utløpt';

function routesOf(app: Running) {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of createApp(app.ctx).routes) {
    if (r.method === 'ALL' || !/^\/(finance|billing|expenses)(\/|$)/.test(r.path)) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

/** The route's parameters: name, pattern (braces may nest) and where they stand. */
function params(path: string): { name: string; pattern: string; start: number; end: number }[] {
  const out = [];
  const re = /:(\w+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    let end = m.index + m[0].length;
    let pattern = '';
    if (path[end] === '{') {
      let depth = 0;
      let i = end;
      for (; i < path.length; i++) {
        if (path[i] === '{') depth++;
        else if (path[i] === '}' && --depth === 0) break;
      }
      pattern = path.slice(end + 1, i);
      end = i + 1;
    }
    out.push({ name: m[1]!, pattern, start: m.index, end });
    re.lastIndex = end;
  }
  return out;
}

/** Concrete paths for a route pattern (one per choice of an alternation parameter). */
function concrete(path: string, sample: Record<string, string>): string[] {
  const ps = params(path);
  const alt = ps.find((p) => /^[a-z]+(\|[a-z]+)+$/.test(p.pattern));
  if (alt)
    return alt.pattern
      .split('|')
      .flatMap((choice) =>
        concrete(path.slice(0, alt.start) + choice + path.slice(alt.end), sample),
      );
  let out = path;
  for (const p of [...ps].reverse()) {
    // An account number ({4,6} digits) named :number is not a claim number.
    const v = p.pattern === '[0-9]{4,6}' ? sample['account'] : sample[p.name];
    if (v === undefined) throw new Error(`no sample for :${p.name} in ${path}`);
    out = out.slice(0, p.start) + v + out.slice(p.end);
  }
  return [out];
}

describeEachDialect("the auditor's read-only access", (h) => {
  let app: Running;
  const clock = fixedClock('2026-03-01T10:00:00Z');
  let auditor: TestClient;
  const sample: Record<string, string> = {
    year: '2026',
    type: 'ordinary',
    account: '1920',
    file: '1.pdf',
    rid: '0'.repeat(26),
  };

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app, { require_approval: '' });
    const db = h.db();
    const a = await createMemberUser(db, { offices: ['auditor'] });
    const other = await createMemberUser(db);
    const { claim } = await submitClaim(app.ctx, {
      actor: systemActor,
      claimant: { userId: other.user.id, memberId: other.member.id, memberStatus: 'active' },
      input: {
        spentOn: '2026-02-20',
        amountOre: 12000,
        vatOre: 0,
        description: 'Strøm',
        category: '6340',
        payeeAccount: '86011117947',
      },
      upload: { filename: 'k.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') },
    });
    const { ids } = await db.transaction().execute((tx) =>
      insertJournalEntries(tx, {
        now: clock.now(),
        createdBy: null,
        entries: [
          {
            fiscalYear: 2026,
            postedOn: '2026-02-01',
            description: 'Åpningsbalanse',
            sourceKind: 'manual',
            sourceId: null,
            lines: [
              { account: '1920', debitOre: 100000 },
              { account: '2050', creditOre: 100000 },
            ],
          },
        ],
      }),
    );
    sample['number'] = String(claim.number);
    sample['id'] = ids[0]!;
    auditor = await loggedIn(app, a.user.email);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reads every page under /finance, /billing and the expense queue', async () => {
    const gets = routesOf(app).filter(
      (r) => r.method === 'GET' && !WRITE_ONLY_PAGES.has(`${r.method} ${r.path}`),
    );
    expect(gets.length).toBeGreaterThan(20);
    const refused: string[] = [];
    for (const r of gets) {
      for (const path of concrete(r.path, sample)) {
        const { res } = await auditor.get(path);
        // Editing another member's claim is the claimant's, not the auditor's.
        if (/^\/expenses\/\d+\/edit$/.test(path)) continue;
        // A form to create something (…/new, …/import) is its writer's, like its POST.
        const form = /\/(new|import)$/.test(r.path);
        if (res.status === 403 && !form) refused.push(`GET ${r.path}`);
        expect(res.status, `GET ${path}`).toBeLessThan(500);
      }
    }
    expect(refused).toEqual([]);
    for (const path of [
      '/finance',
      '/finance/reports/2026',
      '/finance/budget/2026',
      '/expenses/queue',
    ])
      expect((await auditor.get(path)).res.status, path).toBe(200);
  });

  it('is refused with 403 on every write route of finance, expenses and billing', async () => {
    const posts = routesOf(app).filter(
      (r) => r.method !== 'GET' && !OWN_CLAIM_ROUTES.has(`${r.method} ${r.path}`),
    );
    expect(posts.length).toBeGreaterThan(20);
    const checked: string[] = [];
    for (const r of posts) {
      for (const path of concrete(r.path, sample)) {
        await auditor.get('/finance'); // a fresh CSRF token: the refusal must be the permission
        const { res, html } = await auditor.post(path, {
          year: '2026',
          kind: 'accounts',
          published: '1',
        });
        const own =
          /^\/expenses\/\d+\/(edit|receipts)$/.test(path) || path.startsWith('/expenses/series/');
        // Another member's claim is not the auditor's to edit: refused (403) or not found (404).
        if (own) expect([403, 404], `${r.method} ${path}`).toContain(res.status);
        else expect(res.status, `${r.method} ${path}`).toBe(403);
        expect(html, `${r.method} ${path}`).not.toContain(CSRF_NB);
        if (res.status === 403 && !own) expect(html, `${r.method} ${path}`).toContain(FORBIDDEN_NB);
        checked.push(path);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        '/finance/journal/new',
        '/finance/journal/post',
        '/finance/settings',
        '/finance/budget/2026',
        '/finance/annual/2026/publish',
        `/expenses/${sample['number']}/approve`,
        `/expenses/${sample['number']}/pay`,
        '/billing/dues-runs',
      ]),
    );
    // Nothing changed: no budget, no new journal entry, the claim still submitted.
    const db = h.db();
    expect(await db.selectFrom('budgets').select('id').execute()).toHaveLength(0);
    expect(await db.selectFrom('journal_entries').select('id').execute()).toHaveLength(1);
    const claim = await db
      .selectFrom('expense_claims')
      .select('status')
      .where('number', '=', Number(sample['number']))
      .executeTakeFirstOrThrow();
    expect(claim.status).toBe('submitted');
  });
});
