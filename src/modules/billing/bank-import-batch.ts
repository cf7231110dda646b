import { sql } from 'kysely';
import type { Actor } from '../../app/audit.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import type { BankTransaction } from './bank-files/types.js';
import type { BankFileSummary } from './bank-files/types.js';
import type { MatchRule, PaymentSource } from './billing.tables.js';
import type { BankImport } from './bank-imports.repository.js';
import { PaymentErrors } from './billing.errors.js';
import {
  addToPaidStates,
  allocationRows,
  planAllocation,
  reverseAllocations,
} from './allocations.js';
import { findInvoiceById } from './invoices.repository.js';
import type { Matcher, UnmatchedReason } from './matching.js';
import { membershipFollowsPayment } from './membership-payment.js';
import {
  existingSourceRefs,
  findReversibleCredit,
  insertAllocations,
  insertCheckedPayments,
  insertPaymentsSkippingKnown,
  isUniqueViolation,
  type AllocationRow,
  type PaymentRow,
} from './payments.repository.js';

// One batch of a bank import: credits matched, written and settled together, and
// reversals one by one. Called by importBankFile inside its transaction.

/** What the treasurer sees for one transaction of the file. */
export type ImportRow = {
  location: string;
  kind: 'credit' | 'reversal';
  amountOre: number;
  kid: string | null;
  bookingDate: string;
  payerName: string | null;
  message: string | null;
  outcome: 'matched' | 'unmatched' | 'duplicate';
  rule: MatchRule | null;
  reason: UnmatchedReason | null;
  invoiceNumber: number | null;
  memberNumber: number | null;
  memberName: string | null;
  toInvoiceOre: number;
  toCreditOre: number;
};

export type ImportReport = {
  dryRun: boolean;
  committed: boolean;
  importId: string | null;
  sha256: string;
  fileName: string | null;
  /** The same file (by SHA-256) was imported before: nothing changed. */
  alreadyImported: BankImport | null;
  summary: BankFileSummary | null;
  matched: number;
  unmatched: number;
  duplicates: number;
  reversed: number;
  /** Payments (or parts of them) put on members' credit, and their sum. */
  creditCount: number;
  creditOre: number;
  invoicesSettled: number;
  periodsPaid: number;
  reactivated: number;
  /** The first PREVIEW_ROWS transactions with what became (or would become) of them. */
  rows: ImportRow[];
};

