import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code.
// The posting run of a year's dues on PostgreSQL (issue 7's benchmark, docs/finance.md).
//
// journal_lines.entry_id referenced journal_entries through a foreign key, which
// PostgreSQL checks row by row: each inserted line runs a query on journal_entries and
// locks its entry (FOR KEY SHARE, written into the row and the WAL). A year of 100 000
// members posts 585 000 lines; copying them into a table with the constraint took three
// times as long as into the same table without it (the check was 53 % of the insert,
// more than the heap and all three indexes together). On PostgreSQL the constraint is
// replaced here; SQLite keeps it (it checks a key by an index lookup without locking, and
// its tests run every path against the constraint).
//
// What guarantees the reference on PostgreSQL instead:
// - A statement-level trigger checks, once per INSERT or UPDATE statement on
//   journal_lines, that every line written names an existing entry (one anti-join of
//   the statement's rows), and refuses the statement with the foreign-key error code.
//   Lines are written only by the journal's one way in (insertJournalEntries, and the
//   set-based posting), in the transaction that inserts their entries.
// - Entries are never deleted nor their ids changed (the journal is append-only: a
//   posting is reversed, never edited). A statement-level trigger on journal_entries
//   still refuses a DELETE or UPDATE that would leave a line without its entry, as the
//   constraint's ON DELETE NO ACTION did.
// Unlike the constraint, the insert check takes no lock on the entry, so a concurrent
// transaction deleting that entry could slip past it; nothing deletes entries.
//
// The indexes stay: journal_lines_entry serves every read of an entry's lines (the
// exports, the entry page, the reports' join), journal_lines_account the ledger of one
// account (a rare account's few lines without reading the year), and the primary key
// the retention job's updates by id.

const LINES_CHECK = 'journal_lines_entry_check';
const ENTRIES_GUARD = 'journal_entries_referenced_guard';

async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(await isPostgres(db))) return;
  await sql`alter table journal_lines drop constraint journal_lines_entry_id_fkey`.execute(db);
  await sql
    .raw(
      `create function ${LINES_CHECK}() returns trigger language plpgsql as $$
begin
  if exists (select 1 from written w where not exists (select 1 from journal_entries e where e.id = w.entry_id)) then
    raise exception 'insert or update on table "journal_lines" violates reference "journal_lines_entry_id_fkey"'
      using errcode = '23503';
  end if;
  return null;
end
$$`,
    )
    .execute(db);
  // A trigger with a transition table takes one event, so one per event.
  for (const event of ['insert', 'update'])
    await sql
      .raw(
        `create trigger ${LINES_CHECK}_${event} after ${event} on journal_lines referencing new table as written for each statement execute function ${LINES_CHECK}()`,
      )
      .execute(db);
  await sql
    .raw(
      `create function ${ENTRIES_GUARD}() returns trigger language plpgsql as $$
begin
  if exists (select 1 from gone g
      where not exists (select 1 from journal_entries e where e.id = g.id)
        and exists (select 1 from journal_lines l where l.entry_id = g.id)) then
    raise exception 'delete or update on table "journal_entries" violates reference "journal_lines_entry_id_fkey" from table "journal_lines"'
      using errcode = '23503';
  end if;
  return null;
end
$$`,
    )
    .execute(db);
  for (const event of ['delete', 'update'])
    await sql
      .raw(
        `create trigger ${ENTRIES_GUARD}_${event} after ${event} on journal_entries referencing old table as gone for each statement execute function ${ENTRIES_GUARD}()`,
      )
      .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(await isPostgres(db))) return;
  for (const event of ['delete', 'update'])
    await sql.raw(`drop trigger ${ENTRIES_GUARD}_${event} on journal_entries`).execute(db);
  await sql.raw(`drop function ${ENTRIES_GUARD}()`).execute(db);
  for (const event of ['insert', 'update'])
    await sql.raw(`drop trigger ${LINES_CHECK}_${event} on journal_lines`).execute(db);
  await sql.raw(`drop function ${LINES_CHECK}()`).execute(db);
  await sql`alter table journal_lines add constraint journal_lines_entry_id_fkey foreign key (entry_id) references journal_entries (id)`.execute(
    db,
  );
}
