import { associationYear } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import type { AccountMap } from './finance-settings.repository.js';
import type { JournalEntryInput, JournalLineInput } from './journal.repository.js';

// What each source posts, as pure functions of the source's figures: no database here,
// so every rule is tested to the øre on its own. Amounts are signed while building
// (positive = debit, negative = credit) and turned into one-sided lines at the end.

export type InvoiceSource = {
  id: string;
  number: number;
  kind: 'invoice' | 'credit_note';
  purpose: 'dues' | 'reminder_fee' | 'other';
  creditedNumber: number | null;
  memberId: string;
  issueDate: string;
  totalOre: number;
  vatRegistered: boolean;
  /** Signed as stored: a credit note's lines are negative. */
  lines: { description: string; vatRateBp: number; netOre: number; vatOre: number }[];
};

export type PaymentSource = {
  id: string;
  kind: 'credit' | 'reversal';
  /** As stored: positive for a credit and for a reversal alike. */
  amountOre: number;
  bookingDate: string;
  kid: string | null;
  memberId: string | null;
  /** Signed sum of the payment's allocations to invoices (negative for a reversal). */
  toInvoicesOre: number;
};

/** An allocation without a payment: money moved between a member's credit and an invoice. */
export type CreditTransferSource = {
  id: string;
  invoiceNumber: number;
  memberId: string;
  /** Positive: credit used to pay the invoice; negative: paid money moved to credit. */
  amountOre: number;
  date: string;
};

export type ExpenseSource = {
  id: string;
  number: number;
  memberId: string;
  category: string;
  amountOre: number;
  vatOre: number;
  date: string;
};

export type PostingContext = {
  accounts: AccountMap;
  fiscalYearStartMonth: number;
  locale: Locale;
  vatRegistered: boolean;
};

/** The fiscal year of a posting date, named (as association years are) by its first year. */
export function fiscalYearOf(date: string, startMonth: number): number {
  return associationYear(date, startMonth).year;
}

/** Norwegian standard VAT codes (SAF-T) for output VAT by rate; 6 is outside the VAT act. */
export function outputVatCode(rateBp: number, vatRegistered: boolean): string | null {
  if (!vatRegistered) return null;
  switch (rateBp) {
    case 2500:
      return '3';
    case 1500:
      return '31';
    case 1200:
      return '33';
    case 0:
      return '6';
    default:
      return null;
  }
}

type Signed = Omit<JournalLineInput, 'debitOre' | 'creditOre'> & { amountOre: number };

/** Signed amounts to one-sided lines; zero lines are left out. */
export function toLines(signed: readonly Signed[]): JournalLineInput[] {
  const lines: JournalLineInput[] = [];
  for (const { amountOre, ...rest } of signed) {
    if (amountOre === 0) continue;
    lines.push(
      amountOre > 0 ? { ...rest, debitOre: amountOre } : { ...rest, creditOre: -amountOre },
    );
  }
  return lines;
}

const validAccount = (n: string) => /^\d{4,6}$/.test(n);

function entry(
  ctx: PostingContext,
  e: Omit<JournalEntryInput, 'fiscalYear' | 'lines'> & { signed: Signed[] },
): JournalEntryInput {
  return {
    fiscalYear: fiscalYearOf(e.postedOn, ctx.fiscalYearStartMonth),
    postedOn: e.postedOn,
    description: e.description,
    sourceKind: e.sourceKind,
    sourceId: e.sourceId,
    lines: toLines(e.signed),
  };
}

const text = {
  invoice: { nb: 'Faktura {n}', en: 'Invoice {n}' },
  credit_note: { nb: 'Kreditnota {n} til faktura {o}', en: 'Credit note {n} for invoice {o}' },
  payment: { nb: 'Innbetaling', en: 'Payment received' },
  payment_reversal: { nb: 'Tilbakeført innbetaling', en: 'Payment reversed' },
  credit_used: {
    nb: 'Tilgodehavende brukt på faktura {n}',
    en: 'Credit used for invoice {n}',
  },
  credit_moved: {
    nb: 'Innbetalt på kreditert faktura {n} ført til gode',
    en: 'Paid on credited invoice {n} moved to credit',
  },
  expense: { nb: 'Utlegg nr. {n}', en: 'Expense claim {n}' },
  expense_payment: { nb: 'Utbetaling av utlegg nr. {n}', en: 'Expense claim {n} paid' },
} as const;

/** A description's template with its `{n}`/`{o}` placeholders (the set-based posting fills them in SQL). */
export function postingTemplate(ctx: PostingContext, key: keyof typeof text): string {
  return text[key][ctx.locale];
}

