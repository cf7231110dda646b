import type { JournalSourceKind } from './finance.tables.js';
import type { ExportEntry, ExportLine } from './exports.repository.js';

// GBAT10 ("Generell bokføringsdata", Mamut's journal import format, read by Visma
// Business/Global/eAccounting, Tripletex, PowerOffice, Xledger (as "AR10") and others):
// one posting line per record, 30 fields numbered 0–29 separated by semicolons, no
// quoting, dates YYYYMMDD, amounts with two decimals and a point, debit positive and
// credit negative. The layout below is Mamut's, field by field; docs/finance-export.md
// lists it with its sources.

export type Gbat10Field = {
  index: number;
  name: string;
  /** The maximum length the specification gives (0: blank field kept for its place). */
  max: number;
};

/** The record layout, in order (Mamut Import/Export, "Journal: GBAT10"). */
export const GBAT10_FIELDS: readonly Gbat10Field[] = [
  { index: 0, name: 'identification', max: 6 },
  { index: 1, name: 'voucher_number', max: 8 },
  { index: 2, name: 'voucher_date', max: 8 },
  { index: 3, name: 'voucher_type', max: 3 },
  { index: 4, name: 'period', max: 2 },
  { index: 5, name: 'accounting_year', max: 4 },
  { index: 6, name: 'account', max: 7 },
  { index: 7, name: 'vat_code', max: 5 },
  { index: 8, name: 'amount', max: 15 },
  { index: 9, name: 'customer_number', max: 9 },
  { index: 10, name: 'supplier_number', max: 9 },
  { index: 11, name: 'contact_name', max: 30 },
  { index: 12, name: 'address', max: 200 },
  { index: 13, name: 'postal_code', max: 30 },
  { index: 14, name: 'city', max: 30 },
  { index: 15, name: 'invoice_number', max: 25 },
  { index: 16, name: 'kid', max: 30 },
  { index: 17, name: 'due_date', max: 8 },
  { index: 18, name: 'not_used', max: 0 },
  { index: 19, name: 'bank_account', max: 20 },
  { index: 20, name: 'ledger_description', max: 100 },
  { index: 21, name: 'subledger_description', max: 100 },
  { index: 22, name: 'interest_invoicing', max: 1 },
  { index: 23, name: 'project', max: 6 },
  { index: 24, name: 'department', max: 4 },
  { index: 25, name: 'payment_terms', max: 4 },
  { index: 26, name: 'gross', max: 1 },
  { index: 27, name: 'gross_sum', max: 20 },
  { index: 28, name: 'iban', max: 50 },
  { index: 29, name: 'swift', max: 50 },
];

export const GBAT10_FIELD_COUNT = GBAT10_FIELDS.length;

/**
 * Our voucher types (field 3, "bilagsart"), one per kind of posting. The receiving
 * system maps them to its own voucher types on import.
 */
export const GBAT10_VOUCHER_TYPES: Record<JournalSourceKind, number> = {
  invoice: 1,
  credit_note: 2,
  payment: 3,
  payment_reversal: 3,
  credit_transfer: 3,
  expense: 4,
  expense_payment: 5,
  manual: 9,
  reversal: 9,
};

/** Øre as a signed amount with two decimals and a point: -12345 → "-123.45". */
export function gbat10Amount(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A separator, a line break or other whitespace than a single space: what gbat10Text replaces. */
const NEEDS_CLEANING = /[^\S ]|  |;/;

/** Text for a field: no separators or line breaks (the format has no quoting), cut to length. */
export function gbat10Text(value: string | null | undefined, max: number): string {
  if (!value) return '';
  // Most texts have nothing to replace (one call per line of a 585 000-line year).
  if (!NEEDS_CLEANING.test(value)) return value.trim().slice(0, max).trim();
  return value
    .replace(/[;\r\n\t]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

const compactDate = (iso: string | null) => (iso ? iso.replaceAll('-', '') : '');

/** The period (1–12) of a date within a fiscal year starting in `startMonth`. */
export function fiscalPeriod(date: string, startMonth: number): number {
  const month = Number(date.slice(5, 7));
  return ((month - startMonth + 12) % 12) + 1;
}

export type Gbat10Options = {
  fiscalStartMonth: number;
  /** Accounts of the customer ledger (receivables, members' prepayments): customer no. */
  customerAccounts: ReadonlySet<string>;
  /** Accounts of the supplier ledger (expense claims owed to members): supplier no. */
  supplierAccounts: ReadonlySet<string>;
};

/** What `make` gives for `key`, made once per map. */
function memo<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make(key)));
  return value;
}

