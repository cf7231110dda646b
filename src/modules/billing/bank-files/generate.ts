/**
 * Writes valid bank files of any size, for tests, fixtures and the benchmark: an OCR
 * giro file as 80-character lines, camt.053/camt.054 as XML text. Payments are given
 * by a function of their index so that a file of 100 000 payments is never in memory
 * (and the camt summary, which comes before the entries, can be computed first).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { makeKid } from './kid.js';

export type PaymentSpec = {
  /** 'outgoing' (a DBIT entry) exists only in camt files. */
  kind: 'credit' | 'reversal' | 'outgoing';
  amountOre: number;
  kid: string | null;
  /** YYYY-MM-DD: OCR settlement date, camt booking date. */
  date: string;
  /** YYYY-MM-DD: OCR bank date, camt value date. */
  paidDate: string | null;
  payerName: string | null;
  payerAccount: string | null;
  message: string | null;
  /** OCR archive reference (up to 9 digits), camt AcctSvcrRef. */
  reference: string;
  /** OCR transaction type (10–21); by default 10/21 for credits, 18/20 for reversals. */
  ocrType?: string;
};

const NAMES = ['Kari Nordmann', 'Ola Nordmann', 'Åse Økland', 'Bjørn Ærø', 'Per Hansen', 'Siv Li'];

/** A deterministic, realistic payment: mostly KID credits, some reversals and outgoing. */
export function samplePayment(i: number, date = '2025-03-04'): PaymentSpec {
  const withText = i % 10 === 3;
  return {
    kind: i % 50 === 49 ? 'reversal' : i % 25 === 12 ? 'outgoing' : 'credit',
    amountOre: [60000, 20000, 15000, 45000][i % 4]! + (i % 7) * 100,
    kid: withText ? null : makeKid(String(100000 + i)),
    date,
    paidDate: date,
    payerName: NAMES[i % NAMES.length]!,
    payerAccount: String(12345678903 + i * 1000).slice(0, 11),
    message: withText ? `Kontingent ${2025} medlem ${100000 + i}` : null,
    reference: String(100000000 + i),
  };
}

export type OcrFileOptions = {
  count: number;
  payment?: (i: number) => PaymentSpec;
  dataSender?: string;
  transmissionNo?: string;
  dataRecipient?: string;
  agreementId?: string;
  account?: string;
  /** Payments per assignment (record 20 … 88); default all in one. */
  perAssignment?: number;
  /** YYYY-MM-DD of the end records. */
  date?: string;
  lineEnd?: '\n' | '\r\n';
};

