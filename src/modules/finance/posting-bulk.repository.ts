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
//
// SQLite reads a window of sources, reserves their numbers, inserts the entries and then
// their lines: four statements. PostgreSQL does all of it in one (postInvoiceWindow,
// postPaymentWindow), with data-modifying common table expressions: the window is read
// and each source's journal entry looked for once instead of three times, and the lines
// are made from the entries the same statement inserted.

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
 * The insert of the line rows `c` (entry_id, grp, ord, account, amount, vat_code,
 * member_id, description) into journal_lines. Zero lines are left out and the others
 * numbered in (grp, ord) order per entry — or, where the candidates know their positions
 * already (`c.pos`), taken as they are.
 */
function linesInsert(candidates: RawBuilder<unknown>, opts: { positioned?: boolean } = {}) {
  const numbered = opts.positioned
    ? sql`select c.* from (${candidates}) c where c.amount <> 0`
    : sql`select c.*, row_number() over (partition by c.entry_id order by c.grp, c.ord) - 1 as pos
      from (${candidates}) c
      where c.amount <> 0`;
  return sql`insert into journal_lines (entry_id, position, account, debit_ore, credit_ore, vat_code, member_id, description)
    select x.entry_id, x.pos, x.account,
      case when x.amount > 0 then x.amount else 0 end,
      case when x.amount < 0 then -x.amount else 0 end,
      x.vat_code, x.member_id, x.description
    from (${numbered}) x`;
}

/**
 * The insert of numbered sources `n` (source_id, fy, num, posted_on, description,
 * source_kind) as journal entries, their ids built as journalEntryId builds them.
 */
function entriesInsert(
  db: Db,
  opts: { prefix: string; at: string; createdBy: string | null; numbered: RawBuilder<unknown> },
) {
  return sql`insert into journal_entries (id, fiscal_year, number, posted_on, description, source_kind, source_id, reverses_entry_id, created_at, created_by)
    select ${text(opts.prefix)} || ${pad(db, sql.ref('n.fy'), 4)} || ${pad(db, sql.ref('n.num'), 12)},
      n.fy, n.num, n.posted_on, n.description, n.source_kind, n.source_id, null, ${text(opts.at)}, ${text(opts.createdBy)}
    from (${opts.numbered}) n`;
}

async function insertEntries(
  db: Db,
  opts: {
    reserved: Reserved;
    expected: number;
    prefix: string;
    at: string;
    createdBy: string | null;
    /** Selects n.source_id, n.fy, n.rn, n.posted_on, n.description, n.source_kind. */
    numbered: RawBuilder<unknown>;
  },
): Promise<void> {
  const num = numberSql(opts.reserved, sql.ref('r.fy'), sql.ref('r.rn'));
  const result = await entriesInsert(db, {
    ...opts,
    numbered: sql`select r.*, ${num} as num from (${opts.numbered}) r`,
  }).execute(db);
  // Fewer rows than read: a run at the same time posted some of them and committed between
  // this batch's statements; the numbers reserved for them must not be left unused.
  if (Number(result.numAffectedRows ?? 0) !== opts.expected) throw new BatchRaceError();
}

const invoiceFilter = (opts: { after: number; last: number; from: string | null }) =>
  sql`i.number > ${opts.after} and i.number <= ${opts.last}
    and ${unposted(sql`i.kind`, sql`i.id`)}
    ${opts.from ? sql`and i.issue_date >= ${opts.from}` : sql``}`;

/** An invoice's or credit note's entry text (invoiceEntry's), in SQL: `i` the invoice, `o` the one it credits. */
function invoiceDescription(ctx: PostingContext) {
  const numberText = sql`cast(i.number as text)`;
  return sql`case when i.kind = 'credit_note'
      then replace(replace(${text(postingTemplate(ctx, 'credit_note'))}, '{n}', ${numberText}), '{o}', coalesce(cast(o.number as text), ''))
      else replace(${text(postingTemplate(ctx, 'invoice'))}, '{n}', ${numberText}) end`;
}

