import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../app/database.js';
import type { Db, Dialect } from '../../app/db.js';
import type { MemberStatus, Office } from './members.tables.js';

export const PAGE_SIZE = 50;
export const REGISTER_SORTS = ['number', 'name', 'joined_on', 'status'] as const;
export type RegisterSort = (typeof REGISTER_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** What the register is narrowed to; every field optional (null = no filter). */
export type RegisterFilter = {
  q: string | null;
  status: MemberStatus | null;
  typeId: string | null;
  office: Office | null;
  paid: 'paid' | 'unpaid' | null;
};

/** The day and association year the office and paid filters are about, and the database. */
export type RegisterScope = { today: string; year: number; dialect: Dialect };

export type RegisterRow = {
  id: string;
  memberNumber: number;
  name: string;
  email: string | null;
  typeId: string;
  status: MemberStatus;
  joinedOn: string | null;
  paid: boolean;
};

/** The same CSV-shaped member the export writes (type as its id; the caller maps codes). */
export type ExportMember = {
  memberNumber: number;
  name: string;
  email: string | null;
  typeId: string;
  status: MemberStatus;
  joinedOn: string | null;
  phone: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  orgNumber: string | null;
  contactPerson: string | null;
};

/** A where clause that keeps every row (SQLite cannot bind booleans). */
const always = sql<SqlBool>`1 = 1`;

/**
 * Pages of a result this small are cut from the list of its member numbers (an IN list:
 * cheap for SQLite, while PostgreSQL pays to parse and plan every parameter).
 */
const SMALL_RESULT = { sqlite: 5000, postgres: 1000 } as const;
/** Searches and payment filters count their matches only up to this many. */
export const COUNT_CAP = 5_000;

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Search words: every word must occur in the member's search text (name, email, number). */
export function searchTerms(q: string | null): string[] {
  return (q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
}

function isFiltered(f: RegisterFilter): boolean {
  return searchTerms(f.q).length > 0 || !!(f.status || f.typeId || f.office || f.paid);
}

function filterWhere(
  eb: ExpressionBuilder<DB, 'members'>,
  f: RegisterFilter,
  scope: RegisterScope,
): Expression<SqlBool> | null {
  const conds: Expression<SqlBool>[] = [];
  for (const term of searchTerms(f.q)) {
    const like = sql<SqlBool>`members.search_text like ${`%${escapeLike(term)}%`} escape '\\'`;
    conds.push(
      /^\d{1,9}$/.test(term) ? eb.or([like, eb('members.member_number', '=', Number(term))]) : like,
    );
  }
  if (f.status) conds.push(eb('members.status', '=', f.status));
  if (f.typeId) conds.push(eb('members.type_id', '=', f.typeId));
  // Offices and payments as semi-joins from their (small, indexed) tables: PostgreSQL
  // plans them as joins, SQLite probes its covering indexes member by member.
  if (f.office) {
    const holders = eb
      .selectFrom('office_terms')
      .select('office_terms.member_id')
      .where('office_terms.office', '=', f.office)
      .where('office_terms.starts_on', '<=', scope.today)
      .where((o) =>
        o.or([o('office_terms.ends_on', 'is', null), o('office_terms.ends_on', '>=', scope.today)]),
      );
    conds.push(eb('members.id', 'in', holders));
  }
  if (f.paid) {
    const paidThisYear = eb.exists(
      eb
        .selectFrom('membership_periods')
        .select('membership_periods.member_id')
        .whereRef('membership_periods.member_id', '=', 'members.id')
        .where('membership_periods.year', '=', scope.year)
        .where('membership_periods.paid_at', 'is not', null),
    );
    conds.push(f.paid === 'paid' ? paidThisYear : eb.not(paidThisYear));
  }
  return conds.length === 0 ? null : eb.and(conds);
}

/**
 * ORDER BY terms for a whitelisted sort on `table`, with the member number as tiebreak.
 * Members without a join date come last (ascending) on both databases: PostgreSQL puts
 * NULL last by itself, SQLite is given the expression its index is built on.
 */
function orderTerms(
  table: 'members' | 'm',
  opts: { scope: RegisterScope; sort: RegisterSort; dir: SortDirection },
) {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const dir = sql.raw(opts.dir);
  const terms = [];
  if (opts.sort === 'name') terms.push(sql`${col('name')} ${dir}`);
  if (opts.sort === 'status') terms.push(sql`${col('status')} ${dir}`);
  if (opts.sort === 'joined_on')
    terms.push(
      opts.scope.dialect === 'sqlite'
        ? sql`coalesce(${col('joined_on')}, '9999-12-31') ${dir}`
        : sql`${col('joined_on')} ${dir}`,
    );
  terms.push(sql`${col('member_number')} ${dir}`);
  return terms;
}

export type RegisterPageResult = {
  rows: RegisterRow[];
  total: number;
  /** True when `total` is the count cap and more members match. */
  capped: boolean;
  /** The member whose number is the whole search, when it matches the filters too. */
  numberMatch: { id: string; memberNumber: number; name: string } | null;
  page: number;
  pages: number;
};

/**
 * One page of the filtered register and how many members match. Built to stay fast at
 * 100 000+ members: a small result is listed from its member numbers; a large one is
 * paged on an index (the page's numbers first, then their rows), and a broad search is
 * counted only up to COUNT_CAP.
 */
export async function findRegisterPage(
  db: Db,
  opts: {
    filter: RegisterFilter;
    scope: RegisterScope;
    sort: RegisterSort;
    dir: SortDirection;
    page: number;
    countCap?: number;
  },
): Promise<RegisterPageResult> {
  const { filter, scope } = opts;
  const cap = opts.countCap ?? COUNT_CAP;
  const where = (eb: ExpressionBuilder<DB, 'members'>) => filterWhere(eb, filter, scope) ?? always;
  const countAll = async () => {
    const row = await db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  // One pass over the matches (at most cap + 1 of them) gives the count, and for a
  // small result the member numbers to cut the page from.
  let numbers: number[] | null = null;
  let total: number;
  let capped = false;
  if (!isFiltered(filter)) total = await countAll();
  else {
    const matches = (
      await db
        .selectFrom('members')
        .select('members.member_number')
        .where(where)
        .limit(cap + 1)
        .execute()
    ).map((r) => r.member_number);
    if (matches.length <= SMALL_RESULT[scope.dialect]) numbers = matches;
    if (matches.length <= cap) total = matches.length;
    // Status, type and office are counted from their indexes; a search or the payment
    // filter would read the whole register to count past the cap.
    else if (searchTerms(filter.q).length > 0 || filter.paid) {
      capped = true;
      total = cap;
    } else total = await countAll();
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, opts.page), pages);
  if (total === 0) return { rows: [], total, capped, numberMatch: null, page, pages };

  // Searching "7" lists every member with a 7 somewhere; member no. 7 is named apart.
  const words = searchTerms(filter.q);
  const exact =
    words.length === 1 && /^\d{1,9}$/.test(words[0]!)
      ? await db
          .selectFrom('members')
          .select(['members.id', 'members.member_number', 'members.name'])
          .where(where)
          .where('members.member_number', '=', Number(words[0]))
          .executeTakeFirst()
      : undefined;

  let pageNumbers = db
    .selectFrom('members')
    .select('members.member_number')
    .where((eb) => (numbers ? eb('members.member_number', 'in', numbers) : where(eb)));
  for (const term of orderTerms('members', opts)) pageNumbers = pageNumbers.orderBy(term);
  let q = db
    .selectFrom('members as m')
    .select([
      'm.id',
      'm.member_number',
      'm.name',
      'm.email',
      'm.type_id',
      'm.status',
      'm.joined_on',
    ])
    .where('m.member_number', 'in', pageNumbers.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE));
  for (const term of orderTerms('m', opts)) q = q.orderBy(term);
  const rows = await q.execute();

  const paid = await paidMemberIds(
    db,
    rows.map((r) => r.id),
    scope.year,
  );
  return {
    rows: rows.map((r) => ({
      id: r.id,
      memberNumber: r.member_number,
      name: r.name,
      email: r.email,
      typeId: r.type_id,
      status: r.status,
      joinedOn: r.joined_on,
      paid: paid.has(r.id),
    })),
    total,
    capped,
    numberMatch: exact
      ? { id: exact.id, memberNumber: exact.member_number, name: exact.name }
      : null,
    page,
    pages,
  };
}

async function paidMemberIds(db: Db, ids: string[], year: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('membership_periods')
    .select('member_id')
    .where('year', '=', year)
    .where('member_id', 'in', ids)
    .where('paid_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

/**
 * The filtered register in member-number order, a chunk at a time (keyset paging), so an
 * export of 100 000 members never holds them all in memory.
 */
export async function* exportRegister(
  db: Db,
  opts: { filter: RegisterFilter; scope: RegisterScope; chunkSize?: number },
): AsyncGenerator<ExportMember[]> {
  const size = opts.chunkSize ?? 1000;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('members')
      .select([
        'member_number',
        'name',
        'email',
        'type_id',
        'status',
        'joined_on',
        'phone',
        'address_line',
        'postal_code',
        'city',
        'country',
        'org_number',
        'contact_person',
      ])
      .where((eb) => {
        const f = filterWhere(eb, opts.filter, opts.scope);
        const next = eb('members.member_number', '>', after);
        return f ? eb.and([f, next]) : next;
      })
      .orderBy('members.member_number')
      .limit(size)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.member_number;
    yield rows.map((r) => ({
      memberNumber: r.member_number,
      name: r.name,
      email: r.email,
      typeId: r.type_id,
      status: r.status,
      joinedOn: r.joined_on,
      phone: r.phone,
      addressLine: r.address_line,
      postalCode: r.postal_code,
      city: r.city,
      country: r.country,
      orgNumber: r.org_number,
      contactPerson: r.contact_person,
    }));
    if (rows.length < size) return;
  }
}