/** The lines of an OCR giro file (each 80 characters plus the line end). */
export function* ocrGiroLines(options: OcrFileOptions): Generator<string> {
  const o = {
    payment: (i: number) => samplePayment(i),
    dataSender: '00008080',
    transmissionNo: '1703251',
    dataRecipient: '00123456',
    agreementId: '001234567',
    account: '12345678903',
    perAssignment: Number.MAX_SAFE_INTEGER,
    date: '2025-03-04',
    lineEnd: '\n' as const,
    ...options,
  };
  const line = (text: string) => {
    if (text.length !== 80) throw new Error(`generated a record of ${text.length}: ${text}`);
    return text + o.lineEnd;
  };
  let records = 1;
  let transactions = 0;
  let sum = 0;
  yield line(`NY000010${o.dataSender}${o.transmissionNo}${o.dataRecipient}${'0'.repeat(49)}`);
  for (let first = 0, assignmentNo = 1; first < o.count; first += o.perAssignment, assignmentNo++) {
    const last = Math.min(o.count, first + o.perAssignment);
    let aRecords = 1;
    let aSum = 0;
    let earliest = '';
    let latest = '';
    yield line(`NY090020${o.agreementId}${pad(assignmentNo, 7)}${o.account}${'0'.repeat(45)}`);
    for (let i = first; i < last; i++) {
      const p = o.payment(i);
      if (p.kind === 'outgoing') throw new Error('An OCR giro file has no outgoing payments.');
      const hasText =
        p.message !== null && (p.ocrType === undefined || ['20', '21'].includes(p.ocrType));
      const type =
        p.ocrType ?? (p.kind === 'reversal' ? (hasText ? '20' : '18') : hasText ? '21' : '10');
      const txNo = pad(i - first + 1, 7);
      const kid = (p.kid ?? '').padStart(25, ' ');
      yield line(
        `NY09${type}30${txNo}${ddmmyy(p.date)}0000000000${p.kind === 'reversal' ? '-' : '0'}` +
          `${pad(p.amountOre, 17)}${kid}000000`,
      );
      const bankDate = p.paidDate ? ddmmyy(p.paidDate) : '000000';
      yield line(
        `NY09${type}31${txNo}${'0'.repeat(10)}${p.reference.padStart(9, '0')}0000000` +
          `${bankDate}${p.payerAccount ?? '0'.repeat(11)}${'0'.repeat(22)}`,
      );
      aRecords += 2;
      if (hasText) {
        yield line(
          `NY09${type}32${txNo}${p.message!.slice(0, 40).padEnd(40, ' ')}${'0'.repeat(25)}`,
        );
        aRecords++;
      }
      aSum += p.amountOre;
      if (earliest === '' || p.date < earliest) earliest = p.date;
      if (latest === '' || p.date > latest) latest = p.date;
    }
    aRecords++;
    const n = last - first;
    yield line(
      `NY090088${pad(n, 8)}${pad(aRecords, 8)}${pad(aSum, 17)}${ddmmyy(o.date)}` +
        `${ddmmyy(earliest || o.date)}${ddmmyy(latest || o.date)}${'0'.repeat(21)}`,
    );
    records += aRecords;
    transactions += n;
    sum += aSum;
  }
  records++;
  yield line(
    `NY000089${pad(transactions, 8)}${pad(records, 8)}${pad(sum, 17)}${ddmmyy(o.date)}${'0'.repeat(33)}`,
  );
}

export type CamtFileOptions = {
  format: 'camt.053' | 'camt.054';
  count: number;
  payment?: (i: number) => PaymentSpec;
  /** '02' writes the 001.02 shapes (AmtDtls/TxAmt, Dbtr/Nm, Sts text), '08' the newer ones. */
  version?: '02' | '08';
  msgId?: string;
  createdAt?: string;
  account?: string;
  /** Consecutive payments per entry; an entry takes its direction from its first payment. */
  batchSize?: number;
  /** Whether to write TxsSummry (camt.053 only). */
  summary?: boolean;
};

