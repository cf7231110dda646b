import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import { isValidKid } from './bank-files/kid.js';
import type { BillingSettings } from './billing-settings.repository.js';
import type { MatchRule } from './billing.tables.js';
import { outstandingOre, toInvoice, type Invoice } from './invoices.repository.js';
import { isCredited } from './allocations.js';
import { inList } from './bulk-write.js';

// Matching an incoming payment: (a) its KID names an invoice, or (by the member-number
// prefix of our KID structure) a member; (b) else exactly one open invoice is waiting
// for exactly this amount (the payer's name breaks a tie); (c) else it waits in the
// queue for the treasurer. Lookups are done for a batch at once; the state of invoices
// paid earlier in the same batch is kept here until the batch is written.

export type MemberRef = { id: string; memberNumber: number; name: string };

export type Match =
  | { kind: 'invoice'; invoice: Invoice; rule: MatchRule; member: MemberRef }
  | { kind: 'member'; member: MemberRef; rule: MatchRule }
  | { kind: 'none'; reason: UnmatchedReason };

/** Why a payment could not be matched (shown in the preview and the queue). */
export type UnmatchedReason =
  'no_reference' | 'kid_check_digit' | 'kid_unknown' | 'amount_ambiguous' | 'no_original';

export type Credit = { kid: string | null; amountOre: number; payerName: string | null };

type KidShape = Pick<BillingSettings, 'kidMemberDigits' | 'kidInvoiceDigits'>;

const CHUNK = 500;
/** Candidates read for a match by amount; more than this many is never "exactly one". */
const AMOUNT_CANDIDATES = 200;

/** The member number inside one of our KIDs, or null when the KID has another shape. */
export function kidMemberNumber(kid: string, shape: KidShape): number | null {
  if (kid.length !== shape.kidMemberDigits + shape.kidInvoiceDigits + 1) return null;
  if (!/^\d+$/.test(kid)) return null;
  const n = Number(kid.slice(0, shape.kidMemberDigits));
  return n > 0 ? n : null;
}