function say(
  ctx: PostingContext,
  key: keyof typeof text,
  params: Record<string, string | number> = {},
): string {
  return text[key][ctx.locale].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/**
 * An invoice: receivables debited with the total; each line's net credited to the income
 * account its VAT treatment decides (a reminder fee to reminder fees; VAT 0 to
 * membership fees; VAT above 0 to service fees); the VAT credited to output VAT, one line
 * per rate. A credit note has negative figures, so the same rules post the reverse.
 */
export function invoiceEntry(ctx: PostingContext, inv: InvoiceSource): JournalEntryInput {
  const a = ctx.accounts;
  const signed: Signed[] = [
    { account: a.receivables, amountOre: inv.totalOre, memberId: inv.memberId },
  ];
  const vatByRate = new Map<number, number>();
  for (const l of inv.lines) {
    const account =
      inv.purpose === 'reminder_fee'
        ? a.reminder_fees
        : l.vatRateBp > 0
          ? a.service_fees
          : a.membership_fees;
    signed.push({
      account,
      amountOre: -l.netOre,
      vatCode: outputVatCode(l.vatRateBp, inv.vatRegistered),
      description: l.description,
    });
    if (l.vatOre !== 0) vatByRate.set(l.vatRateBp, (vatByRate.get(l.vatRateBp) ?? 0) + l.vatOre);
  }
  for (const [rate, vat] of vatByRate)
    signed.push({
      account: a.output_vat,
      amountOre: -vat,
      vatCode: outputVatCode(rate, inv.vatRegistered),
    });
  return entry(ctx, {
    postedOn: inv.issueDate,
    description:
      inv.kind === 'credit_note'
        ? say(ctx, 'credit_note', { n: inv.number, o: inv.creditedNumber ?? '' })
        : say(ctx, 'invoice', { n: inv.number }),
    sourceKind: inv.kind,
    sourceId: inv.id,
    signed,
  });
}

/**
 * A payment: the bank debited with the amount; receivables credited with what went to
 * invoices, the member's credit (customer prepayments) with the rest. A reversal posts
 * the opposite, split as its mirrored allocations say.
 */
export function paymentEntry(ctx: PostingContext, p: PaymentSource): JournalEntryInput {
  const a = ctx.accounts;
  const bank = p.kind === 'credit' ? p.amountOre : -p.amountOre;
  return entry(ctx, {
    postedOn: p.bookingDate,
    description:
      say(ctx, p.kind === 'credit' ? 'payment' : 'payment_reversal') +
      (p.kid ? ` KID ${p.kid}` : ''),
    sourceKind: p.kind === 'credit' ? 'payment' : 'payment_reversal',
    sourceId: p.id,
    signed: [
      { account: a.bank, amountOre: bank },
      { account: a.receivables, amountOre: -p.toInvoicesOre, memberId: p.memberId },
      { account: a.prepayments, amountOre: -(bank - p.toInvoicesOre), memberId: p.memberId },
    ],
  });
}

/** Credit used for an invoice moves it from prepayments to receivables, and back. */
export function creditTransferEntry(
  ctx: PostingContext,
  t: CreditTransferSource,
): JournalEntryInput {
  const a = ctx.accounts;
  return entry(ctx, {
    postedOn: t.date,
    description: say(ctx, t.amountOre > 0 ? 'credit_used' : 'credit_moved', {
      n: t.invoiceNumber,
    }),
    sourceKind: 'credit_transfer',
    sourceId: t.id,
    signed: [
      { account: a.prepayments, amountOre: t.amountOre, memberId: t.memberId },
      { account: a.receivables, amountOre: -t.amountOre, memberId: t.memberId },
    ],
  });
}

/**
 * An approved expense claim: the cost account debited with the net, input VAT with the
 * VAT (only when the association is VAT-registered; otherwise the VAT is part of the
 * cost), and what is owed to the member credited with the whole amount.
 */
export function expenseEntry(ctx: PostingContext, e: ExpenseSource): JournalEntryInput {
  const a = ctx.accounts;
  const vat = ctx.vatRegistered ? e.vatOre : 0;
  return entry(ctx, {
    postedOn: e.date,
    description: say(ctx, 'expense', { n: e.number }),
    sourceKind: 'expense',
    sourceId: e.id,
    signed: [
      {
        account: validAccount(e.category) ? e.category : a.other_costs,
        amountOre: e.amountOre - vat,
        vatCode: vat > 0 ? '1' : null,
      },
      { account: a.input_vat, amountOre: vat, vatCode: '1' },
      { account: a.expenses_payable, amountOre: -e.amountOre, memberId: e.memberId },
    ],
  });
}

/** A paid claim: the debt to the member settled from the bank. */
export function expensePaymentEntry(ctx: PostingContext, e: ExpenseSource): JournalEntryInput {
  const a = ctx.accounts;
  return entry(ctx, {
    postedOn: e.date,
    description: say(ctx, 'expense_payment', { n: e.number }),
    sourceKind: 'expense_payment',
    sourceId: e.id,
    signed: [
      { account: a.expenses_payable, amountOre: e.amountOre, memberId: e.memberId },
      { account: a.bank, amountOre: -e.amountOre },
    ],
  });
}
