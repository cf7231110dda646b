import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { ocrGiroLines, type PaymentSpec } from './bank-files/generate.js';
import {
  bankFixture,
  creditInvoice,
  invoiceNow,
  memberWithInvoice,
  paymentTableCounts,
  setUpBilling,
} from './payments.test-support.js';

/** Posts a bank file as the upload form does (multipart, with the page's CSRF token). */
async function upload(
  client: TestClient,
  file: Buffer | string,
  fields: Record<string, string> = {},
  name = 'bank.txt',
) {
  const form = new FormData();
  form.set('_csrf', client.csrf());
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([typeof file === 'string' ? Buffer.from(file, 'latin1') : file]), name);
  const res = await client.request('POST', '/billing/payments/import', { body: form });
  const html = await res.text();
  client.lastHtml = html;
  return { res, html };
}

/** An OCR file of payments without KID (they wait in the queue unless an amount fits). */
function queueFile(amounts: number[]): string {
  const spec = (i: number): PaymentSpec => ({
    kind: 'credit',
    amountOre: amounts[i]!,
    kid: null,
    date: '2025-03-05',
    paidDate: '2025-03-05',
    payerName: null,
    payerAccount: '12345678903',
    message: `Betaling ${i}`,
    reference: String(700000 + i),
  });
  return [
    ...ocrGiroLines({
      count: amounts.length,
      payment: spec,
      transmissionNo: '0000042',
      date: '2025-03-05',
    }),
  ].join('');
}

