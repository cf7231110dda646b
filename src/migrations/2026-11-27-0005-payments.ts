import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Payments: which invoice a payment went to and by which rule it was matched (for the
// lists and the queue; the allocations stay the record of where the money went), and
// the indexes reconciliation looks up by.

async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  // A file of 100 000 payments of 600 kr totals 6 000 000 000 øre: more than a 32-bit
  // integer holds. (SQLite's integers are 64-bit already.)
  if (await isPostgres(db)) {
    await sql`alter table bank_imports alter column total_ore type bigint`.execute(db);
  }
  // No foreign key on invoice_id: SQLite cannot drop a column that has one, and the
  // payment_allocations rows (which do reference invoices) are the authoritative link.
  await db.schema.alterTable('payments').addColumn('invoice_id', 'text').execute();
  await db.schema.alterTable('payments').addColumn('match_rule', 'text').execute();
  // Only reversals have reverses_payment_id: a partial index stays tiny and costs an
  // import of 100 000 payments nothing to keep.
  await db.schema
    .createIndex('payments_reverses')
    .on('payments')
    .column('reverses_payment_id')
    .where(sql.ref('reverses_payment_id'), 'is not', null)
    .execute();
  // refreshInvoiceState sums an invoice's credit notes by credited_invoice_id (partial:
  // only credit notes have one).
  await db.schema
    .createIndex('invoices_credited')
    .on('invoices')
    .column('credited_invoice_id')
    .where(sql.ref('credited_invoice_id'), 'is not', null)
    .execute();
  // Matching by amount looks for open invoices whose outstanding amount equals a payment.
  await sql`create index invoices_open_outstanding on invoices ((total_ore - paid_ore - credited_ore)) where settled_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (await isPostgres(db)) {
    await sql`alter table bank_imports alter column total_ore type integer`.execute(db);
  }
  await db.schema.dropIndex('invoices_open_outstanding').execute();
  await db.schema.dropIndex('invoices_credited').execute();
  await db.schema.dropIndex('payments_reverses').execute();
  await db.schema.alterTable('payments').dropColumn('match_rule').execute();
  await db.schema.alterTable('payments').dropColumn('invoice_id').execute();
}
