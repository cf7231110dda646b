import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The standard elections become settings of the association (issue 5): the seats and
// terms of the board, the alternates and the auditors. Each column has the default of
// data.coop's statutes, which also fills the row an association already has.

const COLUMNS: [name: string, fallback: number][] = [
  ['board_seats', 5],
  ['board_term_months', 24],
  ['alternate_seats', 2],
  ['alternate_term_months', 12],
  ['auditor_seats', 1],
  ['auditor_term_months', 12],
];

export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite adds a single column per ALTER TABLE.
  for (const [name, fallback] of COLUMNS)
    await db.schema
      .alterTable('governance_settings')
      .addColumn(name, 'integer', (c) => c.notNull().defaultTo(fallback))
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...COLUMNS].reverse())
    await db.schema.alterTable('governance_settings').dropColumn(name).execute();
}
