/**
 * The parts of a camt entry (Ntry) and its transactions (NtryDtls/TxDtls) that become
 * BankTransactions. Fields are collected by their path relative to the Ntry or TxDtls
 * element, so versions 001.02 to 001.13 read alike (`Sts` vs `Sts/Cd`,
 * `Dbtr/Nm` vs `Dbtr/Pty/Nm`, `AmtDtls/TxAmt/Amt` vs `Amt`).
 */
import { BankFileError, type BankTransaction } from './types.js';

/** Leaf values by relative path; repeated `Ustrd` lines are joined. */
export type Fields = Map<string, string>;

export type EntryState = {
  path: string;
  fields: Fields;
  amountOre: number | null;
  /** Transactions read so far and the sum of their amounts (for the batch check). */
  txCount: number;
  txSumOre: number;
  /** A transaction without its own amount: allowed only as the entry's single transaction. */
  txWithoutAmount: string | null;
  /** The last transaction, held back until we know whether the entry is a batch. */
  held: { built: BankTransaction; tx: TxState } | null;
};

export type TxState = {
  path: string;
  index: number;
  fields: Fields;
  amountOre: number | null;
  /** `RmtInf/Strd` being read, and the KID found in a SCOR creditor reference. */
  strdRef: string | null;
  strdCode: string | null;
  kid: string | null;
};

export type StatementContext = { account: string | null; msgId: string };

export function newEntry(path: string): EntryState {
  return {
    path,
    fields: new Map(),
    amountOre: null,
    txCount: 0,
    txSumOre: 0,
    txWithoutAmount: null,
    held: null,
  };
}

export function newTx(path: string, index: number): TxState {
  return {
    path,
    index,
    fields: new Map(),
    amountOre: null,
    strdRef: null,
    strdCode: null,
    kid: null,
  };
}

export function setField(fields: Fields, key: string, value: string): void {
  if (value === '') return;
  const old = fields.get(key);
  if (old === undefined) fields.set(key, value);
  else if (key.endsWith('Ustrd')) fields.set(key, `${old} ${value}`);
}

/** Whether an entry's transactions are imported, and as what. */
export function entryKind(entry: EntryState): 'credit' | 'reversal' | 'skip' {
  const status = entry.fields.get('Sts/Cd') ?? entry.fields.get('Sts');
  if (status !== undefined && status !== 'BOOK') return 'skip';
  const indicator = entry.fields.get('CdtDbtInd');
  if (indicator === undefined) {
    throw new BankFileError('missing_element', { path: entry.path }, { element: 'CdtDbtInd' });
  }
  if (indicator !== 'CRDT' && indicator !== 'DBIT') {
    throw new BankFileError(
      'field_value',
      { path: `${entry.path}/CdtDbtInd` },
      { field: 'CdtDbtInd', value: indicator, expected: 'CRDT or DBIT' },
    );
  }
  const reversal = ['true', '1'].includes(entry.fields.get('RvslInd') ?? 'false');
  // A reversal is taken as one whatever its direction; an outgoing payment is not ours.
  if (reversal) return 'reversal';
  return indicator === 'CRDT' ? 'credit' : 'skip';
}

/** A transaction of an entry; `tx` is null for an entry without transaction details. */
export function buildTransaction(
  entry: EntryState,
  kind: 'credit' | 'reversal',
  tx: TxState | null,
): BankTransaction {
  const e = entry.fields;
  const t = tx?.fields ?? new Map<string, string>();
  const amountOre = tx ? (tx.amountOre ?? entry.amountOre) : entry.amountOre;
  if (amountOre === null) {
    throw new BankFileError(
      'missing_element',
      { path: tx?.path ?? entry.path },
      { element: 'Amt' },
    );
  }
  const bookingDate = dateOf(entry, 'BookgDt', true)!;
  const message = t.get('RmtInf/Ustrd') ?? t.get('AddtlTxInf') ?? e.get('AddtlNtryInf') ?? null;
  const compactMessage = message?.replace(/\s/g, '') ?? '';
  const kid = tx?.kid ?? (/^\d{2,25}$/.test(compactMessage) ? compactMessage : null);
  const txRef = t.get('Refs/AcctSvcrRef');
  const entryRef = e.get('AcctSvcrRef');
  return {
    sourceRef: '', // set by sourceRefFor once we know whether the entry is a batch
    kind,
    amountOre,
    kid,
    bookingDate,
    valueDate: dateOf(entry, 'ValDt', false),
    payerName:
      t.get('RltdPties/Dbtr/Nm') ??
      t.get('RltdPties/Dbtr/Pty/Nm') ??
      t.get('RltdPties/UltmtDbtr/Nm') ??
      t.get('RltdPties/UltmtDbtr/Pty/Nm') ??
      null,
    payerAccount: normalizeAccount(
      t.get('RltdPties/DbtrAcct/Id/Othr/Id') ?? t.get('RltdPties/DbtrAcct/Id/IBAN') ?? null,
    ),
    message,
    bankReference: txRef ?? entryRef ?? null,
    location: tx?.path ?? entry.path,
  };
}

/** See BankTransaction.sourceRef for the order of preference. */
export function sourceRefFor(
  ctx: StatementContext,
  entry: EntryState,
  tx: TxState | null,
  batch: boolean,
): string {
  const base = `camt:${ctx.account ?? ''}:`;
  const txRef = tx?.fields.get('Refs/AcctSvcrRef');
  if (txRef) return base + txRef;
  const entryRef = entry.fields.get('AcctSvcrRef');
  if (entryRef) return base + entryRef + (batch && tx ? `#${tx.index}` : '');
  const ntryRef = entry.fields.get('NtryRef');
  const id = tx?.fields.get('Refs/TxId') ?? tx?.fields.get('Refs/EndToEndId');
  if (ntryRef && id && id !== 'NOTPROVIDED') return `${base}ntry:${ntryRef}:${id}`;
  return `${base}msg:${ctx.msgId}:${tx?.path ?? entry.path}`;
}

/**
 * A Norwegian IBAN (NOkk + 11 digits) as the 11-digit account number that OCR files and
 * people use, so that one account has one spelling whichever file it came from.
 */
export function normalizeAccount(account: string | null): string | null {
  if (account === null) return null;
  const compact = account.replace(/\s/g, '');
  return /^NO\d{13}$/.test(compact) ? compact.slice(4) : compact;
}

/** `Dt` or the date part of `DtTm` under BookgDt/ValDt, checked. */
function dateOf(entry: EntryState, element: 'BookgDt' | 'ValDt', required: boolean): string | null {
  const dt = entry.fields.get(`${element}/Dt`);
  const value = dt ?? entry.fields.get(`${element}/DtTm`)?.slice(0, 10);
  if (value === undefined) {
    if (!required) return null;
    throw new BankFileError('missing_element', { path: entry.path }, { element: `${element}/Dt` });
  }
  if (!isIsoDate(value)) {
    throw new BankFileError(
      'invalid_date',
      { path: `${entry.path}/${element}` },
      { field: element, value },
    );
  }
  return value;
}

export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "600.00" → 60000 øre, without floating point; null when not a valid amount. */
export function decimalToOre(value: string): number | null {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
