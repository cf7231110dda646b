import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, type TestClient } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { loggedIn } from '../members/members.test-support.js';
import { invoicesOf, setBankAccount } from './invoices.test-support.js';

// A one-off invoice to a member from the member's page (and the API): the same issuing
// path as dues (number, KID, VAT when registered, audit), mailed with its PDF.

describeEachDialect('one-off invoices', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let treasurer: TestClient;
  let auditor: TestClient;
  let member: TestClient;
  let kari: { id: string; memberNumber: number };
  let write: string;
  let readOnly: string;
  const db = () => h.db();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({
      database: h.database(),
      smtpUrl: smtp.url,
      clock: fixedClock('2026-03-02T09:00:00Z'),
    });
    await setUpAssociation(app, { vat_registered: 'on', org_number: '974760673' });
    await setBankAccount(db());
    const t = await createMemberUser(db(), { offices: ['treasurer'] });
    const a = await createMemberUser(db(), { offices: ['auditor'] });
    const m = await createMemberUser(db());
    treasurer = await loggedIn(app, t.user.email);
    auditor = await loggedIn(app, a.user.email);
    member = await loggedIn(app, m.user.email);
    kari = await createMember(db(), { name: 'Kari Nordmann', email: 'kari@example.org' });
    write = await issueToken(db(), t.user.id, ['billing:write']);
    readOnly = await issueToken(db(), t.user.id, ['billing:read']);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('links "New invoice" from the member page for the treasurer only', async () => {
    const page = await treasurer.get(`/members/${kari.id}`);
    expect(page.html).toContain(`/billing/invoices/new?member=${kari.id}`);
    const auditorPage = await auditor.get(`/members/${kari.id}`);
    expect(auditorPage.html).not.toContain('/billing/invoices/new');
    expect((await auditor.get(`/billing/invoices/new?member=${kari.id}`)).res.status).toBe(403);
    expect((await member.get(`/billing/invoices/new?member=${kari.id}`)).res.status).toBe(403);
    await member.get('/membership');
    const post = await member.post(`/billing/invoices/new?member=${kari.id}`, {
      l0_description: 'Leie',
      l0_amount: '100',
    });
    expect(post.res.status).toBe(403);
    expect(await invoicesOf(db(), kari.id)).toHaveLength(0);
  });

  it('refuses empty and bad lines with messages beside the fields, keeping the input', async () => {
    await treasurer.get(`/billing/invoices/new?member=${kari.id}`);
    const empty = await treasurer.post(`/billing/invoices/new?member=${kari.id}`, {});
    expect(empty.res.status).toBe(400);
    expect(empty.html).toContain('Fyll inn minst én linje');
    const bad = await treasurer.post(`/billing/invoices/new?member=${kari.id}`, {
      l0_description: 'Kurs',
      l0_amount: '12,345',
      l0_vat: '2500',
      l1_description: '',
      l1_amount: '50',
      l2_description: 'Rabatt',
      l2_amount: '-10',
      l2_vat: '1000',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('value="12,345"');
    expect(bad.html).toContain('id="f-l1_description-error"');
    expect(bad.html).toContain('id="f-l2_amount-error"');
    expect(await invoicesOf(db(), kari.id)).toHaveLength(0);
    const unknown = await treasurer.get('/billing/invoices/new?member=nobody');
    expect(unknown.res.status).toBe(404);
  });

  it('issues the invoice with KID and VAT, audits it, and mails it with the PDF', async () => {
    await treasurer.get(`/billing/invoices/new?member=${kari.id}`);
    const ok = await treasurer.post(`/billing/invoices/new?member=${kari.id}`, {
      l0_description: 'Kurs i selvhosting',
      l0_amount: '500',
      l0_vat: '2500',
      l1_description: 'Kursmateriell',
      l1_amount: '100,50',
      l1_vat: '0',
    });
    expect(ok.res.status).toBe(303);
    const [invoice] = await invoicesOf(db(), kari.id);
    expect(invoice).toBeDefined();
    expect(ok.res.headers.get('location')).toBe(`/billing/invoices/${invoice!.number}`);
    expect(invoice).toMatchObject({
      purpose: 'other',
      year: null,
      kind: 'invoice',
      total_ore: 60050,
      vat_ore: 10000,
      due_date: '2026-03-16',
    });
    expect(invoice!.kid).toMatch(/^\d+$/);
    const page = await treasurer.get(ok.res.headers.get('location')!);
    expect(page.html).toContain('Fakturaen er utstedt og sendt.');
    expect(page.html).toContain('Kurs i selvhosting');

    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', invoice!.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['billing.invoice_issued']);

    for (let i = 0; i < 3; i++) await app.worker.runOnce();
    const mail = await smtp.waitFor((x) => x.to.includes('kari@example.org'));
    expect(mail.subject).toBe(`Faktura ${invoice!.number} fra Datafellesskapet Test`);
    expect(mail.text).toContain(`KID: ${invoice!.kid}`);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe(`faktura-${invoice!.number}.pdf`);
    expect(mail.attachments[0]!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('issues one over the API, in the OpenAPI document', async () => {
    const body = {
      member_number: kari.memberNumber,
      lines: [{ description: 'Leie av server', amount_ore: 25000, vat_rate_bp: 2500 }],
    };
    expect((await apiSend(app.url, 'POST', '/invoices', readOnly, body)).status).toBe(403);
    const bad = await apiSend(app.url, 'POST', '/invoices', write, {
      ...body,
      lines: [{ description: 'x', amount_ore: 100, vat_rate_bp: 1000 }],
    });
    expect(bad.status).toBe(400);
    const none = await apiSend(app.url, 'POST', '/invoices', write, {
      ...body,
      member_number: 999_999,
    });
    expect(none.status).toBe(404);
    const ok = await apiSend(app.url, 'POST', '/invoices', write, body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      mailed: true,
      invoice: { purpose: 'other', totalOre: 25000, vatOre: 5000, memberNumber: kari.memberNumber },
    });
    const doc = (await apiGet(app.url, '/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/invoices']!)).toEqual(expect.arrayContaining(['get', 'post']));
  });
});
