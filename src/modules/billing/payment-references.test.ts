import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { newId } from '../../app/ids.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { insertAllocations, insertPayment } from './payments.repository.js';
import { memberWithInvoice, setUpBilling } from './payments.test-support.js';

// A payment's references stay whole on both databases: SQLite by its foreign keys,
// PostgreSQL by the guards of migration 0012 (a referenced row cannot be deleted).

function refusedAsForeignKey(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

describeEachDialect('payment references', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-03-06T10:00:00Z') });
    await setUpAssociation(app);
    await setUpBilling(app.ctx.db, app.ctx.clock.now());
  });
  afterAll(async () => app.close());

  it('refuses to delete a member, invoice or payment that a payment or allocation refers to', async () => {
    const db = h.db();
    const { memberId, invoice } = await memberWithInvoice(app, { amountOre: 60000 });
    const now = new Date().toISOString();
    const paymentId = newId();
    await insertPayment(db, {
      id: paymentId,
      source: 'manual',
      source_ref: `manual:${paymentId}`,
      bank_import_id: null,
      kind: 'credit',
      amount_ore: 60000,
      kid: null,
      booking_date: '2025-03-06',
      payer_name: null,
      payer_account: null,
      message: null,
      bank_reference: null,
      status: 'matched',
      member_id: memberId,
      invoice_id: invoice.id,
      match_rule: 'manual',
      reverses_payment_id: null,
      note: null,
      created_at: now,
      created_by: null,
    });
    const allocationId = newId();
    await insertAllocations(db, [
      {
        id: allocationId,
        payment_id: paymentId,
        invoice_id: invoice.id,
        member_id: memberId,
        amount_ore: 60000,
        kind: 'payment',
        created_at: now,
        created_by: null,
      },
    ]);

    const attempts = [
      () => db.deleteFrom('payments').where('id', '=', paymentId).execute(),
      () => db.deleteFrom('invoices').where('id', '=', invoice.id).execute(),
      () => db.deleteFrom('members').where('id', '=', memberId).execute(),
    ];
    for (const attempt of attempts) {
      const err = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(refusedAsForeignKey(err)).toBe(true);
    }
    expect(
      await db.selectFrom('payments').select('id').where('id', '=', paymentId).execute(),
    ).toHaveLength(1);

    // Once nothing refers to it any more, a row can go (the guard looks at references only).
    await db.deleteFrom('payment_allocations').where('id', '=', allocationId).execute();
    await db.deleteFrom('payments').where('id', '=', paymentId).execute();
    expect(
      await db.selectFrom('payments').select('id').where('id', '=', paymentId).execute(),
    ).toHaveLength(0);
  });
});
