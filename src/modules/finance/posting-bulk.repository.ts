import { sql, type RawBuilder } from 'kysely';
import { isPostgres, type Db } from '../../app/db.js';
import { postingTemplate, type PostingContext } from './posting.js';

// The posting run's fast path for the bulk of a year: invoices, credit notes and
// payments posted set-based, one `insert … select` for a batch's entries and one for
// their lines, straight from the sources, with no row through JavaScript. It posts
// exactly what invoiceEntry and paymentEntry (posting.ts) build — the same accounts,
// VAT codes, descriptions, line order and one-sided amounts, zero lines left out —
// and the posting tests run both paths against each other. A batch goes this way
// only when every source in it is plain (an invoice whose lines add up to its non-zero
// total, a payment of a non-zero amount); anything else takes the row-by-row path,
// which logs and leaves out what cannot be posted.
//
// Numbers: the batch's sources are counted per fiscal year, the numbers reserved from
// the counters (nextNumbers) in the same transaction, and handed out in SQL as the
// first reserved number + row_number() over the fiscal year (in invoice number, or
// payment id, order — the order the row-by-row path numbers in). Ids are those of
// journal.repository.ts (journalEntryId), built in SQL.

export type BulkBatch = {
  /** The last source of the window read (posted or not); null when nothing is left. */
  windowLast: string | number | null;
  /** The window's sources not yet posted, in order; `plain` false sends the batch down the row-by-row path. */
  sources: { key: string | number; fiscalYear: number; plain: boolean }[];
};

/** The batch's entries were not all inserted (another run posted some): retry the batch. */
export class BatchRaceError extends Error {
  constructor() {
    super('journal: a concurrent posting run took part of the batch');
  }
}

/**
 * An invoice of the batch does not add up (its lines' sum is not its total): the batch
 * is rolled back and posted row by row, which leaves that invoice out and logs it.
 */
export class UnbalancedBatchError extends Error {
  constructor() {
    super('journal: an invoice of the batch does not add up to its total');
  }
}

/**
 * Where an invoice's lines are checked against its total. SQLite: when its window is read
 * (readInvoiceBatch sums each invoice's lines). PostgreSQL: by the statement that posts
 * the lines, which counts the entries it wrote that do not balance (a data-modifying
 * common table expression, which SQLite does not have) — the read then touches no
 * invoice line, and the lines are read once per batch instead of twice.
 */
const linesCheckedOnRead = (db: Db) => !isPostgres(db);

/**
 * Not yet in the journal, as a scalar subquery rather than `not exists`: PostgreSQL turns
 * `not exists` into an anti-join whose plan follows the statistics, and before the
 * journal is analysed (or with autovacuum off) that was a scan of the whole journal per
 * batch. A subquery is probed per source through the unique (source_kind, source_id).
 */
const unposted = (kind: RawBuilder<unknown>, id: RawBuilder<unknown>) =>
  sql`(select 1 from journal_entries je where je.source_kind = ${kind} and je.source_id = ${id} limit 1) is null`;

const fiscalYearSql = (date: RawBuilder<unknown>, startMonth: number) =>
  sql<number>`(cast(substr(${date}, 1, 4) as integer) - case when cast(substr(${date}, 6, 2) as integer) < ${sql.lit(startMonth)} then 1 else 0 end)`;

function pad(db: Db, expr: RawBuilder<unknown>, width: number): RawBuilder<string> {
  return isPostgres(db)
    ? sql<string>`lpad(cast(${expr} as text), ${sql.lit(width)}, '0')`
    : sql<string>`printf('%0${sql.raw(String(width))}d', ${expr})`;
}

const text = (v: string | null) => sql`cast(${v} as text)`;

/** The journal's output VAT code of a rate (outputVatCode in posting.ts), in SQL. */
const vatCodeSql = (rate: RawBuilder<unknown>, registered: RawBuilder<unknown>) =>
  sql`case when ${registered} = 1 then case ${rate} when 2500 then '3' when 1500 then '31' when 1200 then '33' when 0 then '6' end end`;

type Reserved = { year: number; first: number; last: number }[];

/** `first reserved number of the row's year + rn - 1` for the years of a batch. */
function numberSql(reserved: Reserved, fy: RawBuilder<unknown>, rn: RawBuilder<unknown>) {
  const whens = sql.join(
    reserved.map((r) => sql`when ${sql.lit(r.year)} then ${sql.lit(r.first - 1)}`),
    sql` `,
  );
  return sql<number>`(case ${fy} ${whens} end + ${rn})`;
}

