import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Dues runs: a heartbeat, so a run whose process died can be told from one still
// working, and at most one running run per association year, enforced by the database
// (a partial unique index works the same on SQLite and PostgreSQL). And a run's total in
// øre outgrows a 32-bit integer (100 000 members × 600 kr = 6 000 000 000 øre): bigint on
// PostgreSQL (SQLite's integers are 64-bit already).

/** SQLite has no schemas; PostgreSQL always has at least "public". */
async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dues_runs').addColumn('heartbeat_at', 'text').execute();
  await db.schema
    .createIndex('dues_runs_one_running')
    .on('dues_runs')
    .column('year')
    .unique()
    .where(sql.ref('status'), '=', sql.lit('running'))
    .execute();
  await db.schema
    .createIndex('dues_runs_year')
    .on('dues_runs')
    .columns(['year', 'started_at'])
    .execute();
  if (await isPostgres(db))
    await db.schema
      .alterTable('dues_runs')
      .alterColumn('total_ore', (c) => c.setDataType('bigint'))
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (await isPostgres(db))
    await db.schema
      .alterTable('dues_runs')
      .alterColumn('total_ore', (c) => c.setDataType('integer'))
      .execute();
  await db.schema.dropIndex('dues_runs_year').execute();
  await db.schema.dropIndex('dues_runs_one_running').execute();
  await db.schema.alterTable('dues_runs').dropColumn('heartbeat_at').execute();
}
