import { formatOre } from '../../../app/money.js';
import { interpolate, type Translations } from '../../../app/errors.js';

export type BankFileFormat = 'ocr' | 'camt.053' | 'camt.054';

/** Bytes of a bank file as they arrive: `fs.createReadStream(path)`, an upload stream, chunks. */
export type BankFileInput = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * One incoming payment (or its reversal), the same shape whatever file it came from.
 *
 * `sourceRef` is stable across imports of the same file and is what makes an import
 * idempotent (a unique key per account):
 * - OCR giro: `ocr:<assignment account>:<assignment no>:<transaction no>:<archive ref>:<settlement date>`.
 * - camt: `camt:<account>:<ref>` (a Norwegian IBAN written as its 11-digit account number)
 *   where ref is, in order of preference, the transaction's
 *   `TxDtls/Refs/AcctSvcrRef`; the entry's `AcctSvcrRef` (with `#<n>` for the n-th
 *   transaction of a batch entry); `ntry:<NtryRef>:<TxId or EndToEndId>`; and as a last
 *   resort `msg:<GrpHdr/MsgId>:<XML path>` (stable only for re-imports of the same file).
 *   The bank's AcctSvcrRef is the same in a camt.054 notification and the camt.053
 *   statement that later books it, so the two do not import a payment twice.
 * OCR and camt refs for the same payment differ: an account should be read from one of
 * the two channels, or the caller matches across them by KID, amount and date.
 */
export type BankTransaction = {
  sourceRef: string;
  kind: 'credit' | 'reversal';
  /** Positive integer øre; a reversal is positive too, `kind` says it goes out again. */
  amountOre: number;
  kid: string | null;
  /** YYYY-MM-DD: OCR settlement date (amount item 1), camt `BookgDt`. */
  bookingDate: string;
  /** YYYY-MM-DD: OCR bank date of amount item 2 (when the payer's bank took the payment), camt `ValDt`. */
  valueDate: string | null;
  payerName: string | null;
  payerAccount: string | null;
  /** Unstructured remittance information (OCR amount item 3, camt `Ustrd`/`AddtlNtryInf`). */
  message: string | null;
  /** The bank's archive reference (OCR) or AcctSvcrRef (camt). */
  bankReference: string | null;
  /** Where it came from, for audit and error messages: `line 17` or an XML path. */
  location: string;
};

export type BankFileSummary = {
  format: BankFileFormat;
  /** OCR: `<data sender>:<transmission no>` from the start record; camt: `GrpHdr/MsgId`. */
  fileId: string;
  /** As stated in the file: OCR YYYY-MM-DD of the end record, camt `GrpHdr/CreDtTm`. */
  createdAt: string | null;
  /** Transactions yielded and the sum of their amounts (credits and reversals both count positive). */
  count: number;
  totalOre: number;
  creditCount: number;
  creditOre: number;
  reversalCount: number;
  reversalOre: number;
  /** camt entries not yielded: outgoing (DBIT, not reversals) and not yet booked ones. */
  skippedEntries: number;
  /** The receiving account when the whole file is for one account (11 digits; a foreign IBAN as is). */
  account: string | null;
};

/**
 * A parser yields the transactions as it validates the file and returns the summary
 * after the end records have been checked. Anything wrong throws a BankFileError, also
 * after transactions were yielded: the caller imports inside one transaction.
 */
export type BankFileParser = AsyncGenerator<BankTransaction, BankFileSummary, undefined>;