/** Names as people and banks write them: case, accents composed, spacing ignored. */
export function sameName(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const norm = (s: string) =>
    s.normalize('NFC').toLocaleLowerCase('nb').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

/** An invoice can take a payment: issued, not settled, not credited away. */
export function isOpen(invoice: Invoice): boolean {
  return invoice.kind === 'invoice' && invoice.settledAt === null && !isCredited(invoice);
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function buyerRef(invoice: Invoice, name?: string): MemberRef {
  return {
    id: invoice.memberId,
    memberNumber: invoice.buyer.memberNumber ?? 0,
    name: name ?? invoice.buyer.name,
  };
}

export type Matcher = ReturnType<typeof createMatcher>;

/** A matcher for one batch at a time inside the import's transaction. */
export function createMatcher(tx: Db, shape: KidShape) {
  /** Current state of every invoice looked at in this batch, by id. */
  const working = new Map<string, Invoice>();
  /** Invoices this batch settled (open when loaded, settled by an amount applied here). */
  const settled = new Set<string>();
  const byKid = new Map<string, string>();
  const members = new Map<number, MemberRef>();
  const openByMember = new Map<string, string[]>();
  /**
   * How many unsettled invoices wait for each outstanding amount, read once per import
   * and kept up to date with every change the import makes (apply, invoiceChanged).
   * An amount nobody waits for, or more than AMOUNT_CANDIDATES wait for, is decided
   * without a query: on PostgreSQL such a query walks the index entries of every
   * invoice this transaction has settled so far (they stay until it commits).
   */
  let openByAmount: Map<number, number> | null = null;

  const raw = (i: Pick<Invoice, 'totalOre' | 'paidOre' | 'creditedOre'>) =>
    i.totalOre - i.paidOre - i.creditedOre;
  function count(
    invoice: Pick<Invoice, 'totalOre' | 'paidOre' | 'creditedOre' | 'settledAt'>,
    by: number,
  ) {
    if (!openByAmount || invoice.settledAt !== null) return;
    const key = raw(invoice);
    const n = (openByAmount.get(key) ?? 0) + by;
    if (n > 0) openByAmount.set(key, n);
    else openByAmount.delete(key);
  }

  async function amountCounts(): Promise<Map<number, number>> {
    if (openByAmount) return openByAmount;
    const outstanding = sql<number>`total_ore - paid_ore - credited_ore`;
    const rows = await tx
      .selectFrom('invoices')
      .select([outstanding.as('outstanding'), sql<number>`count(*)`.as('n')])
      .where('settled_at', 'is', null)
      .groupBy(outstanding)
      .execute();
    openByAmount = new Map(rows.map((r) => [Number(r.outstanding), Number(r.n)]));
    return openByAmount;
  }

  const remember = (invoice: Invoice): Invoice => {
    const known = working.get(invoice.id);
    if (known) return known;
    working.set(invoice.id, invoice);
    return invoice;
  };

  /** Loads, for a batch, the invoices its KIDs name and the members their prefixes name. */
  async function prepare(credits: Credit[]): Promise<void> {
    const kids = [...new Set(credits.flatMap((c) => (c.kid && isValidKid(c.kid) ? [c.kid] : [])))];
    for (const chunk of chunks(kids)) {
      const rows = await tx
        .selectFrom('invoices')
        .selectAll()
        .where(inList(tx, 'kid', chunk, 'text'))
        .execute();
      for (const row of rows) {
        const invoice = remember(toInvoice(row));
        if (invoice.kid) byKid.set(invoice.kid, invoice.id);
      }
    }
    const numbers = [
      ...new Set(
        kids.flatMap((kid) => {
          if (byKid.has(kid)) return [];
          const n = kidMemberNumber(kid, shape);
          return n === null ? [] : [n];
        }),
      ),
    ];
    for (const chunk of chunks(numbers)) {
      const rows = await tx
        .selectFrom('members')
        .select(['id', 'member_number', 'name'])
        .where(inList(tx, 'member_number', chunk, 'integer'))
        .execute();
      for (const r of rows)
        members.set(r.member_number, { id: r.id, memberNumber: r.member_number, name: r.name });
    }
    const memberIds = [...members.values()].map((m) => m.id);
    for (const chunk of chunks(memberIds)) {
      const rows = await tx
        .selectFrom('invoices')
        .selectAll()
        .where(inList(tx, 'member_id', chunk, 'text'))
        .where('kind', '=', 'invoice')
        .where('settled_at', 'is', null)
        .orderBy('issue_date')
        .orderBy('number')
        .execute();
      for (const row of rows) {
        const invoice = remember(toInvoice(row));
        const list = openByMember.get(invoice.memberId);
        if (list) list.push(invoice.id);
        else openByMember.set(invoice.memberId, [invoice.id]);
      }
    }
  }

  /** (b): exactly one open invoice waits for this amount, or one of them is the payer's. */
  async function byAmount(credit: Credit): Promise<{ match: Match | null; candidates: number }> {
    const waiting = (await amountCounts()).get(credit.amountOre) ?? 0;
    if (waiting === 0) return { match: null, candidates: 0 };
    if (waiting > AMOUNT_CANDIDATES) return { match: null, candidates: AMOUNT_CANDIDATES + 1 };
    // Ids first, from the one table and its expression index; then the few candidates.
    const ids = await tx
      .selectFrom('invoices')
      .select('id')
      .where('settled_at', 'is', null)
      // The same expression as the index invoices_open_outstanding.
      .where(sql<number>`total_ore - paid_ore - credited_ore`, '=', credit.amountOre)
      .limit(AMOUNT_CANDIDATES + 1)
      .execute();
    const rows =
      ids.length === 0
        ? []
        : await tx
            .selectFrom('invoices as i')
            .innerJoin('members as m', 'm.id', 'i.member_id')
            .selectAll('i')
            .select(['m.name as member_name', 'm.member_number'])
            .where(
              'i.id',
              'in',
              ids.map((r) => r.id),
            )
            .where('i.kind', '=', 'invoice')
            .execute();
    const complete = ids.length <= AMOUNT_CANDIDATES;
    const candidates = rows
      .map((r) => ({
        invoice: remember(toInvoice(r)),
        member: { id: r.member_id, memberNumber: r.member_number, name: r.member_name },
      }))
      .filter((c) => isOpen(c.invoice) && outstandingOre(c.invoice) === credit.amountOre);
    const pick = (c: (typeof candidates)[number]): Match => ({
      kind: 'invoice',
      invoice: c.invoice,
      rule: 'amount',
      member: c.member,
    });
    const count = complete ? candidates.length : ids.length;
    if (complete && candidates.length === 1) return { match: pick(candidates[0]!), candidates: 1 };
    const named = candidates.filter((c) => sameName(c.member.name, credit.payerName));
    if (complete && named.length === 1) return { match: pick(named[0]!), candidates: count };
    return { match: null, candidates: count };
  }

  /** Finds where a credit goes. Call prepare() for its batch first. */
  async function match(credit: Credit): Promise<Match> {
    let kidReason: UnmatchedReason | null = null;
    if (credit.kid) {
      if (!isValidKid(credit.kid)) {
        kidReason = 'kid_check_digit';
      } else {
        const id = byKid.get(credit.kid);
        const invoice = id ? working.get(id) : undefined;
        if (invoice) return { kind: 'invoice', invoice, rule: 'kid', member: buyerRef(invoice) };
        const number = kidMemberNumber(credit.kid, shape);
        const member = number === null ? undefined : members.get(number);
        if (member) {
          const oldest = (openByMember.get(member.id) ?? [])
            .map((i) => working.get(i)!)
            .find((i) => isOpen(i));
          if (oldest) return { kind: 'invoice', invoice: oldest, rule: 'kid_member', member };
          return { kind: 'member', member, rule: 'kid_member' };
        }
        kidReason = 'kid_unknown';
      }
    }
    const amount = await byAmount(credit);
    if (amount.match) return amount.match;
    return {
      kind: 'none',
      reason: kidReason ?? (amount.candidates > 1 ? 'amount_ambiguous' : 'no_reference'),
    };
  }

  /** Records, for the rest of the batch, that an amount was put on an invoice. */
  function apply(invoiceId: string, amountOre: number, now: Date): void {
    const invoice = working.get(invoiceId);
    if (!invoice) return;
    const paidOre = invoice.paidOre + amountOre;
    const paidUp = paidOre + invoice.creditedOre >= invoice.totalOre;
    if (invoice.settledAt === null && paidUp) settled.add(invoiceId);
    const after = {
      ...invoice,
      paidOre,
      settledAt: invoice.settledAt ?? (paidUp ? now.toISOString() : null),
    };
    invoiceChanged(invoice, after);
    working.set(invoiceId, after);
  }

  /** Keeps the counts by amount right when the import changed an invoice another way. */
  function invoiceChanged(
    before: Pick<Invoice, 'totalOre' | 'paidOre' | 'creditedOre' | 'settledAt'>,
    after: Pick<Invoice, 'totalOre' | 'paidOre' | 'creditedOre' | 'settledAt'>,
  ): void {
    count(before, -1);
    count(after, 1);
  }

  /** The invoices the batch has settled, in their new state. */
  function settledInBatch(): Invoice[] {
    return [...settled].map((id) => working.get(id)!);
  }

  /** Forgets the batch once it is written: the database is the state again. */
  function clear(): void {
    working.clear();
    settled.clear();
    byKid.clear();
    members.clear();
    openByMember.clear();
  }

  return { prepare, match, apply, invoiceChanged, settledInBatch, clear };
}