const lineText = (description: string) => gbat10Text(description, 100);

/** One journal line as one GBAT10 record (without the line break). */
export function gbat10Record(line: ExportLine, opts: Gbat10Options): string {
  return gbat10Records([line], opts).slice(0, -2);
}

/**
 * Journal lines as GBAT10 records, each ending in CRLF. A voucher's own fields (number,
 * date, type, period, year, invoice, KID, due date and its text) are made once and shared
 * by its lines, and each record is one string built in place: a year's export is
 * 585 000 records.
 */
export function gbat10Records(lines: readonly ExportLine[], opts: Gbat10Options): string {
  // Every piece of every record goes into one array, joined once at the end into one flat
  // string. A record made as one template string is a chain of some twenty-five
  // concatenations, each of them kept on the heap until the join: across a page of
  // thousands of records that was most of what the garbage collector had to copy.
  const out: string[] = [];
  let entry: ExportEntry | null = null;
  let head = '';
  let invoice = '';
  let entryText = '';
  const accountsVat = new Map<string, Map<string | null, string>>();
  const amounts = new Map<number, string>();
  const texts = new Map<string, string>();
  for (const line of lines) {
    if (line.entry !== entry) {
      const e: ExportEntry = line.entry;
      entry = e;
      // Fields 0–5, each with its separator.
      head = `GBAT10;${e.voucherNumber};${compactDate(e.postedOn)};${GBAT10_VOUCHER_TYPES[e.sourceKind]};${fiscalPeriod(e.postedOn, opts.fiscalStartMonth)};${e.fiscalYear};`;
      // Fields 15–17 with theirs, and the blank 18 and 19.
      invoice = `${e.invoiceNumber === null ? '' : e.invoiceNumber};${gbat10Text(e.kid, 30)};${compactDate(e.dueDate)};;;`;
      entryText = gbat10Text(e.entryDescription, 100);
    }
    const member = line.memberNumber === null ? '' : String(line.memberNumber);
    const customer = member !== '' && opts.customerAccounts.has(line.account);
    const supplier = member !== '' && opts.supplierAccounts.has(line.account);
    // Fields 6–8 (account, VAT code, amount) and 20: a page's lines repeat a handful of
    // accounts, codes, amounts and texts, each made once per page.
    const accountVat = memo(
      memo(accountsVat, line.account, () => new Map<string | null, string>()),
      line.vatCode,
      (code) => `${line.account};${code && /^\d{1,5}$/.test(code) ? code : '0'};`,
    );
    const amount = memo(amounts, line.debitOre - line.creditOre, gbat10Amount);
    const text =
      line.lineDescription === null ? entryText : memo(texts, line.lineDescription, lineText);
    // Fields 9 and 10, the blank 11–14, 15–19 (the voucher's), 20, 21 and the blank 22–29.
    out.push(head, accountVat, amount);
    if (customer) out.push(';', member, ';;;;;;');
    else if (supplier) out.push(';;', member, ';;;;;');
    else out.push(';;;;;;;');
    out.push(invoice, text, ';', customer || supplier ? entryText : '', ';;;;;;;;\r\n');
  }
  return out.join('');
}

/**
 * GBAT10 is an 8-bit format: the importers read Windows-1252/ISO 8859-1 (æ, ø, å are
 * single bytes). Characters outside Latin-1 become "?" rather than corrupt bytes.
 */
export function encodeLatin1(text: string): Uint8Array {
  return Buffer.from(text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1');
}

export type Gbat10Record = Record<string, string>;

/** Reads GBAT10 text back by the layout above (for tests and for checking a file). */
export function parseGbat10(text: string): Gbat10Record[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .map((l, i) => {
      const cells = l.split(';');
      if (cells.length !== GBAT10_FIELD_COUNT || cells[0] !== 'GBAT10')
        throw new Error(
          `GBAT10 line ${i + 1}: ${cells.length} fields, expected ${GBAT10_FIELD_COUNT}`,
        );
      const rec: Gbat10Record = {};
      for (const field of GBAT10_FIELDS) {
        const v = cells[field.index]!;
        if (v.length > Math.max(field.max, 0) && !(field.max === 0 && v === ''))
          throw new Error(`GBAT10 line ${i + 1}: ${field.name} longer than ${field.max}`);
        rec[field.name] = v;
      }
      return rec;
    });
}

/** "-123.45" → -12345, exactly (no floating point). */
export function parseGbat10Amount(text: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a GBAT10 amount: ${text}`);
  const ore = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -ore : ore;
}
