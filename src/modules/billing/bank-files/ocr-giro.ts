/**
 * Streaming reader for the Nets (Mastercard Payment Services) OCR giro file of incoming
 * payments: 80-character records in ISO-8859-1, one transmission (10 … 89) of
 * assignments (20 … 88), each transaction an amount item 1 (30), 2 (31) and, for the
 * free-text types 20/21, optionally 3 (32). Amounts are øre; the end records' sums are
 * the sums of the absolute amounts (reversals are not deducted). Transaction types 18
 * and 20 are reversals, and so is any amount item 1 with the sign '-'.
 * Filler positions are not checked: banks are known to put data in some of them.
 */
import {
  BankFileError,
  Tally,
  showOre,
  type BankFileInput,
  type BankFileParser,
  type BankTransaction,
} from './types.js';
import { RECORD_LENGTH, RecordReader, readLines } from './ocr-records.js';

/** 10 giro debited account … 21 purchase with text; 18 and 20 are reversals. */
const REVERSAL_TYPES = new Set(['18', '20']);
const TEXT_TYPES = new Set(['20', '21']);

type Pending = {
  type: string;
  number: string;
  line: number;
  date: string;
  amountOre: number;
  negative: boolean;
  kid: string | null;
  item2: { archiveRef: string | null; bankDate: string | null; debitAccount: string | null } | null;
  message: string | null;
};

type Assignment = {
  number: string;
  account: string;
  transactions: number;
  records: number;
  sumOre: number;
  earliest: string | null;
  latest: string | null;
  lastTransactionNumber: number;
};

