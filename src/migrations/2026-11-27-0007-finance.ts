import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Finance: expense claims with their receipts and steps, budgets, the chart of
// accounts, and the double-entry journal that dues and expenses post to.

async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  const blob = (await isPostgres(db)) ? 'bytea' : 'blob';

  await db.schema
    .createTable('finance_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fiscal_year_start_month', 'integer', (c) => c.notNull())
    .addColumn('accounts', 'text', (c) => c.notNull()) // JSON: role → account number
    .addColumn('posted_from', 'text') // first date the journal posts dues from (null: all)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_accounts')
    .addColumn('number', 'text', (c) => c.primaryKey()) // '1920'
    .addColumn('name_nb', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('expense_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull()) // a ledger account number
    .addColumn('amount_ore', 'integer', (c) => c.notNull())
    .addColumn('payee_account', 'text', (c) => c.notNull())
    .addColumn('interval', 'text', (c) => c.notNull()) // monthly | quarterly | yearly
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('expense_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('submitted_by', 'text', (c) => c.notNull()) // user id
    .addColumn('series_id', 'text', (c) => c.references('expense_series.id'))
    .addColumn('spent_on', 'text', (c) => c.notNull())
    .addColumn('amount_ore', 'integer', (c) => c.notNull())
    .addColumn('vat_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull()) // a ledger account number
    .addColumn('payee_account', 'text', (c) => c.notNull()) // 11 digits, MOD11
    // submitted | returned | attested | approved | paid | rejected
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attested_by', 'text')
    .addColumn('attested_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('paid_on', 'text')
    .addColumn('payment_reference', 'text')
    .addColumn('paid_by', 'text')
    .addColumn('reason', 'text') // for rejection or return
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('pseudonymised_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('expense_claims_member')
    .on('expense_claims')
    .column('member_id')
    .execute();
  await db.schema
    .createIndex('expense_claims_status')
    .on('expense_claims')
    .column('status')
    .execute();
  // A series submits one claim per period, never two.
  await db.schema
    .createIndex('expense_claims_series_period')
    .on('expense_claims')
    .columns(['series_id', 'spent_on'])
    .unique()
    .where(sql.ref('series_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('expense_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('expense_claims.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull()) // from the content, not the name
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('expense_receipts_claim')
    .on('expense_receipts')
    .column('claim_id')
    .execute();

  await db.schema
    .createTable('expense_claim_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('expense_claims.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('expense_claim_events_claim')
    .on('expense_claim_events')
    .column('claim_id')
    .execute();

  await db.schema
    .createTable('budgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fiscal_year', 'integer', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | adopted
    .addColumn('note', 'text')
    .addColumn('adopted_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('budget_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('budget_id', 'text', (c) => c.notNull().references('budgets.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_ore', 'integer', (c) => c.notNull()) // positive: income or cost as the account says
    .execute();
  await db.schema
    .createIndex('budget_lines_budget')
    .on('budget_lines')
    .column('budget_id')
    .execute();

  // The journal: entries are never edited, only reversed by another entry. Numbers are
  // gapless per fiscal year (bilagsnummer). An automatic posting names its source, and
  // (source_kind, source_id) is unique, so posting the same invoice twice is impossible.
  await db.schema
    .createTable('journal_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('posted_on', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // invoice | credit_note | payment | reversal_of_payment | expense | expense_payment | manual | reversal
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('reverses_entry_id', 'text', (c) => c.references('journal_entries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('journal_entries_year_number', ['fiscal_year', 'number'])
    .addUniqueConstraint('journal_entries_source', ['source_kind', 'source_id'])
    .execute();
  await db.schema
    .createIndex('journal_entries_posted_on')
    .on('journal_entries')
    .column('posted_on')
    .execute();
  await db.schema
    .createTable('journal_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('debit_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credit_ore', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('vat_code', 'text')
    .addColumn('member_id', 'text')
    .addColumn('description', 'text')
    .execute();
  await db.schema
    .createIndex('journal_lines_entry')
    .on('journal_lines')
    .column('entry_id')
    .execute();
  await db.schema
    .createIndex('journal_lines_account')
    .on('journal_lines')
    .column('account')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('journal_lines').execute();
  await db.schema.dropTable('journal_entries').execute();
  await db.schema.dropTable('budget_lines').execute();
  await db.schema.dropTable('budgets').execute();
  await db.schema.dropTable('expense_claim_events').execute();
  await db.schema.dropTable('expense_receipts').execute();
  await db.schema.dropTable('expense_claims').execute();
  await db.schema.dropTable('expense_series').execute();
  await db.schema.dropTable('ledger_accounts').execute();
  await db.schema.dropTable('finance_settings').execute();
}
