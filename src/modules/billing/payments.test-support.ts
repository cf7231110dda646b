// Helpers shared by the payment tests (imported by *.test.ts only).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Running } from '../../app/bootstrap.js';
import { systemActor } from '../../app/audit.js';
import type { DB } from '../../app/database.js';
import { createMember } from '../../../test/helpers/fixtures.js';
import { findMemberById } from '../members/members.repository.js';
import type { MemberStatus } from '../members/members.tables.js';
import { DEFAULT_BILLING_SETTINGS, saveBillingSettings } from './billing-settings.repository.js';
import { issueCreditNote, issueInvoice } from './invoice-issue.js';
import { findInvoiceById, type Invoice } from './invoices.repository.js';

export const BANK_FIXTURES = fileURLToPath(
  new URL('../../../test/fixtures/bank/', import.meta.url),
);

export function bankFixture(name: string): Buffer {
  return readFileSync(`${BANK_FIXTURES}${name}`);
}

/** One chunk at a time, as an upload or a file stream delivers it. */
export async function* chunksOf(bytes: Buffer | string, size = 4096): AsyncGenerator<Uint8Array> {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  for (let i = 0; i < b.length; i += size) {
    await Promise.resolve();
    yield b.subarray(i, i + size);
  }
}

export async function setUpBilling(db: Kysely<DB>, now: Date): Promise<void> {
  await saveBillingSettings(db, { ...DEFAULT_BILLING_SETTINGS, bankAccount: '86011117947' }, now);
}

/** A member with one invoice of `amountOre` (dues of `year` unless said otherwise). */
export async function memberWithInvoice(
  app: Running,
  opts: {
    amountOre: number;
    name?: string;
    status?: MemberStatus;
    year?: number;
    purpose?: 'dues' | 'other';
    orMore?: boolean;
    /** Give the invoice this KID (the fixtures' KIDs are not of our shape). */
    kid?: string;
    now?: Date;
  },
): Promise<{ memberId: string; memberNumber: number; invoice: Invoice }> {
  const db = app.ctx.db;
  const now = opts.now ?? app.ctx.clock.now();
  const { id, memberNumber } = await createMember(db, {
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.status ? { status: opts.status } : {}),
  });
  const member = (await findMemberById(db, id))!;
  const { invoice } = await db.transaction().execute((tx) =>
    issueInvoice(tx, {
      member,
      lines: [{ description: 'Kontingent', grossOre: opts.amountOre, vatRateBp: 0 }],
      purpose: opts.purpose ?? 'dues',
      year: opts.purpose === 'other' ? null : (opts.year ?? 2025),
      orMore: !!opts.orMore,
      issueDate: now.toISOString().slice(0, 10),
      actor: systemActor,
      now,
    }),
  );
  if (opts.kid) {
    await db.updateTable('invoices').set({ kid: opts.kid }).where('id', '=', invoice.id).execute();
  }
  return { memberId: id, memberNumber, invoice: (await findInvoiceById(db, invoice.id))! };
}

export async function creditInvoice(app: Running, invoiceId: string): Promise<void> {
  const now = app.ctx.clock.now();
  await app.ctx.db.transaction().execute((tx) =>
    issueCreditNote(tx, {
      invoiceId,
      reason: 'test',
      issueDate: now.toISOString().slice(0, 10),
      actor: systemActor,
      now,
    }),
  );
}

export async function invoiceNow(db: Kysely<DB>, id: string): Promise<Invoice> {
  return (await findInvoiceById(db, id))!;
}

/** Row counts of everything an import may write, to show that nothing was written. */
export async function paymentTableCounts(db: Kysely<DB>) {
  const count = async (
    table: 'payments' | 'payment_allocations' | 'bank_imports' | 'membership_periods',
  ) => {
    const row = await db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const paid = await db
    .selectFrom('invoices')
    .select(sql<number>`coalesce(sum(paid_ore), 0)`.as('n'))
    .executeTakeFirstOrThrow();
  return {
    payments: await count('payments'),
    allocations: await count('payment_allocations'),
    imports: await count('bank_imports'),
    periods: await count('membership_periods'),
    paidOre: Number(paid.n),
  };
}