const MESSAGES = {
  empty: { en: 'The file is empty.', nb: 'Filen er tom.' },
  unknown_format: {
    en: 'This is neither an OCR giro file nor a camt.053/camt.054 file.',
    nb: 'Dette er verken en OCR giro-fil eller en camt.053/camt.054-fil.',
  },
  line_length: {
    en: 'the record is {length} characters long; every record must be exactly 80.',
    nb: 'posten er {length} tegn lang; alle poster skal være nøyaktig 80 tegn.',
  },
  format_code: {
    en: 'the record does not start with the format code NY.',
    nb: 'posten begynner ikke med formatkoden NY.',
  },
  unknown_record_type: {
    en: 'unknown record type “{recordType}”.',
    nb: 'ukjent posttype «{recordType}».',
  },
  record_order: {
    en: 'record type {recordType} cannot come here; expected {expected}.',
    nb: 'posttype {recordType} kan ikke komme her; forventet {expected}.',
  },
  field_value: {
    en: 'the field {field} is “{value}”; expected {expected}.',
    nb: 'feltet {field} er «{value}»; forventet {expected}.',
  },
  not_digits: {
    en: 'the field {field} (“{value}”) must be digits only.',
    nb: 'feltet {field} («{value}») kan bare inneholde sifre.',
  },
  invalid_date: {
    en: 'the field {field} (“{value}”) is not a valid date.',
    nb: 'feltet {field} («{value}») er ikke en gyldig dato.',
  },
  transaction_type: {
    en: 'unknown transaction type {value}.',
    nb: 'ukjent transaksjonstype {value}.',
  },
  transaction_mismatch: {
    en: 'the {field} ({value}) does not match the amount item 1 before it ({expected}).',
    nb: '{field} ({value}) stemmer ikke med beløpspost 1 foran ({expected}).',
  },
  transaction_number_order: {
    en: 'transaction number {value} does not come after {previous}.',
    nb: 'transaksjonsnummer {value} kommer ikke etter {previous}.',
  },
  amount_too_large: {
    en: 'the amount {value} is too large.',
    nb: 'beløpet {value} er for stort.',
  },
  count_mismatch: {
    en: 'the end record states {stated} {what}, but there are {actual}.',
    nb: 'sluttposten oppgir {stated} {whatNb}, men det er {actual}.',
  },
  sum_mismatch: {
    en: 'the end record states a total of {stated}, but the amounts add up to {actual}.',
    nb: 'sluttposten oppgir en sum på {stated}, men beløpene blir {actual}.',
  },
  date_range_mismatch: {
    en: 'the end record states the dates {stated}, but the transactions are dated {actual}.',
    nb: 'sluttposten oppgir datoene {stated}, men transaksjonene er datert {actual}.',
  },
  trailing_data: {
    en: 'there is data after the transmission end record.',
    nb: 'det kommer data etter sluttposten for forsendelsen.',
  },
  unexpected_end: {
    en: 'the file ends before the {expected}.',
    nb: 'filen slutter før {expectedNb}.',
  },
  not_xml: {
    en: 'the file is not well-formed XML ({reason}).',
    nb: 'filen er ikke gyldig XML ({reason}).',
  },
  truncated_xml: {
    en: 'the file ends before the element {element} is closed (truncated file?).',
    nb: 'filen slutter før elementet {element} er lukket (avkortet fil?).',
  },
  not_camt: {
    en: 'not a camt.053/054 file: the root is {found}.',
    nb: 'ikke en camt.053/054-fil: rotelementet er {found}.',
  },
  missing_element: {
    en: 'the required element {element} is missing.',
    nb: 'det påkrevde elementet {element} mangler.',
  },
  currency: {
    en: 'the currency is {value}; only NOK can be imported.',
    nb: 'valutaen er {value}; bare NOK kan importeres.',
  },
  amount_format: {
    en: 'the amount “{value}” is not a positive amount with at most two decimals.',
    nb: 'beløpet «{value}» er ikke et positivt beløp med høyst to desimaler.',
  },
  tx_sum_mismatch: {
    en: 'the transactions of the entry add up to {actual}, but the entry amount is {stated}.',
    nb: 'transaksjonene i posteringen blir {actual}, men posteringsbeløpet er {stated}.',
  },
  summary_mismatch: {
    en: '{field} states {stated}, but the file has {actual}.',
    nb: '{field} oppgir {stated}, men filen har {actual}.',
  },
} satisfies Record<string, Translations>;

export type BankFileErrorCode = keyof typeof MESSAGES;

/** Where in a file: a line of an OCR file or an element of a camt file. */
export type BankFileLocation = { line: number } | { path: string } | { file: true };

/**
 * A refused file: the stable `code` (`bank_file.<code>` for the AppError the caller makes),
 * where it went wrong, and the reason in both languages.
 */
export class BankFileError extends Error {
  readonly code: BankFileErrorCode;
  /** `line 17`, an XML path, or `file`. */
  readonly location: string;
  readonly params: Record<string, string | number>;
  /** Full sentences, location first. */
  readonly messages: Translations;

  constructor(
    code: BankFileErrorCode,
    where: BankFileLocation,
    params: Record<string, string | number> = {},
  ) {
    const reason = MESSAGES[code];
    const location = 'line' in where ? `line ${where.line}` : 'path' in where ? where.path : 'file';
    const prefix =
      'line' in where
        ? { en: `Line ${where.line}: `, nb: `Linje ${where.line}: ` }
        : 'path' in where
          ? { en: `${where.path}: `, nb: `${where.path}: ` }
          : { en: '', nb: '' };
    const messages = {
      en: prefix.en + interpolate(reason.en, params),
      nb: prefix.nb + interpolate(reason.nb, params),
    };
    super(messages.en);
    this.name = 'BankFileError';
    this.code = code;
    this.location = location;
    this.params = params;
    this.messages = messages;
  }
}

/** An amount for an error message, the same text in both languages ("1 234,50 kr"). */
export function showOre(ore: number): string {
  return `${formatOre(ore, 'nb')} kr`;
}

/** Collects a whole (small) file: for tests and previews, not for big imports. */
export async function readAll(
  parser: BankFileParser,
): Promise<{ transactions: BankTransaction[]; summary: BankFileSummary }> {
  const transactions: BankTransaction[] = [];
  for (;;) {
    const step = await parser.next();
    if (step.done) return { transactions, summary: step.value };
    transactions.push(step.value);
  }
}

/** Running totals every parser keeps for its summary. */
export class Tally {
  creditCount = 0;
  creditOre = 0;
  reversalCount = 0;
  reversalOre = 0;

  add(tx: BankTransaction): void {
    if (tx.kind === 'credit') {
      this.creditCount++;
      this.creditOre += tx.amountOre;
    } else {
      this.reversalCount++;
      this.reversalOre += tx.amountOre;
    }
  }

  summary(
    rest: Pick<BankFileSummary, 'format' | 'fileId' | 'createdAt' | 'account' | 'skippedEntries'>,
  ): BankFileSummary {
    return {
      ...rest,
      count: this.creditCount + this.reversalCount,
      totalOre: this.creditOre + this.reversalOre,
      creditCount: this.creditCount,
      creditOre: this.creditOre,
      reversalCount: this.reversalCount,
      reversalOre: this.reversalOre,
    };
  }
}