/** The batch's entries: by their reserved numbers, which nobody else holds. */
function inBatch(reserved: Reserved) {
  return sql.join(
    reserved.map(
      (r) =>
        sql`(je.fiscal_year = ${sql.lit(r.year)} and je.number between ${sql.lit(r.first)} and ${sql.lit(r.last)})`,
    ),
    sql` or `,
  );
}

/**
 * The line rows `c` (entry_id, grp, ord, account, amount, vat_code, member_id,
 * description) into journal_lines; `ctes` are common table expressions `c` may use.
 * Zero lines are left out and the others numbered in (grp, ord) order per entry — or,
 * where the candidates know their positions already (`c.pos`), taken as they are.
 */
async function insertLines(
  db: Db,
  candidates: RawBuilder<unknown>,
  opts: { ctes?: RawBuilder<unknown>; positioned?: boolean; countUnbalanced?: boolean } = {},
): Promise<number> {
  const numbered = opts.positioned
    ? sql`select c.* from (${candidates}) c where c.amount <> 0`
    : sql`select c.*, row_number() over (partition by c.entry_id order by c.grp, c.ord) - 1 as pos
      from (${candidates}) c
      where c.amount <> 0`;
  const insert = sql`insert into journal_lines (entry_id, position, account, debit_ore, credit_ore, vat_code, member_id, description)
    select x.entry_id, x.pos, x.account,
      case when x.amount > 0 then x.amount else 0 end,
      case when x.amount < 0 then -x.amount else 0 end,
      x.vat_code, x.member_id, x.description
    from (${numbered}) x`;
  if (opts.countUnbalanced) {
    // PostgreSQL only (linesCheckedOnRead): the entries written that do not balance.
    const res = await sql<{
      unbalanced: number;
    }>`with ${opts.ctes ? sql`${opts.ctes}, ` : sql``}written as (
        ${insert} returning entry_id, debit_ore, credit_ore
      )
      select count(*) as unbalanced from (
        select entry_id from written group by entry_id having sum(debit_ore) <> sum(credit_ore)
      ) u`.execute(db);
    return Number(res.rows[0]?.unbalanced ?? 0);
  }
  await sql`${opts.ctes ? sql`with ${opts.ctes} ` : sql``}${insert}`.execute(db);
  return 0;
}

async function insertEntries(
  db: Db,
  opts: {
    reserved: Reserved;
    expected: number;
    prefix: string;
    at: string;
    createdBy: string | null;
    /** Selects n.key_id, n.fy, n.rn, n.posted_on, n.description, n.source_kind. */
    numbered: RawBuilder<unknown>;
  },
): Promise<void> {
  const num = numberSql(opts.reserved, sql.ref('n.fy'), sql.ref('n.rn'));
  const result =
    await sql`insert into journal_entries (id, fiscal_year, number, posted_on, description, source_kind, source_id, reverses_entry_id, created_at, created_by)
    select ${text(opts.prefix)} || ${pad(db, sql.ref('n.fy'), 4)} || ${pad(db, num, 12)},
      n.fy, ${num}, n.posted_on, n.description, n.source_kind, n.source_id, null, ${text(opts.at)}, ${text(opts.createdBy)}
    from (${opts.numbered}) n`.execute(db);
  // Fewer rows than read: a run at the same time posted some of them and committed since
  // (PostgreSQL reads committed rows per statement); the numbers must not be left unused.
  if (Number(result.numAffectedRows ?? 0) !== opts.expected) throw new BatchRaceError();
}

const invoiceFilter = (opts: { after: number; last: number; from: string | null }) =>
  sql`i.number > ${opts.after} and i.number <= ${opts.last}
    and ${unposted(sql`i.kind`, sql`i.id`)}
    ${opts.from ? sql`and i.issue_date >= ${opts.from}` : sql``}`;

/**
 * The next `limit` invoices and credit notes after the cursor (the window), which of them
 * are not yet posted, and whether each is plain (on PostgreSQL as far as the invoice row
 * tells: see linesCheckedOnRead). The window is read by the number index
 * alone, and the posted ones are told apart per row: filtering them inside the limit let
 * PostgreSQL's planner, short of statistics, sort the whole rest of the year per batch.
 */
