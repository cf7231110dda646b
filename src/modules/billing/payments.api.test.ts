import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import {
  bankFixture,
  invoiceNow,
  memberWithInvoice,
  paymentTableCounts,
  setUpBilling,
} from './payments.test-support.js';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** Posts raw bytes, as a bank file goes to /payments/import. */
async function sendFile(app: Running, token: string, bytes: Buffer, query: string) {
  const res = await fetch(new URL(`/api/v1/payments/import${query}`, app.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describeEachDialect('payments over the API', (h) => {
  let app: Running;
  let write: string;
  let read: string;
  let plain: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-03-06T10:00:00Z') });
    await setUpAssociation(app);
    await setUpBilling(app.ctx.db, app.ctx.clock.now());
    const treasurer = await createMemberUser(h.db(), { offices: ['treasurer'] });
    write = await issueToken(h.db(), treasurer.user.id, ['billing:write']);
    read = await issueToken(h.db(), treasurer.user.id, ['billing:read']);
    const member = await createMemberUser(h.db());
    plain = await issueToken(h.db(), member.user.id, ['billing:write']);
  });
  afterAll(async () => app.close());

  it('registers a payment by hand, once; refuses bad amounts and read-only tokens', async () => {
    const { invoice } = await memberWithInvoice(app, { amountOre: 60000 });
    const body = { invoice_number: invoice.number, amount: '600,00', booking_date: '2025-03-05' };
    expect((await apiSend(app.url, 'POST', '/payments', read, body)).status).toBe(403);
    expect((await apiSend(app.url, 'POST', '/payments', plain, body)).status).toBe(403);
    const bad = await apiSend(app.url, 'POST', '/payments', write, { ...body, amount: '12,345' });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorBody).error.fields?.['amount']).toContain('mer enn to desimaler');
    const ok = await apiSend(app.url, 'POST', '/payments', write, body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      toInvoiceOre: 60000,
      toCreditOre: 0,
      payment: { status: 'matched', amountOre: 60000 },
    });
    const again = await apiSend(app.url, 'POST', '/payments', write, {
      ...body,
      amount: undefined,
      amount_ore: 60000,
    });
    expect(again.status).toBe(409);
    expect((again.body as ErrorBody).error.code).toBe('billing.payments.already_registered');
    expect((await invoiceNow(h.db(), invoice.id)).paidOre).toBe(60000);
  });

  it('imports a bank file sent as the raw body: dry run by default, then for real', async () => {
    await memberWithInvoice(app, { amountOre: 60000, kid: '20250000104' });
    const file = bankFixture('ocr-giro.txt');
    const before = await paymentTableCounts(h.db());
    expect((await sendFile(app, read, file, '')).status).toBe(403);
    const dry = await sendFile(app, write, file, '');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      committed: false,
      format: 'ocr',
      transactions: 5,
    });
    expect(await paymentTableCounts(h.db())).toEqual(before);
    const real = await sendFile(app, write, file, '?dry_run=false');
    expect(real.body).toMatchObject({ dryRun: false, committed: true, transactions: 5 });
    expect((real.body['rows'] as { outcome: string }[]).length).toBe(5);
    const again = await sendFile(app, write, file, '?dry_run=false');
    expect(again.body).toMatchObject({ committed: false });
    expect(again.body['alreadyImported']).not.toBeNull();
  });

  it('refuses a malformed file with 400, where and why, and imports nothing', async () => {
    const text = bankFixture('ocr-giro.txt')
      .toString('latin1')
      .replace('00000000000300050', '00000000000300051');
    const before = await paymentTableCounts(h.db());
    const res = await sendFile(app, write, Buffer.from(text, 'latin1'), '?dry_run=false');
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error.code).toBe('bank_file.sum_mismatch');
    expect((res.body as ErrorBody).error.message).toContain('Linje 17');
    expect(await paymentTableCounts(h.db())).toEqual(before);
  });

  it('lists payments and resolves the queue by hand', async () => {
    const list = await apiGet(app.url, '/payments?status=unmatched', read);
    expect(list.status).toBe(200);
    const queued = (list.body as { payments: { id: string; amountOre: number; kind: string }[] })
      .payments;
    // From the sample OCR file: a payment without KID and no invoice of its amount.
    const credit = queued.find((p) => p.kind === 'credit')!;
    expect(credit).toBeDefined();
    const { invoice, memberNumber } = await memberWithInvoice(app, { amountOre: credit.amountOre });
    expect(
      (
        await apiSend(app.url, 'POST', `/payments/${credit.id}/match`, read, {
          invoice_number: invoice.number,
        })
      ).status,
    ).toBe(403);
    const matched = await apiSend(app.url, 'POST', `/payments/${credit.id}/match`, write, {
      invoice_number: invoice.number,
    });
    expect(matched.status).toBe(200);
    expect(matched.body).toMatchObject({ status: 'matched', matchRule: 'manual' });
    const detail = await apiGet(app.url, `/payments/${credit.id}`, read);
    expect(detail.body).toMatchObject({
      allocations: [
        { invoiceNumber: invoice.number, amountOre: credit.amountOre, kind: 'payment' },
      ],
    });
    const twice = await apiSend(app.url, 'POST', `/payments/${credit.id}/ignore`, write, {
      reason: 'x',
    });
    expect(twice.status).toBe(409);
    const noReason = await apiSend(app.url, 'POST', `/payments/${credit.id}/ignore`, write, {
      reason: '',
    });
    expect(noReason.status).toBe(400);
    const byMember = await apiGet(app.url, `/payments?member=${memberNumber}`, read);
    expect((byMember.body as { total: number }).total).toBe(1);
  });

  it('describes the operations in the OpenAPI document', async () => {
    const doc = (await apiGet(app.url, '/openapi.json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/payments',
        '/payments/import',
        '/payments/{id}',
        '/payments/{id}/match',
        '/payments/{id}/ignore',
      ]),
    );
    expect(Object.keys(doc.paths['/payments/import']!['post']!.requestBody!.content)).toEqual([
      'application/octet-stream',
    ]);
  });
});