export const PREVIEW_ROWS = 200;
export function emptyReport(input: {
  dryRun: boolean;
  sha256: string;
  fileName: string | null;
}): ImportReport {
  return {
    dryRun: input.dryRun,
    committed: false,
    importId: null,
    sha256: input.sha256,
    fileName: input.fileName,
    alreadyImported: null,
    summary: null,
    matched: 0,
    unmatched: 0,
    duplicates: 0,
    reversed: 0,
    creditCount: 0,
    creditOre: 0,
    invoicesSettled: 0,
    periodsPaid: 0,
    reactivated: 0,
    rows: [],
  };
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids for the rows of one import, in the format of newId (26 characters, time first) but
 * ascending: rows are appended to the primary-key indexes instead of scattered, and the
 * randomness is drawn once rather than per row.
 */
export function idSequence(ms: number): () => string {
  const head = newId(ms).slice(0, 16);
  let n = 0;
  return () => {
    let x = n++;
    let tail = '';
    for (let i = 0; i < 10; i++) {
      tail = ALPHABET[x % 32]! + tail;
      x = Math.floor(x / 32);
    }
    return head + tail;
  };
}

export type Run = {
  tx: Db;
  now: Date;
  nextId: () => string;
  actor: Actor;
  importId: string;
  source: PaymentSource;
  matcher: Matcher;
  /** A fresh matcher (after a batch was rolled back to its savepoint). */
  newMatcher: () => Matcher;
  /**
   * Whether a transaction of this file was found registered before: from then on each
   * batch's source refs are looked up before it is written (see processCredits).
   */
  duplicatesSeen: boolean;
  report: ImportReport;
};

/** The optimistic write of a batch met a payment registered before. */
class DuplicateInBatch extends Error {
  constructor() {
    super('a payment of the batch was registered before');
  }
}

/** The report's counts and preview length, to go back to if a batch is rolled back. */
function snapshot(report: ImportReport): () => void {
  const counts = { ...report, rows: undefined };
  const rows = report.rows.length;
  return () => {
    Object.assign(report, { ...counts, rows: report.rows });
    report.rows.length = rows;
  };
}

function row(t: BankTransaction, rest: Partial<ImportRow> & Pick<ImportRow, 'outcome'>): ImportRow {
  return {
    location: t.location,
    kind: t.kind,
    amountOre: t.amountOre,
    kid: t.kid,
    bookingDate: t.bookingDate,
    payerName: t.payerName,
    message: t.message,
    rule: null,
    reason: null,
    invoiceNumber: null,
    memberNumber: null,
    memberName: null,
    toInvoiceOre: 0,
    toCreditOre: 0,
    ...rest,
  };
}

function show(run: Run, r: ImportRow): void {
  if (run.report.rows.length < PREVIEW_ROWS) run.report.rows.push(r);
}

function paymentRow(run: Run, t: BankTransaction, rest: Partial<PaymentRow>): PaymentRow {
  return {
    id: run.nextId(),
    source: run.source,
    source_ref: t.sourceRef,
    bank_import_id: run.importId,
    kind: t.kind,
    amount_ore: t.amountOre,
    kid: t.kid,
    booking_date: t.bookingDate,
    payer_name: t.payerName,
    payer_account: t.payerAccount,
    message: t.message,
    bank_reference: t.bankReference,
    status: 'unmatched',
    member_id: null,
    invoice_id: null,
    match_rule: null,
    reverses_payment_id: null,
    note: null,
    created_at: run.now.toISOString(),
    created_by: run.actor.userId,
    ...rest,
  };
}

/**
 * A batch of incoming credits: skip known ones, match, write, settle, membership.
 *
 * Looking every source ref up before writing costs an index probe per payment, and most
 * files hold no payment registered before. So until one is met, a batch is written
 * without the lookup, inside a savepoint: a payment registered before then fails the
 * unique source_ref (or, on SQLite, is skipped by it), the batch is rolled back to the
 * savepoint with the report and the matcher as they were, and it is done again with the
 * lookup — as is every later batch of the file.
 */
export async function processCredits(run: Run, batch: BankTransaction[]): Promise<void> {
  if (batch.length === 0) return;
  if (!run.duplicatesSeen) {
    const restore = snapshot(run.report);
    await sql`savepoint credits_batch`.execute(run.tx);
    try {
      await writeCredits(run, batch, null);
      await sql`release savepoint credits_batch`.execute(run.tx);
      return;
    } catch (err) {
      if (!(err instanceof DuplicateInBatch) && !isUniqueViolation(err)) throw err;
      await sql`rollback to savepoint credits_batch`.execute(run.tx);
      await sql`release savepoint credits_batch`.execute(run.tx);
      restore();
      run.matcher = run.newMatcher();
      run.duplicatesSeen = true;
    }
  }
  const known = await existingSourceRefs(
    run.tx,
    batch.map((t) => t.sourceRef),
  );
  await writeCredits(run, batch, known);
}

/** One batch of credits with the source refs `known` to be registered (null: not looked up). */
async function writeCredits(
  run: Run,
  batch: BankTransaction[],
  known: Set<string> | null,
): Promise<void> {
  const { tx, report, matcher } = run;
  const fresh: BankTransaction[] = [];
  const seen = new Set<string>();
  for (const t of batch) {
    if (known?.has(t.sourceRef) || seen.has(t.sourceRef)) {
      report.duplicates++;
      show(run, row(t, { outcome: 'duplicate' }));
      continue;
    }
    seen.add(t.sourceRef);
    fresh.push(t);
  }
  await matcher.prepare(fresh);
  const payments: PaymentRow[] = [];
  const allocations: AllocationRow[] = [];
  const paidNow = new Map<string, number>();
  for (const t of fresh) {
    const match = await matcher.match(t);
    if (match.kind === 'none') {
      payments.push(paymentRow(run, t, {}));
      report.unmatched++;
      show(run, row(t, { outcome: 'unmatched', reason: match.reason }));
      continue;
    }
    const invoice = match.kind === 'invoice' ? match.invoice : null;
    const plan = planAllocation(invoice, t.amountOre);
    const rule: MatchRule = plan.invoiceCredited ? 'invoice_credited' : match.rule;
    const payment = paymentRow(run, t, {
      status: 'matched',
      member_id: match.member.id,
      invoice_id: invoice?.id ?? null,
      match_rule: rule,
    });
    payments.push(payment);
    allocations.push(
      ...allocationRows({
        paymentId: payment.id,
        invoiceId: invoice?.id ?? null,
        memberId: match.member.id,
        plan,
        now: run.now,
        actor: run.actor,
        nextId: run.nextId,
      }),
    );
    if (invoice && plan.toInvoiceOre > 0) {
      matcher.apply(invoice.id, plan.toInvoiceOre, run.now);
      paidNow.set(invoice.id, (paidNow.get(invoice.id) ?? 0) + plan.toInvoiceOre);
    }
    report.matched++;
    if (plan.toCreditOre > 0) {
      report.creditCount++;
      report.creditOre += plan.toCreditOre;
    }
    show(
      run,
      row(t, {
        outcome: 'matched',
        rule,
        invoiceNumber: invoice?.number ?? null,
        memberNumber: match.member.memberNumber,
        memberName: match.member.name,
        toInvoiceOre: plan.toInvoiceOre,
        toCreditOre: plan.toCreditOre,
      }),
    );
  }
  // Unchecked: a payment registered before. Checked: one registered by a concurrent
  // import between the check and the insert.
  if (!(await insertCheckedPayments(tx, payments)))
    throw known === null ? new DuplicateInBatch() : PaymentErrors.concurrentImport();
  await insertAllocations(tx, allocations);
  await addToPaidStates(tx, paidNow, run.now);
  const settled = matcher.settledInBatch();
  report.invoicesSettled += settled.length;
  const membership = await membershipFollowsPayment(tx, {
    invoices: settled,
    now: run.now,
    actor: run.actor,
    auditEach: false,
    nextId: run.nextId,
  });
  report.periodsPaid += membership.periodsPaid;
  report.reactivated += membership.reactivated;
  matcher.clear();
}

/** A reversal takes back the most recent matching payment (KID and amount), or queues. */
export async function processReversal(run: Run, t: BankTransaction): Promise<void> {
  const { tx, report } = run;
  if ((await existingSourceRefs(tx, [t.sourceRef])).size > 0) {
    report.duplicates++;
    show(run, row(t, { outcome: 'duplicate' }));
    return;
  }
  const original = t.kid
    ? await findReversibleCredit(tx, { kid: t.kid, amountOre: t.amountOre })
    : null;
  const payment = original
    ? paymentRow(run, t, {
        status: 'matched',
        member_id: original.memberId,
        invoice_id: original.invoiceId,
        reverses_payment_id: original.id,
        match_rule: 'reversal',
      })
    : paymentRow(run, t, {});
  const inserted = await insertPaymentsSkippingKnown(tx, [payment]);
  if (inserted.size !== 1) throw PaymentErrors.concurrentImport();
  if (!original) {
    report.unmatched++;
    show(run, row(t, { outcome: 'unmatched', reason: 'no_original' }));
    return;
  }
  const { changes } = await reverseAllocations(tx, {
    reversal: { id: payment.id },
    original,
    now: run.now,
    actor: run.actor,
  });
  for (const c of changes) run.matcher.invoiceChanged(c.before, c.after);
  report.matched++;
  report.reversed++;
  const invoice = original.invoiceId ? await findInvoiceById(tx, original.invoiceId) : null;
  const member = original.memberId
    ? await tx
        .selectFrom('members')
        .select(['member_number', 'name'])
        .where('id', '=', original.memberId)
        .executeTakeFirst()
    : undefined;
  show(
    run,
    row(t, {
      outcome: 'matched',
      rule: 'reversal',
      invoiceNumber: invoice?.number ?? null,
      memberNumber: member?.member_number ?? null,
      memberName: member?.name ?? null,
    }),
  );
}