export async function readInvoiceBatch(
  db: Db,
  opts: { after: number; limit: number; from: string | null; startMonth: number },
): Promise<BulkBatch> {
  const addsUp = linesCheckedOnRead(db)
    ? sql`and w.total_ore = (select coalesce(sum(l.net_ore + l.vat_ore), 0) from invoice_lines l where l.invoice_id = w.id)`
    : sql``;
  const rows = await sql<{ number: number; fy: number; plain: number; todo: number }>`
    select w.number, ${fiscalYearSql(sql.ref('w.issue_date'), opts.startMonth)} as fy,
      case when w.total_ore <> 0 ${addsUp} then 1 else 0 end as plain,
      case when ${unposted(sql`w.kind`, sql`w.id`)} then 1 else 0 end as todo
    from (
      select i.id, i.number, i.kind, i.issue_date, i.total_ore from invoices i
      where i.number > ${opts.after} ${opts.from ? sql`and i.issue_date >= ${opts.from}` : sql``}
      order by i.number
      limit ${opts.limit}
    ) w
    order by w.number`.execute(db);
  return {
    windowLast: rows.rows.length ? Number(rows.rows.at(-1)!.number) : null,
    sources: rows.rows
      .filter((r) => Number(r.todo) === 1)
      .map((r) => ({
        key: Number(r.number),
        fiscalYear: Number(r.fy),
        plain: Number(r.plain) === 1,
      })),
  };
}

/** Posts a plain invoice batch (invoiceEntry in SQL). */
export async function postInvoiceBatch(
  db: Db,
  opts: {
    ctx: PostingContext;
    after: number;
    last: number;
    from: string | null;
    reserved: Reserved;
    expected: number;
    prefix: string;
    at: string;
    createdBy: string | null;
  },
): Promise<void> {
  const { ctx } = opts;
  const a = ctx.accounts;
  const fy = fiscalYearSql(sql.ref('i.issue_date'), ctx.fiscalYearStartMonth);
  const invoiceText = postingTemplate(ctx, 'invoice');
  const creditText = postingTemplate(ctx, 'credit_note');
  const numberText = sql`cast(i.number as text)`;
  await insertEntries(db, {
    ...opts,
    numbered: sql`select i.id as source_id, ${fy} as fy, i.issue_date as posted_on, i.kind as source_kind,
        case when i.kind = 'credit_note'
          then replace(replace(${text(creditText)}, '{n}', ${numberText}), '{o}', coalesce(cast(o.number as text), ''))
          else replace(${text(invoiceText)}, '{n}', ${numberText}) end as description,
        row_number() over (partition by ${fy} order by i.number) as rn
      from invoices i left join invoices o on o.id = i.credited_invoice_id
      where ${invoiceFilter(opts)}`,
  });
  const nul = sql`cast(null as text)`;
  const vatCode = vatCodeSql(sql.ref('ls.vat_rate_bp'), sql.ref('ls.vat_registered'));
  // The batch's invoices (by number, the range it was read in) with their new entries,
  // and their lines, each read once: `b` by the number index and the entries' unique
  // (source_kind, source_id), `ls` by invoice_lines' invoice index.
  const ctes = sql`b as (
      select je.id as entry_id, i.id as invoice_id, i.total_ore, i.member_id, i.purpose, i.vat_registered
      from invoices i join journal_entries je on je.source_id = i.id and je.source_kind = i.kind
      where i.number > ${opts.after} and i.number <= ${opts.last}
        and je.source_kind in ('invoice', 'credit_note') and (${inBatch(opts.reserved)})
    ), ls as (
      select b.entry_id, b.purpose, b.vat_registered, l.position, l.vat_rate_bp, l.net_ore, l.vat_ore, l.description
      from b join invoice_lines l on l.invoice_id = b.invoice_id
    )`;
  const unbalanced = await insertLines(
    db,
    sql`select b.entry_id, 0 as grp, 0 as ord, ${text(a.receivables)} as account, b.total_ore as amount,
        ${nul} as vat_code, b.member_id as member_id, ${nul} as description
      from b
      union all
      select ls.entry_id, 1, ls.position,
        case when ls.purpose = 'reminder_fee' then ${text(a.reminder_fees)} when ls.vat_rate_bp > 0 then ${text(a.service_fees)} else ${text(a.membership_fees)} end,
        -ls.net_ore, ${vatCode}, ${nul}, ls.description
      from ls
      union all
      select ls.entry_id, 2, min(ls.position), ${text(a.output_vat)}, -sum(ls.vat_ore), ${vatCode}, ${nul}, ${nul}
      from ls
      where ls.vat_ore <> 0
      group by ls.entry_id, ls.vat_rate_bp, ls.vat_registered`,
    { ctes, countUnbalanced: !linesCheckedOnRead(db) },
  );
  if (unbalanced > 0) throw new UnbalancedBatchError();
}

