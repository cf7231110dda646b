/**
 * Streaming reader for ISO 20022 camt.053 (BkToCstmrStmt/Stmt/Ntry) and camt.054
 * (BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry). A SAX parser (saxes) reads the bytes as they
 * come; only the current entry and transaction are held, so a statement with 100 000
 * entries — or one batch entry with 100 000 transactions — needs little memory.
 *
 * Imported: booked credit entries and reversals (RvslInd=true), one BankTransaction per
 * TxDtls (or per entry without details). Outgoing (DBIT) and unbooked entries are
 * counted in `skippedEntries`. Checked: NOK only, amounts with at most two decimals, a
 * batch's transactions adding up to its entry, and TxsSummry counts and sums.
 */
import type { SaxesTagNS } from 'saxes';
import { saxes } from '../../../app/lazy.js';
import {
  BankFileError,
  Tally,
  showOre,
  type BankFileInput,
  type BankFileParser,
  type BankTransaction,
} from './types.js';
import {
  buildTransaction,
  decimalToOre,
  entryKind,
  newEntry,
  newTx,
  normalizeAccount,
  setField,
  sourceRefFor,
  type EntryState,
  type StatementContext,
  type TxState,
} from './camt-entry.js';

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.\d{2}$/;
const MESSAGE_ELEMENT = { 'camt.053': 'BkToCstmrStmt', 'camt.054': 'BkToCstmrDbtCdtNtfctn' };
const STATEMENT_ELEMENT = { 'camt.053': 'Stmt', 'camt.054': 'Ntfctn' };
/** Repeating elements get an index in paths: Stmt[1]/Ntry[5]/NtryDtls[1]/TxDtls[2]. */
const INDEXED = new Set(['Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls']);
const SUMMARY_TOTALS = ['TtlNtries', 'TtlCdtNtries', 'TtlDbtNtries'] as const;

type Frame = {
  name: string;
  segment: string;
  /** Counts of indexed children (for their [n]); null until one is seen. */
  indexed: Map<string, number> | null;
  hasChildren: boolean;
};
type Totals = { count: number; sumOre: number };
type Statement = {
  path: string;
  context: StatementContext;
  fields: Map<string, { value: string; path: string }>;
  totals: Record<(typeof SUMMARY_TOTALS)[number], Totals>;
};

