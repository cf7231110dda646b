import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Bank imports at 100 000 payments on PostgreSQL (docs/adr/0002-bank-import-speed.md).
//
// A foreign key is checked by PostgreSQL row by row: each inserted row runs a query on
// the referenced table and locks the referenced row (FOR KEY SHARE, which writes the
// lock into the row and the WAL). A bank import writes a payment, an allocation and,
// for dues, a paid membership period per transaction of the file: six such checks per
// payment, measured at more than half of the cost of the payment and allocation inserts.
// On PostgreSQL those six constraints are replaced here; SQLite keeps them (it checks a
// key by an index lookup without locking, and its tests run every code path against
// the constraints, so a path that wrote a dangling reference would fail there).
//
// What guarantees the references on PostgreSQL instead:
// - The rows are written only with ids the same transaction has just read or written
//   (the matched member and invoice, the payment inserted before its allocations, the
//   bank import row opened at the start of the import).
// - A referenced row is never deleted: members are erased by pseudonymisation, invoices
//   are immutable, payments and bank imports are records. A statement-level trigger per
//   referenced table (one check per DELETE statement, none per inserted row) refuses the
//   delete of a row that is still referenced, with the foreign-key error code, as the
//   constraint's ON DELETE NO ACTION did.
// - Ids are never changed (primary keys of ULID-like text, set once).

const REPLACED = [
  ['payments', 'payments_bank_import_id_fkey', 'bank_import_id', 'bank_imports'],
  ['payments', 'payments_member_id_fkey', 'member_id', 'members'],
  ['payment_allocations', 'payment_allocations_payment_id_fkey', 'payment_id', 'payments'],
  ['payment_allocations', 'payment_allocations_invoice_id_fkey', 'invoice_id', 'invoices'],
  ['payment_allocations', 'payment_allocations_member_id_fkey', 'member_id', 'members'],
  ['membership_periods', 'membership_periods_member_id_fkey', 'member_id', 'members'],
] as const;

const REFERENCED = ['bank_imports', 'members', 'payments', 'invoices'] as const;

async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

/** `delete` refused while a row of the replaced constraints still refers to a deleted id. */
function guardBody(parent: (typeof REFERENCED)[number]): string {
  const checks = REPLACED.filter(([, , , p]) => p === parent).map(
    ([child, name, column]) =>
      `  if exists (select 1 from deleted d where exists (select 1 from ${child} c where c.${column} = d.id)) then
    raise exception 'delete on table "${parent}" violates reference "${name}" from table "${child}"'
      using errcode = '23503';
  end if;`,
  );
  return `begin\n${checks.join('\n')}\n  return null;\nend`;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(await isPostgres(db))) return;
  for (const [table, name] of REPLACED) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(name)}`.execute(db);
  }
  for (const parent of REFERENCED) {
    const fn = `${parent}_referenced_guard`;
    await sql
      .raw(
        `create function ${fn}() returns trigger language plpgsql as $$\n${guardBody(parent)}\n$$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${fn} after delete on ${parent} referencing old table as deleted for each statement execute function ${fn}()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(await isPostgres(db))) return;
  for (const parent of REFERENCED) {
    const fn = `${parent}_referenced_guard`;
    await sql.raw(`drop trigger ${fn} on ${parent}`).execute(db);
    await sql.raw(`drop function ${fn}()`).execute(db);
  }
  for (const [table, name, column, parent] of REPLACED) {
    await sql
      .raw(
        `alter table ${table} add constraint ${name} foreign key (${column}) references ${parent} (id)`,
      )
      .execute(db);
  }
}
