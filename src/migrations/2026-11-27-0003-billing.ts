import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Dues: fee schedule with VAT per component, invoices and credit notes in one gapless
// series, bank imports, payments and their allocations, reminders, dues runs.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('billing_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bank_account', 'text')
    .addColumn('due_days', 'integer', (c) => c.notNull())
    .addColumn('kid_member_digits', 'integer', (c) => c.notNull())
    .addColumn('kid_invoice_digits', 'integer', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull())
    .addColumn('reminder_after_days', 'integer', (c) => c.notNull())
    .addColumn('reminder_fee_ore', 'integer', (c) => c.notNull())
    .addColumn('pro_rata', 'integer', (c) => c.notNull())
    .addColumn('invoice_note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('fee_components')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type_id', 'text', (c) => c.notNull().references('membership_types.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name_nb', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('amount_ore', 'integer', (c) => c.notNull()) // gross: VAT included
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull()) // basis points: 2500 = 25 %, 0 = outside VAT
    .addColumn('or_more', 'integer', (c) => c.notNull())
    .addUniqueConstraint('fee_components_type_year_position', ['type_id', 'year', 'position'])
    .execute();

  await db.schema
    .createTable('dues_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // running | done | failed
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('started_by', 'text')
    .addColumn('due_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique()) // one gapless series for invoices and credit notes
    .addColumn('kind', 'text', (c) => c.notNull()) // invoice | credit_note
    .addColumn('credited_invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('purpose', 'text', (c) => c.notNull()) // dues | reminder_fee | other
    .addColumn('year', 'integer')
    .addColumn('dues_key', 'text', (c) => c.unique()) // dues:<year>:<member>:<n>: a dues run never issues twice
    .addColumn('dues_run_id', 'text', (c) => c.references('dues_runs.id'))
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.unique())
    .addColumn('bank_account', 'text')
    .addColumn('seller', 'text', (c) => c.notNull()) // JSON snapshot: name, address, org number, VAT registration
    .addColumn('buyer', 'text', (c) => c.notNull()) // JSON snapshot: name, address, org number, member number
    .addColumn('vat_registered', 'integer', (c) => c.notNull())
    .addColumn('or_more', 'integer', (c) => c.notNull())
    .addColumn('net_ore', 'integer', (c) => c.notNull())
    .addColumn('vat_ore', 'integer', (c) => c.notNull())
    .addColumn('total_ore', 'integer', (c) => c.notNull())
    .addColumn('paid_ore', 'integer', (c) => c.notNull().defaultTo(0)) // payment state, not content
    .addColumn('settled_at', 'text')
    .addColumn('credited_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('invoices_member')
    .on('invoices')
    .columns(['member_id', 'issue_date'])
    .execute();
  await db.schema
    .createIndex('invoices_year_kind')
    .on('invoices')
    .columns(['year', 'kind'])
    .execute();
  await db.schema
    .createIndex('invoices_open_due')
    .on('invoices')
    .columns(['settled_at', 'due_date'])
    .execute();

  await db.schema
    .createTable('invoice_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('gross_ore', 'integer', (c) => c.notNull())
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('vat_ore', 'integer', (c) => c.notNull())
    .addColumn('net_ore', 'integer', (c) => c.notNull())
    .addUniqueConstraint('invoice_lines_invoice_position', ['invoice_id', 'position'])
    .execute();

  await db.schema
    .createTable('bank_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text')
    .addColumn('filename', 'text')
    .addColumn('transaction_count', 'integer', (c) => c.notNull())
    .addColumn('total_ore', 'integer', (c) => c.notNull())
    .addColumn('matched_count', 'integer', (c) => c.notNull())
    .addColumn('unmatched_count', 'integer', (c) => c.notNull())
    .addColumn('duplicate_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text')
    .execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull()) // manual | ocr | camt.053 | camt.054
    .addColumn('source_ref', 'text', (c) => c.notNull().unique()) // idempotency: a payment is registered once
    .addColumn('bank_import_id', 'text', (c) => c.references('bank_imports.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // credit | reversal
    .addColumn('amount_ore', 'integer', (c) => c.notNull()) // always positive; kind says the direction
    .addColumn('kid', 'text')
    .addColumn('booking_date', 'text', (c) => c.notNull())
    .addColumn('payer_name', 'text')
    .addColumn('payer_account', 'text')
    .addColumn('message', 'text')
    .addColumn('bank_reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // matched | unmatched | ignored
    .addColumn('member_id', 'text', (c) => c.references('members.id'))
    .addColumn('reverses_payment_id', 'text', (c) => c.references('payments.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('payments_status')
    .on('payments')
    .columns(['status', 'booking_date'])
    .execute();
  await db.schema.createIndex('payments_member').on('payments').column('member_id').execute();
  await db.schema.createIndex('payments_kid').on('payments').column('kid').execute();

  // Where money went: to an invoice, or (invoice_id null) to the member's credit balance.
  // Reversals and uses of credit are negative rows; sums give paid amounts and balances.
  await db.schema
    .createTable('payment_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
    .addColumn('invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('amount_ore', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // payment | overpayment | credit_used | reversal
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('payment_allocations_invoice')
    .on('payment_allocations')
    .column('invoice_id')
    .execute();
  await db.schema
    .createIndex('payment_allocations_member')
    .on('payment_allocations')
    .column('member_id')
    .execute();
  await db.schema
    .createIndex('payment_allocations_payment')
    .on('payment_allocations')
    .column('payment_id')
    .execute();

  await db.schema
    .createTable('reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('fee_ore', 'integer', (c) => c.notNull())
    .addColumn('fee_invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('reminders_invoice_sequence', ['invoice_id', 'sequence'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'reminders',
    'payment_allocations',
    'payments',
    'bank_imports',
    'invoice_lines',
    'invoices',
    'dues_runs',
    'fee_components',
    'billing_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
