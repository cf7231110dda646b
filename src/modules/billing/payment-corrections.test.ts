import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { systemActor } from '../../app/audit.js';
import { fixedClock } from '../../app/clock.js';
import { newId } from '../../app/ids.js';
import { setUpAssociation, startTestApp, type TestClient } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { insertPayment } from './payments.repository.js';
import { registerPayment } from './payments.usecases.js';
import { invoiceNow, memberWithInvoice, setUpBilling } from './payments.test-support.js';

// Corrections in the payment queue and after it: a set-aside payment brought back, and a
// payment the bank returned registered by hand (with the effects of an imported reversal).

describeEachDialect('payment corrections', (h) => {
  let app: Running;
  let treasurer: TestClient;
  let treasurer2: TestClient;
  let member: TestClient;
  let write: string;
  let plainToken: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-03-06T10:00:00Z') });
    await setUpAssociation(app);
    await setUpBilling(app.ctx.db, app.ctx.clock.now());
    const t1 = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const t2 = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const pm = await createMemberUser(h.db());
    treasurer = await loggedIn(app, t1.user.email);
    treasurer2 = await loggedIn(app, t2.user.email);
    member = await loggedIn(app, pm.user.email);
    write = await issueToken(h.db(), t1.user.id, ['billing:write']);
    plainToken = await issueToken(h.db(), pm.user.id, ['billing:write']);
  });
  afterAll(async () => app.close());

  /** An unmatched payment, as an import leaves one in the queue. */
  async function queued(amountOre: number): Promise<string> {
    const id = newId();
    await insertPayment(h.db(), {
      id,
      source: 'ocr',
      source_ref: `test:${id}`,
      bank_import_id: null,
      kind: 'credit',
      amount_ore: amountOre,
      kid: null,
      booking_date: '2025-03-05',
      payer_name: 'Ukjent Betaler',
      payer_account: null,
      message: 'Gave',
      bank_reference: null,
      status: 'unmatched',
      member_id: null,
      invoice_id: null,
      match_rule: null,
      reverses_payment_id: null,
      note: null,
      created_at: '2025-03-06T09:00:00.000Z',
      created_by: null,
    });
    return id;
  }

  /** A dues invoice paid in full by hand: settled, its period paid. */
  async function paidDues() {
    const target = await memberWithInvoice(app, { amountOre: 60000, year: 2025 });
    const { payment } = await registerPayment(app.ctx, {
      actor: systemActor,
      payment: {
        invoice_number: target.invoice.number,
        kid: undefined,
        member_number: undefined,
        amount: 60000,
        booking_date: '2025-03-04',
        payer_name: 'Kari',
        reference: null,
        note: null,
      },
    });
    return { ...target, paymentId: payment.id };
  }

  async function periodPaidAt(memberId: string): Promise<string | null | undefined> {
    const row = await h
      .db()
      .selectFrom('membership_periods')
      .select('paid_at')
      .where('member_id', '=', memberId)
      .where('year', '=', 2025)
      .executeTakeFirst();
    return row?.paid_at;
  }

  it('brings a set-aside payment back to the queue, once, with an audit entry', async () => {
    const id = await queued(12300);
    await treasurer.get(`/billing/payments/${id}`);
    const ignore = await treasurer.post(`/billing/payments/${id}/ignore`, { reason: 'Gave' });
    expect(ignore.res.status).toBe(303);

    const page = await treasurer.get(`/billing/payments/${id}`);
    expect(page.html).toContain(`/billing/payments/${id}/restore`);
    expect(page.html).toContain('Legg tilbake i køen');

    // A member without the office may neither see nor do it.
    expect((await member.get(`/billing/payments/${id}`)).res.status).toBe(403);
    await member.get('/membership');
    expect((await member.post(`/billing/payments/${id}/restore`, {})).res.status).toBe(403);

    await treasurer.get(`/billing/payments/${id}`);
    const restore = await treasurer.post(`/billing/payments/${id}/restore`, {});
    expect(restore.res.status).toBe(303);
    const after = await treasurer.get(restore.res.headers.get('location')!);
    expect(after.html).toContain('lagt tilbake blant de uavklarte');
    expect(after.html).toContain(`/billing/payments/${id}/match`);
    const row = await h
      .db()
      .selectFrom('payments')
      .select(['status', 'note'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'unmatched', note: null });
    const queue = await treasurer.get('/billing/payments?status=unmatched');
    expect(queue.html).toContain(`/billing/payments/${id}/match`);

    // Twice (a second tab): refused with a reason, nothing changes.
    const twice = await treasurer.post(`/billing/payments/${id}/restore`, {});
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('ikke satt til side');

    // The test clock stands still: both entries share an instant, so they are read by action.
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', id)
      .orderBy('action')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'billing.payment_ignored',
      'billing.payment_restored',
    ]);
    expect(JSON.parse(audit[1]!.before!)).toEqual({ status: 'ignored', reason: 'Gave' });
  });

  it('registers a reversal by hand with the effects of an imported one, and refuses it twice', async () => {
    const { invoice, memberId, paymentId } = await paidDues();
    expect((await invoiceNow(h.db(), invoice.id)).settledAt).not.toBeNull();
    expect(await periodPaidAt(memberId)).not.toBeNull();

    const page = await treasurer.get(`/billing/payments/${paymentId}`);
    expect(page.html).toContain(`/billing/payments/${paymentId}/reverse`);
    expect(page.html).toContain('Tilbakeført av banken');

    // Without a reason: refused beside the field, input kept.
    const noReason = await treasurer.post(`/billing/payments/${paymentId}/reverse`, {
      reason: ' ',
      booking_date: '2025-03-05',
    });
    expect(noReason.res.status).toBe(400);
    expect(noReason.html).toContain('Skriv hvorfor betalingen ble tilbakeført.');
    expect(noReason.html).toContain('value="2025-03-05"');
    // Before the payment itself, or in the future: refused.
    const early = await treasurer.post(`/billing/payments/${paymentId}/reverse`, {
      reason: 'Returnert',
      booking_date: '2025-03-01',
    });
    expect(early.res.status).toBe(400);
    expect(early.html).toContain('før betalingen');
    const future = await treasurer.post(`/billing/payments/${paymentId}/reverse`, {
      reason: 'Returnert',
      booking_date: '2025-04-01',
    });
    expect(future.res.status).toBe(400);

    // A member without the office: 403.
    await member.get('/membership');
    const forbidden = await member.post(`/billing/payments/${paymentId}/reverse`, {
      reason: 'x',
    });
    expect(forbidden.res.status).toBe(403);

    await treasurer.get(`/billing/payments/${paymentId}`);
    const ok = await treasurer.post(`/billing/payments/${paymentId}/reverse`, {
      reason: 'Returnert av banken: feil mottaker',
      booking_date: '2025-03-05',
    });
    expect(ok.res.status).toBe(303);
    const reversalPage = await treasurer.get(ok.res.headers.get('location')!);
    expect(reversalPage.html).toContain('Tilbakeføringen er registrert.');
    expect(reversalPage.html).toContain('Returnert av banken: feil mottaker');

    // The same effects as an imported reversal: the invoice is open again, the period no
    // longer paid, the allocation mirrored.
    const reopened = await invoiceNow(h.db(), invoice.id);
    expect(reopened).toMatchObject({ paidOre: 0, settledAt: null });
    expect(await periodPaidAt(memberId)).toBeNull();
    const reversal = await h
      .db()
      .selectFrom('payments')
      .selectAll()
      .where('reverses_payment_id', '=', paymentId)
      .executeTakeFirstOrThrow();
    expect(reversal).toMatchObject({
      kind: 'reversal',
      source: 'manual',
      status: 'matched',
      match_rule: 'reversal',
      amount_ore: 60000,
      member_id: memberId,
      booking_date: '2025-03-05',
      note: 'Returnert av banken: feil mottaker',
    });
    const allocations = await h
      .db()
      .selectFrom('payment_allocations')
      .select(['amount_ore', 'kind', 'invoice_id'])
      .where('payment_id', '=', reversal.id)
      .execute();
    expect(allocations).toEqual([{ amount_ore: -60000, kind: 'reversal', invoice_id: invoice.id }]);
    const actions = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', 'in', [paymentId, memberId])
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['billing.payment_reversed', 'billing.membership_unpaid']),
    );

    // The form is gone; posting again is refused and changes nothing.
    const again = await treasurer.get(`/billing/payments/${paymentId}`);
    expect(again.html).not.toContain(`/billing/payments/${paymentId}/reverse`);
    const twice = await treasurer.post(`/billing/payments/${paymentId}/reverse`, {
      reason: 'Igjen',
    });
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede tilbakeført');
    // A reversal itself cannot be reversed.
    const ofReversal = await treasurer.post(`/billing/payments/${reversal.id}/reverse`, {
      reason: 'Igjen',
    });
    expect(ofReversal.res.status).toBe(409);
    const count = await h
      .db()
      .selectFrom('payments')
      .select('id')
      .where('reverses_payment_id', '=', paymentId)
      .execute();
    expect(count).toHaveLength(1);
    expect((await invoiceNow(h.db(), invoice.id)).paidOre).toBe(0);
  });

  it('lets exactly one of two treasurers register the same reversal at once', async () => {
    const { invoice, paymentId } = await paidDues();
    await treasurer.get(`/billing/payments/${paymentId}`);
    await treasurer2.get(`/billing/payments/${paymentId}`);
    const results = await Promise.all([
      treasurer.post(`/billing/payments/${paymentId}/reverse`, { reason: 'Returnert' }),
      treasurer2.post(`/billing/payments/${paymentId}/reverse`, { reason: 'Returnert' }),
    ]);
    expect(results.map((r) => r.res.status).sort()).toEqual([303, 409]);
    const reversals = await h
      .db()
      .selectFrom('payments')
      .select('id')
      .where('reverses_payment_id', '=', paymentId)
      .execute();
    expect(reversals).toHaveLength(1);
    expect((await invoiceNow(h.db(), invoice.id)).paidOre).toBe(0);
  });

  it('restores and reverses over the API, in the OpenAPI document', async () => {
    const { invoice, paymentId } = await paidDues();
    const body = { reason: 'Returnert', booking_date: '2025-03-05' };
    expect(
      (await apiSend(app.url, 'POST', `/payments/${paymentId}/reverse`, plainToken, body)).status,
    ).toBe(403);
    const bad = await apiSend(app.url, 'POST', `/payments/${paymentId}/reverse`, write, {
      reason: '',
    });
    expect(bad.status).toBe(400);
    const ok = await apiSend(app.url, 'POST', `/payments/${paymentId}/reverse`, write, body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      reversal: { kind: 'reversal', amountOre: 60000, reversesPaymentId: paymentId },
      reopenedInvoices: [invoice.number],
    });
    const twice = await apiSend(app.url, 'POST', `/payments/${paymentId}/reverse`, write, body);
    expect(twice.status).toBe(409);
    expect((twice.body as { error: { code: string } }).error.code).toBe(
      'billing.payments.already_reversed',
    );

    const id = await queued(4500);
    expect(
      (await apiSend(app.url, 'POST', `/payments/${id}/ignore`, write, { reason: 'Gave' })).status,
    ).toBe(200);
    const restored = await apiSend(app.url, 'POST', `/payments/${id}/restore`, write, {});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, status: 'unmatched', note: null });
    expect((await apiSend(app.url, 'POST', `/payments/${id}/restore`, write, {})).status).toBe(409);

    const doc = (await apiGet(app.url, '/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/payments/{id}/reverse', '/payments/{id}/restore']),
    );
  });
});