const paymentFilter = (opts: {
  kind: 'credit' | 'reversal';
  after: string;
  last: string | null;
  from: string | null;
}) => {
  const sourceKind = opts.kind === 'credit' ? 'payment' : 'payment_reversal';
  // `|| ''` keeps SQLite walking the primary key from the cursor (see posting.repository.ts).
  return sql`p.id > ${opts.after} ${opts.last === null ? sql`` : sql`and p.id <= ${opts.last}`}
    and p.kind || '' = ${opts.kind} and p.status || '' = 'matched'
    and ${unposted(text(sourceKind), sql`p.id`)}
    ${opts.from ? sql`and p.booking_date >= ${opts.from}` : sql``}`;
};

/** The next window of matched payments (or reversals) and which are not yet posted (as readInvoiceBatch). */
export async function readPaymentBatch(
  db: Db,
  opts: {
    kind: 'credit' | 'reversal';
    after: string;
    limit: number;
    from: string | null;
    startMonth: number;
  },
): Promise<BulkBatch> {
  const sourceKind = opts.kind === 'credit' ? 'payment' : 'payment_reversal';
  const rows = await sql<{ id: string; fy: number; plain: number; todo: number }>`
    select w.id, ${fiscalYearSql(sql.ref('w.booking_date'), opts.startMonth)} as fy,
      case when w.amount_ore <> 0 then 1 else 0 end as plain,
      case when ${unposted(text(sourceKind), sql`w.id`)} then 1 else 0 end as todo
    from (
      select p.id, p.booking_date, p.amount_ore from payments p
      where p.id > ${opts.after} and p.kind || '' = ${opts.kind} and p.status || '' = 'matched'
        ${opts.from ? sql`and p.booking_date >= ${opts.from}` : sql``}
      order by p.id
      limit ${opts.limit}
    ) w
    order by w.id`.execute(db);
  return {
    windowLast: rows.rows.at(-1)?.id ?? null,
    sources: rows.rows
      .filter((r) => Number(r.todo) === 1)
      .map((r) => ({ key: r.id, fiscalYear: Number(r.fy), plain: Number(r.plain) === 1 })),
  };
}

/** Posts a plain payment batch (paymentEntry in SQL). */
export async function postPaymentBatch(
  db: Db,
  opts: {
    ctx: PostingContext;
    kind: 'credit' | 'reversal';
    after: string;
    last: string;
    from: string | null;
    reserved: Reserved;
    expected: number;
    prefix: string;
    at: string;
    createdBy: string | null;
  },
): Promise<void> {
  const { ctx, kind } = opts;
  const a = ctx.accounts;
  const fy = fiscalYearSql(sql.ref('p.booking_date'), ctx.fiscalYearStartMonth);
  const sourceKind = kind === 'credit' ? 'payment' : 'payment_reversal';
  const label = postingTemplate(ctx, kind === 'credit' ? 'payment' : 'payment_reversal');
  await insertEntries(db, {
    ...opts,
    numbered: sql`select p.id as source_id, ${fy} as fy, p.booking_date as posted_on,
        ${text(sourceKind)} as source_kind,
        ${text(label)} || case when p.kid is not null and p.kid <> '' then ' KID ' || p.kid else '' end as description,
        row_number() over (partition by ${fy} order by p.id) as rn
      from payments p
      where ${paymentFilter(opts)}`,
  });
  const bank = kind === 'credit' ? sql`p.amount_ore` : sql`-p.amount_ore`;
  // The batch's payments (by id, the range it was read in) with their new entries and
  // what of each went to invoices, read once (materialized: each row's sum is used twice).
  const ctes = sql`s as materialized (
      select je.id as entry_id, p.member_id, ${bank} as bank,
        (select coalesce(sum(al.amount_ore), 0) from payment_allocations al where al.payment_id = p.id and al.invoice_id is not null) as to_invoices
      from payments p join journal_entries je on je.source_id = p.id and je.source_kind = ${text(sourceKind)}
      where p.id > ${opts.after} and p.id <= ${opts.last} and (${inBatch(opts.reserved)})
    )`;
  // Positions without numbering: the bank line (never zero in a plain batch) is 0, the
  // receivables line 1 unless nothing went to invoices, the prepayments line after it.
  await insertLines(
    db,
    sql`select s.entry_id,
        case k.k when 2 then case when s.to_invoices <> 0 then 2 else 1 end else k.k end as pos,
        case k.k when 0 then ${text(a.bank)} when 1 then ${text(a.receivables)} else ${text(a.prepayments)} end as account,
        case k.k when 0 then s.bank when 1 then -s.to_invoices else -(s.bank - s.to_invoices) end as amount,
        cast(null as text) as vat_code,
        case when k.k = 0 then cast(null as text) else s.member_id end as member_id,
        cast(null as text) as description
      from s cross join (select 0 as k union all select 1 union all select 2) k`,
    { ctes, positioned: true },
  );
}
