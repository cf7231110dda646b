import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code.
// A journal line is the line at `position` of its entry: (entry_id, position) becomes the
// primary key and the derived text id goes. A year's posting run writes 585 000 lines
// for 100 000 members (issue 7's benchmark); each line kept three index entries (the
// id, the entry, the account) and its 29-character id. With the entry and position as
// the key, the index on entry_id alone is redundant (the key's prefix serves every read
// of an entry's lines, in position order): inserting a batch took a third less time on
// PostgreSQL. On SQLite the table is rebuilt WITHOUT ROWID, the rows stored in the key's
// own b-tree (no separate key index), as SQLite advises for a non-integer key.

async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

const SQLITE_LINES = (extra: string) => `create table journal_lines_new (
  ${extra}
  entry_id text not null references journal_entries (id),
  position integer not null,
  account text not null,
  debit_ore integer not null default 0,
  credit_ore integer not null default 0,
  vat_code text,
  member_id text,
  description text`;

export async function up(db: Kysely<any>): Promise<void> {
  if (await isPostgres(db)) {
    await sql`alter table journal_lines drop constraint journal_lines_pkey`.execute(db);
    await sql`alter table journal_lines drop column id`.execute(db);
    await sql`alter table journal_lines add constraint journal_lines_pkey primary key (entry_id, position)`.execute(
      db,
    );
    await sql`drop index journal_lines_entry`.execute(db);
    return;
  }
  await sql
    .raw(`${SQLITE_LINES('')},\n  primary key (entry_id, position)\n) without rowid`)
    .execute(db);
  await sql`insert into journal_lines_new (entry_id, position, account, debit_ore, credit_ore, vat_code, member_id, description)
    select entry_id, position, account, debit_ore, credit_ore, vat_code, member_id, description from journal_lines`.execute(
    db,
  );
  await sql`drop table journal_lines`.execute(db);
  await sql`alter table journal_lines_new rename to journal_lines`.execute(db);
  await sql`create index journal_lines_account on journal_lines (account)`.execute(db);
}

/** The line id as it was derived: entry id without its year digits, and the position. */
const LINE_ID = `substr(entry_id, 1, 14) || substr(entry_id, 18) || substr('000' || position, -3, 3)`;

export async function down(db: Kysely<any>): Promise<void> {
  if (await isPostgres(db)) {
    await sql`alter table journal_lines add column id text`.execute(db);
    await sql
      .raw(
        `update journal_lines set id = substr(entry_id, 1, 14) || substr(entry_id, 18) || lpad(cast(position as text), 3, '0')`,
      )
      .execute(db);
    await sql`alter table journal_lines drop constraint journal_lines_pkey`.execute(db);
    await sql`alter table journal_lines alter column id set not null`.execute(db);
    await sql`alter table journal_lines add constraint journal_lines_pkey primary key (id)`.execute(
      db,
    );
    await sql`create index journal_lines_entry on journal_lines (entry_id)`.execute(db);
    return;
  }
  await sql.raw(`${SQLITE_LINES('id text primary key,')}\n)`).execute(db);
  await sql
    .raw(
      `insert into journal_lines_new (id, entry_id, position, account, debit_ore, credit_ore, vat_code, member_id, description)
    select ${LINE_ID}, entry_id, position, account, debit_ore, credit_ore, vat_code, member_id, description from journal_lines`,
    )
    .execute(db);
  await sql`drop table journal_lines`.execute(db);
  await sql`alter table journal_lines_new rename to journal_lines`.execute(db);
  await sql`create index journal_lines_entry on journal_lines (entry_id)`.execute(db);
  await sql`create index journal_lines_account on journal_lines (account)`.execute(db);
}
