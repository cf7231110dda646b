import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Indexes behind the member register list (sorting, filtering, paging and searching at
// 100 000+ members) and the CSV import's duplicate checks. Two of them differ by
// database, because the two planners are helped by different things.

/** SQLite has no schemas; PostgreSQL always has at least "public". */
async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return (await db.introspection.getSchemas()).length > 0;
}

/**
 * pg_trgm lets PostgreSQL answer `search_text LIKE '%word%'` from an index. It is a
 * trusted extension (any database owner may create it), but may still be missing or
 * refused; then search works as before, by reading the table.
 */
async function tryCreateTrigramExtension(db: Kysely<any>): Promise<boolean> {
  if (db.isTransaction) await sql`savepoint member_register_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    if (db.isTransaction) await sql`release savepoint member_register_trgm`.execute(db);
    return true;
  } catch {
    if (db.isTransaction) await sql`rollback to savepoint member_register_trgm`.execute(db);
    return false;
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('members_name_number')
    .on('members')
    .columns(['name', 'member_number'])
    .execute();
  await db.schema
    .createIndex('members_status_number')
    .on('members')
    .columns(['status', 'member_number'])
    .execute();
  await db.schema
    .createIndex('members_type_number')
    .on('members')
    .columns(['type_id', 'member_number'])
    .execute();
  await db.schema
    .createIndex('members_org_number')
    .on('members')
    .column('org_number')
    .where(sql.ref('org_number'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('office_terms_office_member')
    .on('office_terms')
    .columns(['office', 'member_id'])
    .execute();
  // "Paid this year?" answered from the index alone, member by member.
  await db.schema
    .createIndex('membership_periods_member_year_paid')
    .on('membership_periods')
    .columns(['member_id', 'year', 'paid_at'])
    .execute();

  if (await isPostgres(db)) {
    // PostgreSQL sorts NULL last by itself, so the join-date sort is on the plain column.
    await db.schema
      .createIndex('members_joined_number')
      .on('members')
      .columns(['joined_on', 'member_number'])
      .execute();
    if (await tryCreateTrigramExtension(db))
      await sql`create index members_search_trgm on members using gin (search_text gin_trgm_ops)`.execute(
        db,
      );
  } else {
    // SQLite sorts NULL first; the register sorts on this expression to put members
    // without a join date last, as PostgreSQL does.
    await db.schema
      .createIndex('members_joined_number')
      .on('members')
      .expression(sql`coalesce(joined_on, '9999-12-31'), member_number`)
      .execute();
    // A narrow copy of the search text: a search reads this index, not the whole table.
    await db.schema
      .createIndex('members_search')
      .on('members')
      .columns(['search_text', 'member_number'])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'members_search',
    'members_search_trgm',
    'members_joined_number',
    'membership_periods_member_year_paid',
    'office_terms_office_member',
    'members_org_number',
    'members_type_number',
    'members_status_number',
    'members_name_number',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