/** The lines of the invoices `b` (entry_id, invoice_id, total_ore, member_id, purpose, vat_registered). */
function invoiceLines(ctx: PostingContext) {
  const a = ctx.accounts;
  const nul = sql`cast(null as text)`;
  const vatCode = vatCodeSql(sql.ref('ls.vat_rate_bp'), sql.ref('ls.vat_registered'));
  // `ls`: each line of `b`'s invoices, read once by invoice_lines' invoice index.
  const ctes = sql`ls as (
      select b.entry_id, b.purpose, b.vat_registered, l.position, l.vat_rate_bp, l.net_ore, l.vat_ore, l.description
      from b join invoice_lines l on l.invoice_id = b.invoice_id
    )`;
  const candidates = sql`select b.entry_id, 0 as grp, 0 as ord, ${text(a.receivables)} as account, b.total_ore as amount,
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
      group by ls.entry_id, ls.vat_rate_bp, ls.vat_registered`;
  return { ctes, insert: linesInsert(candidates) };
}

/**
 * SQLite: the next `limit` invoices and credit notes after the cursor (the window), which
 * of them are not yet posted, and whether each is plain. The window is read by the number
 * index alone, and the posted ones are told apart per row.
 */
export async function readInvoiceBatch(
  db: Db,
  opts: { after: number; limit: number; from: string | null; startMonth: number },
): Promise<BulkBatch> {
  const rows = await sql<{ number: number; fy: number; plain: number; todo: number }>`
    select w.number, ${fiscalYearSql(sql.ref('w.issue_date'), opts.startMonth)} as fy,
      case when w.total_ore <> 0
        and w.total_ore = (select coalesce(sum(l.net_ore + l.vat_ore), 0) from invoice_lines l where l.invoice_id = w.id)
        then 1 else 0 end as plain,
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

/** SQLite: posts a plain invoice batch (invoiceEntry in SQL), read by readInvoiceBatch. */
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
  const fy = fiscalYearSql(sql.ref('i.issue_date'), ctx.fiscalYearStartMonth);
  await insertEntries(db, {
    ...opts,
    numbered: sql`select i.id as source_id, ${fy} as fy, i.issue_date as posted_on, i.kind as source_kind,
        ${invoiceDescription(ctx)} as description,
        row_number() over (partition by ${fy} order by i.number) as rn
      from invoices i left join invoices o on o.id = i.credited_invoice_id
      where ${invoiceFilter(opts)}`,
  });
  // The batch's invoices (by number, the range it was read in) with their new entries.
  const lines = invoiceLines(ctx);
  await sql`with b as (
      select je.id as entry_id, i.id as invoice_id, i.total_ore, i.member_id, i.purpose, i.vat_registered
      from invoices i join journal_entries je on je.source_id = i.id and je.source_kind = i.kind
      where i.number > ${opts.after} and i.number <= ${opts.last}
        and je.source_kind in ('invoice', 'credit_note') and (${inBatch(opts.reserved)})
    ), ${lines.ctes}
    ${lines.insert}`.execute(db);
}

/** What one PostgreSQL statement did with the window after the cursor. */
export type WindowResult =
  /** Nothing after the cursor. */
  | 'empty'
  /** A source of the window is not plain: nothing was posted; the window goes row by row. */
  | 'irregular'
  /** `posted` entries (0: the window was posted before) up to `cursor`, the window's last source. */
  | { posted: number; cursor: string | number };

type WindowOptions = {
  ctx: PostingContext;
  limit: number;
  from: string | null;
  prefix: string;
  at: string;
  createdBy: string | null;
};

/**
 * PostgreSQL: the part of the one statement that reserves the numbers of the window's
 * unposted sources `todo` (with their fiscal year `fy`) and numbers them in `order`: the
 * common table expressions `irregular` (how many are not `plain`: then none is numbered),
 * `years`, `reserved` (nextNumbers' upsert of each year's counter) and `numbered` (todo
 * with `num`).
 */
function reserveInStatement(plain: RawBuilder<unknown>, order: RawBuilder<unknown>) {
  const counter = sql`'journal:' || cast(t.fy as text)`;
  return sql`irregular as (
      select count(*) as n from todo t where not (${plain})
    ), years as (
      select t.fy, count(*) as n from todo t where (select n from irregular) = 0 group by t.fy
    ), reserved as (
      insert into counters (name, value)
      select 'journal:' || cast(y.fy as text), y.n from years y
      on conflict (name) do update set value = counters.value + excluded.value
      returning name, value
    ), numbered as (
      select t.*, r.value - y.n + row_number() over (partition by t.fy order by ${order}) as num
      from todo t join years y on y.fy = t.fy join reserved r on r.name = ${counter}
    )`;
}

/** PostgreSQL: the window's outcome from the statement's last select (see WindowResult). */
function windowResult(row: {
  read: number | string;
  last: string | number | null;
  irregular: number | string;
  posted: number | string;
  unbalanced?: number | string;
}): WindowResult {
  if (Number(row.read) === 0 || row.last === null) return 'empty';
  if (Number(row.irregular) > 0) return 'irregular';
  if (Number(row.unbalanced ?? 0) > 0) throw new UnbalancedBatchError();
  return { posted: Number(row.posted), cursor: row.last };
}

/**
 * PostgreSQL: posts the plain invoices and credit notes of the next `limit` after the
 * cursor, in one statement: reads the window by the number index, tells the unposted
 * ones apart, reserves their numbers, inserts their entries and those entries' lines,
 * and counts the entries written that do not balance (an invoice whose lines do not add
 * up to its total: UnbalancedBatchError, the transaction rolls back and the window goes
 * row by row, which leaves that invoice out and logs it).
 */
export async function postInvoiceWindow(
  db: Db,
  opts: WindowOptions & { after: number },
): Promise<WindowResult> {
  const { ctx } = opts;
  const fy = fiscalYearSql(sql.ref('i.issue_date'), ctx.fiscalYearStartMonth);
  const lines = invoiceLines(ctx);
  const entries = entriesInsert(db, {
    ...opts,
    numbered: sql`select i.id as source_id, i.fy, i.num, i.issue_date as posted_on, i.kind as source_kind,
        ${invoiceDescription(ctx)} as description
      from numbered i left join invoices o on o.id = i.credited_invoice_id`,
  });
  const res = await sql<{
    read: number;
    last: number | null;
    irregular: number;
    posted: number;
    unbalanced: number;
  }>`with w as (
      select i.id, i.number, i.kind, i.issue_date, i.total_ore, i.credited_invoice_id, ${fy} as fy
      from invoices i
      where i.number > ${opts.after} ${opts.from ? sql`and i.issue_date >= ${opts.from}` : sql``}
      order by i.number
      limit ${sql.lit(opts.limit)}
    ), todo as (
      select w.* from w where ${unposted(sql`w.kind`, sql`w.id`)}
    ), ${reserveInStatement(sql`t.total_ore <> 0`, sql`t.number`)}, ins as (
      ${entries} returning id, source_id
    ), b as (
      select ins.id as entry_id, i.id as invoice_id, i.total_ore, i.member_id, i.purpose, i.vat_registered
      from ins join invoices i on i.id = ins.source_id
    ), ${lines.ctes}, written as (
      ${lines.insert} returning entry_id, debit_ore, credit_ore
    )
    select (select count(*) from w) as read, (select max(number) from w) as last,
      (select n from irregular) as irregular, (select count(*) from ins) as posted,
      (select count(*) from (
        select entry_id from written group by entry_id having sum(debit_ore) <> sum(credit_ore)
      ) u) as unbalanced`.execute(db);
  const row = res.rows[0]!;
  return windowResult({ ...row, last: row.last === null ? null : Number(row.last) });
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

const paymentSourceKind = (kind: 'credit' | 'reversal') =>
  kind === 'credit' ? 'payment' : 'payment_reversal';

/** A payment's entry text (paymentEntry's), in SQL: `p` the payment. */
function paymentDescription(ctx: PostingContext, kind: 'credit' | 'reversal') {
  const label = postingTemplate(ctx, paymentSourceKind(kind));
  return sql`${text(label)} || case when p.kid is not null and p.kid <> '' then ' KID ' || p.kid else '' end`;
}

/** The lines of the payments `s` (entry_id, member_id, bank, to_invoices). */
function paymentLines(ctx: PostingContext) {
  const a = ctx.accounts;
  // Positions without numbering: the bank line (never zero in a plain batch) is 0, the
  // receivables line 1 unless nothing went to invoices, the prepayments line after it.
  return linesInsert(
    sql`select s.entry_id,
        case k.k when 2 then case when s.to_invoices <> 0 then 2 else 1 end else k.k end as pos,
        case k.k when 0 then ${text(a.bank)} when 1 then ${text(a.receivables)} else ${text(a.prepayments)} end as account,
        case k.k when 0 then s.bank when 1 then -s.to_invoices else -(s.bank - s.to_invoices) end as amount,
        cast(null as text) as vat_code,
        case when k.k = 0 then cast(null as text) else s.member_id end as member_id,
        cast(null as text) as description
      from s cross join (select 0 as k union all select 1 union all select 2) k`,
    { positioned: true },
  );
}

/** `s`'s columns of a payment `p` with its entry `entry_id` (materialized: each row's sum is used twice). */
function paymentSums(kind: 'credit' | 'reversal') {
  const bank = kind === 'credit' ? sql`p.amount_ore` : sql`-p.amount_ore`;
  return sql`p.member_id, ${bank} as bank,
    (select coalesce(sum(al.amount_ore), 0) from payment_allocations al where al.payment_id = p.id and al.invoice_id is not null) as to_invoices`;
}

/** SQLite: the next window of matched payments (or reversals) and which are not yet posted (as readInvoiceBatch). */
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
  const sourceKind = paymentSourceKind(opts.kind);
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

/** SQLite: posts a plain payment batch (paymentEntry in SQL), read by readPaymentBatch. */
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
  const fy = fiscalYearSql(sql.ref('p.booking_date'), ctx.fiscalYearStartMonth);
  const sourceKind = paymentSourceKind(kind);
  await insertEntries(db, {
    ...opts,
    numbered: sql`select p.id as source_id, ${fy} as fy, p.booking_date as posted_on,
        ${text(sourceKind)} as source_kind, ${paymentDescription(ctx, kind)} as description,
        row_number() over (partition by ${fy} order by p.id) as rn
      from payments p
      where ${paymentFilter(opts)}`,
  });
  // The batch's payments (by id, the range it was read in) with their new entries.
  await sql`with s as materialized (
      select je.id as entry_id, ${paymentSums(kind)}
      from payments p join journal_entries je on je.source_id = p.id and je.source_kind = ${text(sourceKind)}
      where p.id > ${opts.after} and p.id <= ${opts.last} and (${inBatch(opts.reserved)})
    )
    ${paymentLines(ctx)}`.execute(db);
}

/** PostgreSQL: posts the plain payments (or reversals) of the next window in one statement (as postInvoiceWindow). */
export async function postPaymentWindow(
  db: Db,
  opts: WindowOptions & { kind: 'credit' | 'reversal'; after: string },
): Promise<WindowResult> {
  const { ctx, kind } = opts;
  const fy = fiscalYearSql(sql.ref('p.booking_date'), ctx.fiscalYearStartMonth);
  const sourceKind = paymentSourceKind(kind);
  const entries = entriesInsert(db, {
    ...opts,
    numbered: sql`select p.id as source_id, p.fy, p.num, p.booking_date as posted_on,
        ${text(sourceKind)} as source_kind, ${paymentDescription(ctx, kind)} as description
      from numbered p`,
  });
  const res = await sql<{
    read: number;
    last: string | null;
    irregular: number;
    posted: number;
  }>`with w as (
      select p.id, p.booking_date, p.amount_ore, p.kid, ${fy} as fy
      from payments p
      where p.id > ${opts.after} and p.kind || '' = ${kind} and p.status || '' = 'matched'
        ${opts.from ? sql`and p.booking_date >= ${opts.from}` : sql``}
      order by p.id
      limit ${sql.lit(opts.limit)}
    ), todo as (
      select w.* from w where ${unposted(text(sourceKind), sql`w.id`)}
    ), ${reserveInStatement(sql`t.amount_ore <> 0`, sql`t.id`)}, ins as (
      ${entries} returning id, source_id
    ), s as materialized (
      select ins.id as entry_id, ${paymentSums(kind)}
      from ins join payments p on p.id = ins.source_id
    ), written as (
      ${paymentLines(ctx)}
    )
    select (select count(*) from w) as read, (select max(id) from w) as last,
      (select n from irregular) as irregular, (select count(*) from ins) as posted`.execute(db);
  return windowResult(res.rows[0]!);
}