/** Reads an OCR giro file; yields each transaction, returns the summary after record 89. */
export async function* parseOcrGiro(input: BankFileInput): BankFileParser {
  const tally = new Tally();
  let fileId = '';
  const accounts = new Set<string>();
  let assignment: Assignment | null = null;
  let pending: Pending | null = null;
  let expect: 'start' | 'assignment-or-end' | 'item-or-end' | 'item2' | 'after-item2' | 'done' =
    'start';
  let records = 0;
  let transactions = 0;
  let sumOre = 0;
  let createdAt: string | null = null;
  let lastLine = 0;

  function finish(p: Pending, a: Assignment): BankTransaction {
    const item2 = p.item2!;
    a.transactions++;
    a.sumOre = checkedSum(a.sumOre, p.amountOre, p.line);
    if (a.earliest === null || p.date < a.earliest) a.earliest = p.date;
    if (a.latest === null || p.date > a.latest) a.latest = p.date;
    const tx: BankTransaction = {
      sourceRef: `ocr:${a.account}:${a.number}:${p.number}:${item2.archiveRef ?? ''}:${p.date}`,
      kind: REVERSAL_TYPES.has(p.type) || p.negative ? 'reversal' : 'credit',
      amountOre: p.amountOre,
      kid: p.kid,
      bookingDate: p.date,
      valueDate: item2.bankDate,
      payerName: null,
      payerAccount: item2.debitAccount,
      message: p.message,
      bankReference: item2.archiveRef,
      location: `line ${p.line}`,
    };
    tally.add(tx);
    return tx;
  }

  /** Completes the transaction being read, once no more amount items can follow. */
  function flush(): BankTransaction | null {
    const done = pending && assignment ? finish(pending, assignment) : null;
    pending = null;
    return done;
  }

  const r = new RecordReader();
  for await (const batch of readLines(input)) {
    for (const { text, number } of batch) {
      lastLine = number;
      r.text = text;
      r.number = number;
      if (expect === 'done') throw r.fail('trailing_data');
      if (text.length !== RECORD_LENGTH) throw r.fail('line_length', { length: text.length });
      if (!text.startsWith('NY')) throw r.fail('format_code');
      const recordType = text.slice(6, 8);
      const order = () => r.fail('record_order', { recordType, expected: expectedText(expect) });

      records++;
      if (assignment) assignment.records++;
      // A transaction is complete when a record shows that no more amount items follow.
      let ready: BankTransaction | null = null;

      switch (recordType) {
        case '10': {
          if (expect !== 'start') throw order();
          r.serviceCode('0000', 'transmission');
          const sender = r.digits(8, 16, 'data sender');
          const transmission = r.digits(16, 23, 'transmission number');
          r.digits(23, 31, 'data recipient');
          fileId = `${sender}:${transmission}`;
          expect = 'assignment-or-end';
          break;
        }
        case '20': {
          if (expect !== 'assignment-or-end') throw order();
          r.serviceCode('0900', 'OCR giro assignment');
          r.digits(8, 17, 'agreement ID');
          const assignmentNumber = r.digits(17, 24, 'assignment number');
          const account = r.digits(24, 35, 'assignment account');
          accounts.add(account);
          assignment = {
            number: assignmentNumber,
            account,
            transactions: 0,
            records: 1,
            sumOre: 0,
            earliest: null,
            latest: null,
            lastTransactionNumber: 0,
          };
          expect = 'item-or-end';
          break;
        }
        case '30': {
          if (expect !== 'item-or-end' && expect !== 'after-item2') throw order();
          ready = flush();
          const type = transactionType(r);
          const txNumber = r.digits(8, 15, 'transaction number');
          const a = assignment!;
          if (Number(txNumber) <= a.lastTransactionNumber) {
            throw r.fail('transaction_number_order', {
              value: txNumber,
              previous: String(a.lastTransactionNumber).padStart(7, '0'),
            });
          }
          a.lastTransactionNumber = Number(txNumber);
          const netsDate = r.date(15, 'settlement date');
          r.digits(21, 31, 'centre, day code and partial settlement');
          const sign = text[31];
          if (sign !== '0' && sign !== '-') {
            throw r.fail('field_value', {
              field: 'sign (pos. 32)',
              value: sign ?? '',
              expected: '0 or -',
            });
          }
          const amountOre = r.amount(32, 'amount');
          const kidField = text.slice(49, 74).trim();
          if (kidField !== '' && !/^\d+-?$/.test(kidField)) {
            throw r.fail('not_digits', { field: 'KID (pos. 50–74)', value: kidField });
          }
          pending = {
            type,
            number: txNumber,
            line: number,
            date: netsDate,
            amountOre,
            negative: sign === '-',
            kid: kidField === '' ? null : kidField,
            item2: null,
            message: null,
          };
          expect = 'item2';
          break;
        }
        case '31': {
          if (expect !== 'item2') throw order();
          const p = pending!;
          sameTransaction(r, p);
          const formNumber = r.field(15, 25, 'form number');
          if (!/^[\d ]+$/.test(formNumber.value)) {
            throw r.fail('not_digits', { field: formNumber.name, value: formNumber.value });
          }
          const ref = r.field(25, 34, 'archive reference');
          if (!/^[\d ]+$/.test(ref.value)) {
            throw r.fail('not_digits', { field: ref.name, value: ref.value });
          }
          const bankDate = r.optionalDate(41, 'bank date');
          const debitAccount = r.digits(47, 58, 'debit account');
          const archiveRef = ref.value.trim();
          p.item2 = {
            archiveRef: archiveRef === '' || /^0+$/.test(archiveRef) ? null : archiveRef,
            bankDate,
            debitAccount: /^0+$/.test(debitAccount) ? null : debitAccount,
          };
          if (TEXT_TYPES.has(p.type)) {
            expect = 'after-item2';
          } else {
            ready = flush();
            expect = 'item-or-end';
          }
          break;
        }
        case '32': {
          if (expect !== 'after-item2') throw order();
          const p = pending!;
          sameTransaction(r, p);
          const message = text.slice(15, 55).trim();
          p.message = message === '' ? null : message;
          ready = flush();
          expect = 'item-or-end';
          break;
        }
        case '88': {
          if (expect !== 'item-or-end' && expect !== 'after-item2') throw order();
          ready = flush();
          r.serviceCode('0900', 'OCR giro assignment');
          const a = assignment!;
          const statedTx = Number(r.digits(8, 16, 'number of transactions'));
          const statedRecords = Number(r.digits(16, 24, 'number of records'));
          const statedSum = r.amount(24, 'total amount');
          r.date(41, 'settlement date');
          const earliest = r.date(47, 'earliest date');
          const latest = r.date(53, 'latest date');
          checkCount(r, statedTx, a.transactions, 'transactions', 'transaksjoner');
          checkCount(r, statedRecords, a.records, 'records', 'poster');
          if (statedSum !== a.sumOre) {
            throw r.fail('sum_mismatch', { stated: showOre(statedSum), actual: showOre(a.sumOre) });
          }
          if (a.earliest !== null && (earliest !== a.earliest || latest !== a.latest)) {
            throw r.fail('date_range_mismatch', {
              stated: `${earliest} – ${latest}`,
              actual: `${a.earliest} – ${a.latest ?? ''}`,
            });
          }
          transactions += a.transactions;
          sumOre = checkedSum(sumOre, a.sumOre, number);
          assignment = null;
          expect = 'assignment-or-end';
          break;
        }
        case '89': {
          if (expect !== 'assignment-or-end') throw order();
          r.serviceCode('0000', 'transmission');
          const statedTx = Number(r.digits(8, 16, 'number of transactions'));
          const statedRecords = Number(r.digits(16, 24, 'number of records'));
          const statedSum = r.amount(24, 'total amount');
          createdAt = r.date(41, 'settlement date');
          checkCount(r, statedTx, transactions, 'transactions', 'transaksjoner');
          checkCount(r, statedRecords, records, 'records', 'poster');
          if (statedSum !== sumOre) {
            throw r.fail('sum_mismatch', { stated: showOre(statedSum), actual: showOre(sumOre) });
          }
          expect = 'done';
          break;
        }
        default:
          throw r.fail('unknown_record_type', { recordType });
      }
      if (ready) yield ready;
    }
  }

  if (lastLine === 0) throw new BankFileError('empty', { file: true });
  if (expect !== 'done') {
    throw new BankFileError(
      'unexpected_end',
      { line: lastLine },
      {
        expected: 'transmission end record (89)',
        expectedNb: 'sluttposten for forsendelsen (89)',
      },
    );
  }
  const account = accounts.size === 1 ? [...accounts][0]! : null;
  return tally.summary({ format: 'ocr', fileId, createdAt, account, skippedEntries: 0 });
}

