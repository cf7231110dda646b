// Helpers shared by the fee, invoice and dues run tests (imported by *.test.ts only).
import type { Kysely } from 'kysely';
import type { Running } from '../../app/bootstrap.js';
import type { DB } from '../../app/database.js';
import { systemActor } from '../../app/audit.js';
import { newId } from '../../app/ids.js';
import { DEFAULT_BILLING_SETTINGS, saveBillingSettings } from './billing-settings.repository.js';
import { setFees } from './fees.usecases.js';
import { refreshInvoiceState } from './invoices.repository.js';

/** A valid Norwegian bank account (MOD11). */
export const BANK_ACCOUNT = '86011117947';

/** The data.coop example: 150 kr outside VAT + 450 kr incl. 25 % VAT; reduced 50 + 50. */
export async function seedDataCoopFees(app: Running, year: number): Promise<void> {
  const deps = app.ctx;
  await setFees(deps, {
    actor: systemActor,
    year,
    typeCode: 'ordinary',
    components: [
      {
        nameNb: 'Medlemskontingent',
        nameEn: 'Membership fee',
        amountOre: 15000,
        vatRateBp: 0,
        orMore: false,
      },
      {
        nameNb: 'Tjenesteavgift',
        nameEn: 'Service fee',
        amountOre: 45000,
        vatRateBp: 2500,
        orMore: false,
      },
    ],
  });
  await setFees(deps, {
    actor: systemActor,
    year,
    typeCode: 'reduced',
    components: [
      {
        nameNb: 'Medlemskontingent',
        nameEn: 'Membership fee',
        amountOre: 5000,
        vatRateBp: 0,
        orMore: false,
      },
      {
        nameNb: 'Tjenesteavgift',
        nameEn: 'Service fee',
        amountOre: 5000,
        vatRateBp: 2500,
        orMore: false,
      },
    ],
  });
}

export async function setBankAccount(
  db: Kysely<DB>,
  overrides: Partial<typeof DEFAULT_BILLING_SETTINGS> = {},
): Promise<void> {
  await saveBillingSettings(
    db,
    { ...DEFAULT_BILLING_SETTINGS, bankAccount: BANK_ACCOUNT, ...overrides },
    new Date(),
  );
}

/** Records a payment on an invoice the simple way (helper H owns real payments). */
export async function payOnInvoice(
  db: Kysely<DB>,
  invoice: { id: string; memberId: string },
  amountOre: number,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('payment_allocations')
      .values({
        id: newId(),
        payment_id: null,
        invoice_id: invoice.id,
        member_id: invoice.memberId,
        amount_ore: amountOre,
        kind: 'payment',
        created_at: new Date().toISOString(),
        created_by: null,
      })
      .execute();
    await refreshInvoiceState(tx, invoice.id, new Date());
  });
}

export async function invoicesOf(db: Kysely<DB>, memberId: string) {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('number')
    .execute();
}

/** Polls a dues run until it is no longer running. */
export async function waitForRun(db: Kysely<DB>, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await db
      .selectFrom('dues_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error('dues run did not finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