/** The text of a camt.053 or camt.054 file, in pieces of one entry each. */
export function* camtXmlChunks(options: CamtFileOptions): Generator<string> {
  const o = {
    payment: (i: number) => samplePayment(i),
    version: '08' as const,
    msgId: 'MSG-20250304-0001',
    createdAt: '2025-03-04T06:00:00+01:00',
    account: '12345678903',
    batchSize: 1,
    summary: true,
    ...options,
  };
  const v08 = o.version === '08';
  const ns = `urn:iso:std:iso:20022:tech:xsd:${o.format}.001.${o.version}`;
  const msg = o.format === 'camt.053' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
  const stmt = o.format === 'camt.053' ? 'Stmt' : 'Ntfctn';
  const entries = function* () {
    for (let first = 0; first < o.count; first += o.batchSize) {
      const batch: PaymentSpec[] = [];
      for (let i = first; i < Math.min(o.count, first + o.batchSize); i++) batch.push(o.payment(i));
      yield batch;
    }
  };
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${ns}">\n<${msg}>\n`;
  yield `<GrpHdr><MsgId>${esc(o.msgId)}</MsgId><CreDtTm>${o.createdAt}</CreDtTm></GrpHdr>\n`;
  yield `<${stmt}><Id>${esc(o.msgId)}-1</Id><CreDtTm>${o.createdAt}</CreDtTm>`;
  yield `<Acct><Id><Othr><Id>${o.account}</Id></Othr></Id><Ccy>NOK</Ccy></Acct>\n`;
  if (o.summary && o.format === 'camt.053') {
    const t = { all: [0, 0], CRDT: [0, 0], DBIT: [0, 0] };
    for (const batch of entries()) {
      const amount = batch.reduce((s, p) => s + p.amountOre, 0);
      const side = indicator(batch[0]!);
      for (const k of ['all', side] as const) {
        t[k][0]! += 1;
        t[k][1]! += amount;
      }
    }
    const total = (name: string, [n, s]: number[]) =>
      `<${name}><NbOfNtries>${n}</NbOfNtries><Sum>${dec(s!)}</Sum></${name}>`;
    yield `<TxsSummry>${total('TtlNtries', t.all)}${total('TtlCdtNtries', t.CRDT)}${total('TtlDbtNtries', t.DBIT)}</TxsSummry>\n`;
  }
  let n = 0;
  for (const batch of entries()) {
    const head = batch[0]!;
    const amount = batch.reduce((s, p) => s + p.amountOre, 0);
    const sts = v08 ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>';
    const rvsl = head.kind === 'reversal' ? '<RvslInd>true</RvslInd>' : '';
    let xml =
      `<Ntry><NtryRef>${++n}</NtryRef><Amt Ccy="NOK">${dec(amount)}</Amt>` +
      `<CdtDbtInd>${indicator(head)}</CdtDbtInd>${rvsl}${sts}` +
      `<BookgDt><Dt>${head.date}</Dt></BookgDt>` +
      (head.paidDate ? `<ValDt><Dt>${head.paidDate}</Dt></ValDt>` : '') +
      `<AcctSvcrRef>${batch.length > 1 ? `B${esc(head.reference)}` : esc(head.reference)}</AcctSvcrRef>` +
      `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>`;
    for (const p of batch) {
      const amt = `<Amt Ccy="NOK">${dec(p.amountOre)}</Amt>`;
      const name = p.payerName ? esc(p.payerName) : null;
      const debtor = name
        ? v08
          ? `<Dbtr><Pty><Nm>${name}</Nm></Pty></Dbtr>`
          : `<Dbtr><Nm>${name}</Nm></Dbtr>`
        : '';
      const account = p.payerAccount
        ? `<DbtrAcct><Id><Othr><Id>${p.payerAccount}</Id></Othr></Id></DbtrAcct>`
        : '';
      const remittance =
        (p.kid
          ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${p.kid}</Ref></CdtrRefInf></Strd>`
          : '') + (p.message ? `<Ustrd>${esc(p.message)}</Ustrd>` : '');
      xml +=
        `<TxDtls><Refs>${batch.length > 1 ? `<AcctSvcrRef>${esc(p.reference)}</AcctSvcrRef>` : ''}` +
        `<EndToEndId>NOTPROVIDED</EndToEndId></Refs>` +
        (v08 ? amt : `<AmtDtls><TxAmt>${amt}</TxAmt></AmtDtls>`) +
        (debtor || account ? `<RltdPties>${debtor}${account}</RltdPties>` : '') +
        (remittance ? `<RmtInf>${remittance}</RmtInf>` : '') +
        `</TxDtls>`;
    }
    yield `${xml}</NtryDtls></Ntry>\n`;
  }
  yield `</${stmt}>\n</${msg}>\n</Document>\n`;
}

/** Writes generated text to a file (UTF-8 for camt, 'latin1' for OCR giro). */
export async function writeGenerated(
  path: string,
  pieces: Iterable<string>,
  encoding: 'utf8' | 'latin1',
): Promise<void> {
  const out = createWriteStream(path);
  for (const piece of pieces) {
    if (!out.write(Buffer.from(piece, encoding))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function indicator(p: PaymentSpec): 'CRDT' | 'DBIT' {
  // A reversed incoming payment leaves the account again: a DBIT entry with RvslInd.
  return p.kind === 'credit' ? 'CRDT' : 'DBIT';
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function ddmmyy(iso: string): string {
  return `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}`;
}

function dec(ore: number): string {
  return `${Math.floor(ore / 100)}.${String(ore % 100).padStart(2, '0')}`;
}

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