/** Reads a camt.053 or camt.054 file; `expect` refuses the other one. */
export async function* parseCamt(
  input: BankFileInput,
  options: { expect?: 'camt.053' | 'camt.054' } = {},
): BankFileParser {
  const tally = new Tally();
  const frames: Frame[] = [];
  const queue: BankTransaction[] = [];
  const accounts = new Set<string | null>();
  // Set in the SAX handlers; the cast keeps TypeScript from narrowing it to null.
  let format = null as 'camt.053' | 'camt.054' | null;
  const header = new Map<string, string>();
  let statement: Statement | null = null;
  let entry: EntryState | null = null;
  let entryKindValue: 'credit' | 'reversal' | 'skip' | null = null;
  let tx: TxState | null = null;
  let text = '';
  let skippedEntries = 0;
  let rootClosed = false;
  let closing = '';

  const path = (extra?: string) => {
    const p = frames.map((f) => f.segment).join('/');
    return extra ? `${p}/${extra}` : p;
  };
  const relative = (from: number) =>
    frames
      .slice(from)
      .map((f) => f.name)
      .join('/');

  const parser = new (saxes().SaxesParser)({ xmlns: true, position: true });

  parser.on('opentag', (tag: SaxesTagNS) => {
    const name = tag.local;
    const depth = frames.length;
    const parent = frames[depth - 1];
    let segment = name;
    if (parent) {
      parent.hasChildren = true;
      if (INDEXED.has(name)) {
        parent.indexed ??= new Map();
        const n = (parent.indexed.get(name) ?? 0) + 1;
        parent.indexed.set(name, n);
        segment = `${name}[${n}]`;
      }
    }
    frames.push({ name, segment, indexed: null, hasChildren: false });
    text = '';
    if (depth === 0) {
      const m = NAMESPACE.exec(tag.uri);
      const found = tag.uri ? `{${tag.uri}}${name}` : name;
      if (name !== 'Document' || !m) throw new BankFileError('not_camt', { path: name }, { found });
      format = m[1] as 'camt.053' | 'camt.054';
      if (options.expect && options.expect !== format) {
        throw new BankFileError('not_camt', { path: name }, { found });
      }
    } else if (depth === 1 && name !== MESSAGE_ELEMENT[format!]) {
      throw new BankFileError('not_camt', { path: path() }, { found: path() });
    } else if (depth === 2 && name === STATEMENT_ELEMENT[format!]) {
      const msgId = header.get('MsgId');
      if (msgId === undefined) {
        throw new BankFileError('missing_element', { path: path() }, { element: 'GrpHdr/MsgId' });
      }
      statement = {
        path: path(),
        context: { account: null, msgId },
        fields: new Map(),
        totals: {
          TtlNtries: { count: 0, sumOre: 0 },
          TtlCdtNtries: { count: 0, sumOre: 0 },
          TtlDbtNtries: { count: 0, sumOre: 0 },
        },
      };
    } else if (depth === 3 && statement && name === 'Ntry') {
      const s: Statement = statement;
      s.context.account ??= statementAccount(s);
      entry = newEntry(path());
      entryKindValue = null;
    } else if (depth === 5 && entry && name === 'TxDtls' && parent?.name === 'NtryDtls') {
      const e: EntryState = entry;
      entryKindValue ??= entryKind(e);
      tx = newTx(path(), e.txCount + 1);
    } else if (tx && name === 'Strd') {
      tx.strdRef = null;
      tx.strdCode = null;
    }
    if (name === 'Amt' && isUsedAmount(depth)) {
      const ccy = tag.attributes.Ccy?.value;
      if (ccy !== undefined && ccy !== 'NOK') {
        throw new BankFileError('currency', { path: path() }, { value: ccy });
      }
    }
  });

  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });

  parser.on('closetag', () => {
    const depth = frames.length - 1;
    const frame = frames[depth]!;
    // saxes reports a mismatched close tag after this handler has run: keep which it was.
    closing = frame.segment;
    const value = text.trim();
    text = '';
    if (!frame.hasChildren && frames.length > 1) leaf(frame.name, value, depth);
    if (tx && depth === 5 && frame.name === 'TxDtls') {
      closeTransaction(tx);
      tx = null;
    } else if (tx && frame.name === 'Strd') {
      if (tx.strdRef && (tx.strdCode === 'SCOR' || tx.strdCode === null)) tx.kid ??= tx.strdRef;
    } else if (entry && depth === 3 && frame.name === 'Ntry') {
      closeEntry(entry);
      entry = null;
    } else if (statement && depth === 2) {
      closeStatement(statement);
      statement = null;
    } else if (depth === 0) {
      rootClosed = true;
    }
    frames.pop();
  });

  /** Ntry/Amt, TxDtls/Amt or TxDtls/AmtDtls/TxAmt/Amt: the amounts we read (and check). */
  function isUsedAmount(depth: number): boolean {
    if (tx) return depth === 6 || relative(6) === 'AmtDtls/TxAmt/Amt';
    return entry !== null && depth === 4;
  }

  function leaf(name: string, value: string, depth: number): void {
    if (tx) {
      const key = relative(6);
      if (key === 'Amt' || key === 'AmtDtls/TxAmt/Amt') {
        tx.amountOre ??= amount(value, path());
      } else if (key === 'RmtInf/Strd/CdtrRefInf/Ref') {
        tx.strdRef = value;
      } else if (key === 'RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd') {
        tx.strdCode = value;
      } else {
        setField(tx.fields, key, value);
      }
    } else if (entry) {
      const key = relative(4);
      if (key === 'Amt') entry.amountOre = amount(value, path());
      else setField(entry.fields, key, value);
    } else if (statement) {
      const key = relative(3);
      if (!statement.fields.has(key)) statement.fields.set(key, { value, path: path() });
    } else if (depth === 3 && frames[2]?.name === 'GrpHdr') {
      header.set(name, value);
    }
  }

  function emit(t: BankTransaction, e: EntryState, txState: TxState | null, batch: boolean): void {
    t.sourceRef = sourceRefFor(statement!.context, e, txState, batch);
    tally.add(t);
    queue.push(t);
  }

  function closeTransaction(t: TxState): void {
    const e = entry!;
    e.txCount++;
    if (t.amountOre === null) e.txWithoutAmount ??= t.path;
    else e.txSumOre += t.amountOre;
    if (e.txCount > 1 && e.txWithoutAmount !== null) {
      throw new BankFileError('missing_element', { path: e.txWithoutAmount }, { element: 'Amt' });
    }
    if (entryKindValue === 'skip') return;
    const built = buildTransaction(e, entryKindValue!, t);
    if (e.held) emit(e.held.built, e, e.held.tx, true);
    e.held = { built, tx: t };
  }

  function closeEntry(e: EntryState): void {
    const s = statement!;
    if (e.amountOre === null) {
      throw new BankFileError('missing_element', { path: e.path }, { element: 'Amt' });
    }
    const kind = entryKindValue ?? entryKind(e);
    const indicator = e.fields.get('CdtDbtInd')!;
    count(s.totals.TtlNtries, e.amountOre);
    count(indicator === 'CRDT' ? s.totals.TtlCdtNtries : s.totals.TtlDbtNtries, e.amountOre);
    if (e.txCount > 0 && e.txWithoutAmount === null && e.txSumOre !== e.amountOre) {
      throw new BankFileError(
        'tx_sum_mismatch',
        { path: e.path },
        { stated: showOre(e.amountOre), actual: showOre(e.txSumOre) },
      );
    }
    if (kind === 'skip') {
      skippedEntries++;
    } else if (e.txCount === 0) {
      emit(buildTransaction(e, kind, null), e, null, false);
    } else if (e.held) {
      emit(e.held.built, e, e.held.tx, e.txCount > 1);
    }
    e.held = null;
  }

  function closeStatement(s: Statement): void {
    s.context.account ??= statementAccount(s);
    accounts.add(s.context.account);
    for (const total of SUMMARY_TOTALS) {
      const stated = s.fields.get(`TxsSummry/${total}/NbOfNtries`);
      if (stated && Number(stated.value) !== s.totals[total].count) {
        throw new BankFileError(
          'summary_mismatch',
          { path: stated.path },
          {
            field: `${total}/NbOfNtries`,
            stated: stated.value,
            actual: s.totals[total].count,
          },
        );
      }
      const sum = s.fields.get(`TxsSummry/${total}/Sum`);
      if (sum) {
        const statedOre = amount(sum.value, sum.path);
        if (statedOre !== s.totals[total].sumOre) {
          throw new BankFileError(
            'summary_mismatch',
            { path: sum.path },
            {
              field: `${total}/Sum`,
              stated: showOre(statedOre),
              actual: showOre(s.totals[total].sumOre),
            },
          );
        }
      }
    }
  }

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const write = (chunk: string) => {
    try {
      parser.write(chunk);
    } catch (error) {
      const mismatch = error instanceof Error && error.message.includes('close tag');
      const at = mismatch ? [path(), closing].filter(Boolean).join('/') : path();
      throw asBankFileError(error, parser.line, at);
    }
  };
  let empty = true;
  for await (const chunk of input) {
    let decoded: string;
    try {
      decoded = decoder.decode(chunk, { stream: true });
    } catch {
      throw new BankFileError('not_xml', { line: parser.line }, { reason: 'invalid UTF-8' });
    }
    if (empty && decoded.trim() !== '') empty = false;
    write(decoded);
    yield* queue;
    queue.length = 0;
  }
  if (empty) throw new BankFileError('empty', { file: true });
  if (frames.length > 0) {
    throw new BankFileError('truncated_xml', { path: path() }, { element: frames.at(-1)!.name });
  }
  try {
    parser.close();
  } catch (error) {
    throw asBankFileError(error, parser.line, path());
  }
  if (!rootClosed || format === null) {
    throw new BankFileError('not_xml', { file: true }, { reason: 'no root element' });
  }
  const msgId = header.get('MsgId');
  if (msgId === undefined) {
    throw new BankFileError(
      'missing_element',
      { path: `Document/${MESSAGE_ELEMENT[format]}/GrpHdr` },
      { element: 'MsgId' },
    );
  }
  return tally.summary({
    format,
    fileId: msgId,
    createdAt: header.get('CreDtTm') ?? null,
    account: accounts.size === 1 ? [...accounts][0]! : null,
    skippedEntries,
  });
}

function statementAccount(s: Statement): string | null {
  return normalizeAccount(
    s.fields.get('Acct/Id/Othr/Id')?.value ?? s.fields.get('Acct/Id/IBAN')?.value ?? null,
  );
}

function count(totals: Totals, ore: number): void {
  totals.count++;
  totals.sumOre += ore;
}

function amount(value: string, at: string): number {
  const ore = decimalToOre(value);
  if (ore === null) throw new BankFileError('amount_format', { path: at }, { value });
  return ore;
}

function asBankFileError(error: unknown, line: number, at: string): BankFileError {
  if (error instanceof BankFileError) return error;
  const reason =
    error instanceof Error ? error.message.replace(/^(?:.*?:)?\d+:\d+: /, '') : String(error);
  return new BankFileError('not_xml', at ? { path: `${at} (line ${line})` } : { line }, { reason });
}