function transactionType(r: RecordReader): string {
  const text = r.text;
  const service = text.slice(2, 4);
  if (service !== '09') {
    throw r.fail('field_value', {
      field: 'service code (pos. 3–4)',
      value: service,
      expected: '09 (OCR giro)',
    });
  }
  const type = text.slice(4, 6);
  const n = /^\d\d$/.test(type) ? Number(type) : NaN;
  if (!(n >= 10 && n <= 21)) throw r.fail('transaction_type', { value: type });
  return type;
}

function sameTransaction(r: RecordReader, p: Pending): void {
  const text = r.text;
  const type = transactionType(r);
  if (type !== p.type) {
    throw r.fail('transaction_mismatch', {
      field: 'transaction type',
      value: type,
      expected: p.type,
    });
  }
  const txNumber = text.slice(8, 15);
  if (txNumber !== p.number) {
    throw r.fail('transaction_mismatch', {
      field: 'transaction number',
      value: txNumber,
      expected: p.number,
    });
  }
}

function checkCount(
  r: RecordReader,
  stated: number,
  actual: number,
  what: string,
  whatNb: string,
): void {
  if (stated !== actual) throw r.fail('count_mismatch', { stated, actual, what, whatNb });
}

function checkedSum(a: number, b: number, line: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new BankFileError('amount_too_large', { line }, { value: String(sum) });
  }
  return sum;
}

function expectedText(state: string): string {
  switch (state) {
    case 'start':
      return '10 (transmission start)';
    case 'assignment-or-end':
      return '20 or 89';
    case 'item-or-end':
      return '30 or 88';
    case 'item2':
      return '31';
    case 'after-item2':
      return '32, 30 or 88';
    default:
      return 'nothing';
  }
}