describeEachDialect('payment pages', (h) => {
  let app: Running;
  let treasurer: TestClient;
  let treasurer2: TestClient;
  let auditor: TestClient;
  let member: TestClient;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-03-06T10:00:00Z') });
    await setUpAssociation(app);
    await setUpBilling(app.ctx.db, app.ctx.clock.now());
    const t1 = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const t2 = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const au = await createMemberUser(h.db(), { offices: ['auditor'] });
    const pm = await createMemberUser(h.db());
    treasurer = await loggedIn(app, t1.user.email);
    treasurer2 = await loggedIn(app, t2.user.email);
    auditor = await loggedIn(app, au.user.email);
    member = await loggedIn(app, pm.user.email);
  });
  afterAll(async () => app.close());

  it('lets only the treasurer register and import; the auditor reads; a member gets 403', async () => {
    for (const path of [
      '/billing/payments',
      '/billing/payments/new',
      '/billing/imports',
      '/billing/payments/export.csv',
    ]) {
      const { res } = await member.get(path);
      expect(res.status, path).toBe(403);
    }
    await member.get('/');
    for (const path of [
      '/billing/payments/new',
      '/billing/payments/01jzzzzzzzzzzzzzzzzzzzzzzz/ignore',
    ]) {
      const { res } = await member.post(path, { amount: '100', member_number: '1', reason: 'x' });
      expect(res.status, path).toBe(403);
    }
    expect((await upload(member, bankFixture('ocr-giro.txt'))).res.status).toBe(403);

    const list = await auditor.get('/billing/payments');
    expect(list.res.status).toBe(200);
    expect(list.html).not.toContain('href="/billing/payments/new"');
    const imports = await auditor.get('/billing/imports');
    expect(imports.res.status).toBe(200);
    expect(imports.html).not.toContain('name="file"');
    expect((await auditor.get('/billing/payments/new')).res.status).toBe(403);
    expect((await auditor.get('/billing/payments/export.csv')).res.status).toBe(200);
    await auditor.get('/billing/payments');
    expect(
      (await auditor.post('/billing/payments/new', { amount: '100', member_number: '1' })).res
        .status,
    ).toBe(403);
    expect((await upload(auditor, bankFixture('ocr-giro.txt'))).res.status).toBe(403);

    const anonymous = await new TestClient(app.url).get('/billing/payments');
    expect(anonymous.res.status).toBe(303);
  });

  it('refuses bad amounts and references with clear messages, keeping the input', async () => {
    const { invoice } = await memberWithInvoice(app, { amountOre: 60000 });
    const base = { invoice_number: String(invoice.number), booking_date: '2025-03-05' };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, amount: '12,345' }, 'mer enn to desimaler'],
      [{ ...base, amount: '1.2.3' }, 'Skriv beløpet i kroner'],
      [{ ...base, amount: '-5' }, 'kan ikke være negativt'],
      [{ ...base, amount: '0' }, 'større enn null'],
      [
        { booking_date: '2025-03-05', amount: '600' },
        'nøyaktig ett av fakturanummer, KID og medlemsnummer',
      ],
      [{ ...base, member_number: '1', amount: '600' }, 'nøyaktig ett av'],
      [
        {
          kid: invoice.kid!.slice(0, -1) + String((Number(invoice.kid!.slice(-1)) + 1) % 10),
          booking_date: '2025-03-05',
          amount: '600',
        },
        'feil kontrollsiffer',
      ],
      [
        { invoice_number: '999999', booking_date: '2025-03-05', amount: '600' },
        'Fant ingen faktura med nummer 999999',
      ],
      [{ ...base, amount: '600', booking_date: '2025-04-01' }, 'fram i tid'],
    ];
    const before = await paymentTableCounts(h.db());
    for (const [form, message] of cases) {
      const { res, html } = await treasurer.submit(
        '/billing/payments/new',
        '/billing/payments/new',
        form,
      );
      expect(res.status, JSON.stringify(form)).toBeGreaterThanOrEqual(400);
      expect(html, JSON.stringify(form)).toContain(message);
      expect(html).toContain(`value="${form['amount']}"`);
    }
    expect(await paymentTableCounts(h.db())).toEqual(before);
  });

  it('registers a payment by hand once; the same again is refused', async () => {
    const { invoice } = await memberWithInvoice(app, { amountOre: 60000 });
    const form = {
      invoice_number: String(invoice.number),
      amount: '600,00',
      booking_date: '2025-03-05',
      payer_name: 'Kari',
    };
    const ok = await treasurer.submit('/billing/payments/new', '/billing/payments/new', form);
    expect(ok.res.status).toBe(303);
    const detail = await treasurer.get(ok.res.headers.get('location')!);
    expect(detail.html).toContain('Innbetalingen er registrert.');
    expect(detail.html).toContain(`På faktura ${invoice.number}`);
    expect((await invoiceNow(h.db(), invoice.id)).settledAt).not.toBeNull();
    const again = await treasurer.submit('/billing/payments/new', '/billing/payments/new', form);
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('allerede registrert');
  });

  it('lets exactly one of two treasurers register the same payment at once', async () => {
    const { invoice } = await memberWithInvoice(app, { amountOre: 60000 });
    const form = { kid: invoice.kid!, amount: '600', booking_date: '2025-03-05' };
    await treasurer.get('/billing/payments/new');
    await treasurer2.get('/billing/payments/new');
    const before = await paymentTableCounts(h.db());
    const results = await Promise.all([
      treasurer.post('/billing/payments/new', form),
      treasurer2.post('/billing/payments/new', form),
    ]);
    expect(results.map((r) => r.res.status).sort()).toEqual([303, 409]);
    expect(results.find((r) => r.res.status === 409)!.html).toContain('allerede registrert');
    const after = await paymentTableCounts(h.db());
    expect(after.payments).toBe(before.payments + 1);
    expect((await invoiceNow(h.db(), invoice.id)).paidOre).toBe(60000);
  });

  it('refuses a payment by hand for a credited invoice and points to the member', async () => {
    const { invoice, memberNumber } = await memberWithInvoice(app, { amountOre: 60000 });
    await creditInvoice(app, invoice.id);
    const { res, html } = await treasurer.submit('/billing/payments/new', '/billing/payments/new', {
      invoice_number: String(invoice.number),
      amount: '600',
      booking_date: '2025-03-05',
    });
    expect(res.status).toBe(409);
    expect(html).toContain(`Faktura ${invoice.number} er kreditert`);
    expect(html).toContain(`medlemsnummer ${memberNumber}`);
  });

  it('checks an uploaded file first, imports it on the second step, and not twice', async () => {
    await memberWithInvoice(app, { amountOre: 12300 });
    const file = queueFile([12300, 45600, 78900]);
    await treasurer.get('/billing/imports');
    const before = await paymentTableCounts(h.db());
    const check = await upload(treasurer, file);
    expect(check.res.status).toBe(200);
    expect(check.html).toContain('Ingenting er lagret ennå');
    expect(check.html).toContain('name="checked_sha256"');
    expect(await paymentTableCounts(h.db())).toEqual(before);
    const sha = /name="checked_sha256" value="([0-9a-f]{64})"/.exec(check.html)![1]!;
    // A different file under the checked hash is refused.
    const other = await upload(treasurer, queueFile([11100]), {
      mode: 'commit',
      checked_sha256: sha,
    });
    expect(other.res.status).toBe(409);
    expect(other.html).toContain('ikke den samme filen');
    await treasurer.get('/billing/imports');
    const commit = await upload(treasurer, file, { mode: 'commit', checked_sha256: sha });
    expect(commit.res.status).toBe(200);
    expect(commit.html).toContain('Bankfilen er importert');
    expect((await paymentTableCounts(h.db())).payments).toBe(before.payments + 3);
    await treasurer.get('/billing/imports');
    const again = await upload(treasurer, file, { mode: 'commit', checked_sha256: sha });
    expect(again.html).toContain('Å importere den igjen endrer ingenting');
    expect((await paymentTableCounts(h.db())).payments).toBe(before.payments + 3);
    const imports = await treasurer.get('/billing/imports');
    expect(imports.html).toContain('bank.txt');
  });

  it('refuses a malformed upload with the line and the reason, and imports nothing', async () => {
    const lines = bankFixture('ocr-giro.txt').toString('latin1').split('\r\n');
    lines[4] = lines[4]!.slice(0, 79);
    await treasurer.get('/billing/imports');
    const before = await paymentTableCounts(h.db());
    const { res, html } = await upload(treasurer, lines.join('\r\n'));
    expect(res.status).toBe(400);
    expect(html).toContain('Linje 5: posten er 79 tegn lang');
    expect(html).toContain('ingenting fra den er importert');
    expect(await paymentTableCounts(h.db())).toEqual(before);
  });

  it('shows the queue; the treasurer matches one by hand and sets another aside', async () => {
    const target = await memberWithInvoice(app, { amountOre: 45600 });
    const queue = await treasurer.get('/billing/payments?status=unmatched');
    expect(queue.res.status).toBe(200);
    expect(queue.html).toContain('Uavklarte innbetalinger');
    const queued = await h
      .db()
      .selectFrom('payments')
      .selectAll()
      .where('status', '=', 'unmatched')
      .orderBy('amount_ore')
      .execute();
    const p456 = queued.find((p) => p.amount_ore === 45600)!;
    const p789 = queued.find((p) => p.amount_ore === 78900)!;
    expect(queue.html).toContain(`/billing/payments/${p456.id}/match`);
    // The open invoice of the same amount is suggested.
    expect(queue.html).toContain(`Faktura ${target.invoice.number}`);

    const bad = await treasurer.post(`/billing/payments/${p456.id}/match`, {
      invoice_number: '999999',
      back: '/billing/payments?status=unmatched',
    });
    expect(bad.res.status).toBe(404);
    expect(bad.html).toContain('Fant ingen faktura med nummer 999999');
    expect(bad.html).toContain('value="999999"');

    await treasurer.get('/billing/payments?status=unmatched');
    const match = await treasurer.post(`/billing/payments/${p456.id}/match`, {
      invoice_number: String(target.invoice.number),
      back: '/billing/payments?status=unmatched',
    });
    expect(match.res.status).toBe(303);
    expect(match.res.headers.get('location')).toBe('/billing/payments?status=unmatched');
    expect((await invoiceNow(h.db(), target.invoice.id)).settledAt).not.toBeNull();
    const matched = await h
      .db()
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', p456.id)
      .executeTakeFirstOrThrow();
    expect(matched).toMatchObject({
      status: 'matched',
      match_rule: 'manual',
      member_id: target.memberId,
    });

    const ignore = await treasurer.post(`/billing/payments/${p789.id}/ignore`, {
      reason: 'Ikke kontingent',
      back: '//evil.example',
    });
    expect(ignore.res.status).toBe(303);
    expect(ignore.res.headers.get('location')).toBe(`/billing/payments/${p789.id}`);
    const ignored = await h
      .db()
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', p789.id)
      .executeTakeFirstOrThrow();
    expect(ignored).toMatchObject({ status: 'ignored', note: 'Ikke kontingent' });

    await treasurer.get(`/billing/payments/${p789.id}`);
    const twice = await treasurer.post(`/billing/payments/${p789.id}/match`, {
      member_number: '1',
    });
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede behandlet');
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', 'in', [p456.id, p789.id])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'billing.payment_ignored',
      'billing.payment_matched',
    ]);
  });

  it('lists payments with filters and exports them as CSV', async () => {
    const list = await treasurer.get('/billing/payments?source=ocr&from=2025-03-01&to=2025-03-31');
    expect(list.res.status).toBe(200);
    expect(list.html).toContain('OCR giro');
    const badFilter = await treasurer.get('/billing/payments?from=2025-13-01');
    expect(badFilter.res.status).toBe(400);
    const csv = await treasurer.get('/billing/payments/export.csv?status=ignored');
    expect(csv.res.headers.get('content-type')).toContain('text/csv');
    const rows = csv.html
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toMatch(/^booking_date,amount,amount_ore,kind,source,status/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('789.00,78900,credit,ocr,ignored');
  });
});
