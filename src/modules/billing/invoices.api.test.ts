import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { seedDataCoopFees, setBankAccount } from './invoices.test-support.js';

const YEAR = 2026;

describeEachDialect('invoice, fee and dues run API', (h) => {
  let app: Running;
  let reader = '';
  let writer = '';
  let plain = '';
  const db = () => h.db();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2026-03-02T09:00:00Z') });
    await setUpAssociation(app, { vat_registered: 'on', org_number: '974760673' });
    await setBankAccount(db());
    await seedDataCoopFees(app, YEAR);
    const treasurer = await createMemberUser(db(), { offices: ['treasurer'] });
    const auditor = await createMemberUser(db(), { offices: ['auditor'] });
    const member = await createMemberUser(db());
    await db().updateTable('members').set({ joined_on: '2020-01-01' }).execute();
    writer = await issueToken(db(), treasurer.user.id, ['billing:write']);
    reader = await issueToken(db(), auditor.user.id, ['billing:read']);
    plain = await issueToken(db(), member.user.id, ['billing:read', 'members:read']);
  });
  afterAll(async () => app.close());

  it('runs the dues synchronously and returns the summary; only with billing.manage', async () => {
    expect((await apiSend(app.url, 'POST', '/dues-runs', reader, { year: YEAR })).status).toBe(403);
    expect((await apiSend(app.url, 'POST', '/dues-runs', writer, { year: 'x' })).status).toBe(400);
    const none = await apiSend(app.url, 'POST', '/dues-runs', writer, { year: YEAR + 1 });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ error: { code: 'billing.no_fees_for_year' } });
    const run = await apiSend(app.url, 'POST', '/dues-runs', writer, { year: YEAR });
    expect(run.status).toBe(200);
    // ada, treasurer, auditor, member: all ordinary.
    expect(run.body).toMatchObject({
      year: YEAR,
      status: 'done',
      dueCount: 4,
      createdCount: 4,
      totalOre: 240000,
    });
    const list = await apiGet(app.url, '/dues-runs', reader);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1); // refused runs leave no row
    expect((await apiGet(app.url, '/dues-runs', plain)).status).toBe(403);
  });

  it('lists invoices with filters, and shows one with its lines', async () => {
    const list = await apiGet(app.url, `/invoices?year=${YEAR}&purpose=dues&status=open`, reader);
    expect(list.status).toBe(200);
    const body = list.body as { invoices: { number: number; state: string }[]; total: number };
    expect(body.total).toBe(4);
    expect(body.invoices.every((i) => i.state === 'open')).toBe(true);
    expect((await apiGet(app.url, '/invoices?status=nope', reader)).status).toBe(400);
    expect((await apiGet(app.url, '/invoices', plain)).status).toBe(403);

    const one = await apiGet(app.url, '/invoices/1', reader);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      number: 1,
      kind: 'invoice',
      totalOre: 60000,
      vatOre: 9000,
      netOre: 51000,
      bankAccount: '86011117947',
      seller: { orgNumber: '974760673' },
      lines: [
        { description: 'Medlemskontingent 2026', grossOre: 15000, vatRateBp: 0, vatOre: 0 },
        { description: 'Tjenesteavgift 2026', grossOre: 45000, vatRateBp: 2500, vatOre: 9000 },
      ],
      creditNoteNumbers: [],
    });
    expect((await apiGet(app.url, '/invoices/999', reader)).status).toBe(404);
    expect((await apiGet(app.url, '/invoices/1')).status).toBe(401);
  });

  it('serves the PDF as application/pdf', async () => {
    const pdf = await apiGet(app.url, '/invoices/2/pdf', reader);
    expect(pdf.status).toBe(200);
    expect(pdf.res.headers.get('content-type')).toBe('application/pdf');
    expect(String(pdf.body).startsWith('%PDF-')).toBe(true);
  });

  it('credits an invoice with billing:write only, with a reason', async () => {
    expect(
      (await apiSend(app.url, 'POST', '/invoices/3/credit', reader, { reason: 'x' })).status,
    ).toBe(403);
    expect(
      (await apiSend(app.url, 'POST', '/invoices/3/credit', writer, { reason: '' })).status,
    ).toBe(400);
    const ok = await apiSend(app.url, 'POST', '/invoices/3/credit', writer, { reason: 'Dobbel' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      creditNote: { number: 5, kind: 'credit_note', totalOre: -60000, state: 'credit_note' },
      movedToCreditOre: 0,
    });
    const again = await apiSend(app.url, 'POST', '/invoices/3/credit', writer, {
      reason: 'Dobbel',
    });
    expect(again.status).toBe(409);
    const credited = await apiGet(app.url, '/invoices/3', reader);
    expect(credited.body).toMatchObject({ state: 'credited', creditNoteNumbers: [5] });
  });

  it('documents every operation in the OpenAPI document', async () => {
    const doc = await apiGet(app.url, '/openapi.json');
    const paths = (doc.body as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths['/invoices']!).sort()).toEqual(['get', 'post']);
    expect(paths['/invoices/{number}']).toHaveProperty('get');
    expect(paths['/invoices/{number}/pdf']).toHaveProperty('get');
    expect(paths['/invoices/{number}/credit']).toHaveProperty('post');
    expect(paths['/fees']).toHaveProperty('get');
    expect(paths['/fees/{year}/{type}']).toHaveProperty('put');
    expect(Object.keys(paths['/dues-runs']!).sort()).toEqual(['get', 'post']);
  });
});
