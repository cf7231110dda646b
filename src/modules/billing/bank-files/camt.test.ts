import { describe, expect, it } from 'vitest';
import { parseCamt } from './camt.js';
import { camtXmlChunks, samplePayment } from './generate.js';
import { chunked, expectRefused, fixture } from './test-support.js';
import { readAll } from './types.js';

const camt053 = fixture('camt053.xml').toString('utf8');
const camt054 = fixture('camt054.xml').toString('utf8');
const STMT = 'Document/BkToCstmrStmt/Stmt[1]';
const parse = (xml: string, size?: number) => parseCamt(chunked(xml, size));
function* bytes(pieces: Iterable<string>): Generator<Buffer> {
  for (const piece of pieces) yield Buffer.from(piece);
}

/** Replaces the n-th (1-based) occurrence of `from`, failing loudly if it is not there. */
function replace(xml: string, from: string, to: string, nth = 1): string {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = xml.indexOf(from, at + 1);
    if (at === -1) throw new Error(`fixture has no ${nth}. “${from}”`);
  }
  return xml.slice(0, at) + to + xml.slice(at + from.length);
}

describe('camt.053', () => {
  it('reads the fixture: credits, a batch, a reversal; outgoing entries skipped', async () => {
    const { transactions, summary } = await readAll(parse(camt053));
    expect(summary).toEqual({
      format: 'camt.053',
      fileId: 'STMT-86011117947-20250304',
      createdAt: '2025-03-05T05:12:44+01:00',
      account: '86011117947',
      skippedEntries: 1,
      count: 5,
      totalOre: 240000,
      creditCount: 4,
      creditOre: 180000,
      reversalCount: 1,
      reversalOre: 60000,
    });
    expect(transactions[0]).toEqual({
      sourceRef: 'camt:86011117947:20250304-NO-000101',
      kind: 'credit',
      amountOre: 60000,
      kid: '20250000104',
      bookingDate: '2025-03-04',
      valueDate: '2025-03-04',
      payerName: 'Kari Nordmann',
      payerAccount: '15032080119',
      message: null,
      bankReference: '20250304-NO-000101',
      location: `${STMT}/Ntry[1]/NtryDtls[1]/TxDtls[1]`,
    });
    expect(transactions.map((t) => [t.sourceRef, t.kind, t.amountOre, t.kid])).toEqual([
      ['camt:86011117947:20250304-NO-000101', 'credit', 60000, '20250000104'],
      ['camt:86011117947:612345690', 'credit', 60000, '20250000286'],
      ['camt:86011117947:612345691', 'credit', 15000, '20250000369'],
      ['camt:86011117947:20250304-NO-000103', 'reversal', 60000, '20250000104'],
      ['camt:86011117947:20250304-NO-000104', 'credit', 45000, null],
    ]);
    expect(transactions[4]).toMatchObject({
      payerName: 'Åse Økland',
      payerAccount: '97100612341',
      message: 'Kontingent 2025 medlem 17 & familie',
      location: `${STMT}/Ntry[5]/NtryDtls[1]/TxDtls[1]`,
    });
    expect(transactions[3]!.valueDate).toBe('2025-03-03');
  });

  it('reads the same in any chunk size, also splitting ø and æ between chunks', async () => {
    const expected = await readAll(parse(camt053));
    for (const size of [1, 3, 100, 4096]) {
      expect(await readAll(parse(camt053, size))).toEqual(expected);
    }
  });

  it('reads generated files of versions 001.02 and 001.08 alike, with batches', async () => {
    const read = async (version: '02' | '08') =>
      readAll(
        parseCamt(bytes(camtXmlChunks({ format: 'camt.053', count: 3000, version, batchSize: 7 }))),
      );
    const v02 = await read('02');
    const v08 = await read('08');
    expect(v08).toEqual(v02);
    // An entry (of 7 payments) takes its direction from its first payment.
    let expected = 0;
    for (let first = 0; first < 3000; first += 7) {
      if (samplePayment(first).kind !== 'outgoing') expected += Math.min(7, 3000 - first);
    }
    expect(v02.summary.count).toBe(expected);
    expect(new Set(v02.transactions.map((t) => t.sourceRef)).size).toBe(v02.summary.count);
  });

  it('refuses counts and sums that differ from TxsSummry', async () => {
    const count = await expectRefused(
      parse(replace(camt053, '<NbOfNtries>5</NbOfNtries>', '<NbOfNtries>6</NbOfNtries>')),
      'summary_mismatch',
      `${STMT}/TxsSummry/TtlNtries/NbOfNtries`,
    );
    expect(count.messages.en).toBe(
      `${STMT}/TxsSummry/TtlNtries/NbOfNtries: TtlNtries/NbOfNtries states 6, but the file has 5.`,
    );
    await expectRefused(
      parse(replace(camt053, '<Sum>1800.00</Sum>', '<Sum>1800.01</Sum>')),
      'summary_mismatch',
      `${STMT}/TxsSummry/TtlCdtNtries/Sum`,
    );
    await expectRefused(
      parse(replace(camt053, '<Sum>1850</Sum>', '<Sum>1850.5x</Sum>')),
      'amount_format',
      `${STMT}/TxsSummry/TtlDbtNtries/Sum`,
    );
  });

  it('refuses a batch whose transactions do not add up to the entry', async () => {
    const error = await expectRefused(
      parse(replace(camt053, '<Amt Ccy="NOK">150.00</Amt>', '<Amt Ccy="NOK">149.00</Amt>')),
      'tx_sum_mismatch',
      `${STMT}/Ntry[2]`,
    );
    expect(error.messages.en).toMatch(/add up to 749,00 kr, but the entry amount is 750,00 kr/);
  });

  it('refuses other currencies, more than two decimals and negative amounts', async () => {
    const currency = await expectRefused(
      parse(replace(camt053, '<Amt Ccy="NOK">600.00</Amt>', '<Amt Ccy="EUR">600.00</Amt>')),
      'currency',
      `${STMT}/Ntry[1]/Amt`,
    );
    expect(currency.messages.nb).toBe(
      `${STMT}/Ntry[1]/Amt: valutaen er EUR; bare NOK kan importeres.`,
    );
    await expectRefused(
      parse(replace(camt053, '<Amt Ccy="NOK">600.00</Amt>', '<Amt Ccy="SEK">600.00</Amt>', 2)),
      'currency',
      `${STMT}/Ntry[1]/NtryDtls[1]/TxDtls[1]/AmtDtls/TxAmt/Amt`,
    );
    await expectRefused(
      parse(replace(camt053, '<Amt Ccy="NOK">600.00</Amt>', '<Amt Ccy="NOK">600.001</Amt>')),
      'amount_format',
      `${STMT}/Ntry[1]/Amt`,
    );
    await expectRefused(
      parse(replace(camt053, '<Amt Ccy="NOK">450.00</Amt>', '<Amt Ccy="NOK">-450.00</Amt>')),
      'amount_format',
      `${STMT}/Ntry[5]/Amt`,
    );
    // An instructed amount in another currency is fine: the booked amount is NOK.
    const instructed = replace(
      camt053,
      '<AmtDtls><TxAmt><Amt Ccy="NOK">450.00</Amt></TxAmt></AmtDtls>',
      '<AmtDtls><InstdAmt><Amt Ccy="EUR">38.61</Amt></InstdAmt><TxAmt><Amt Ccy="NOK">450.00</Amt></TxAmt></AmtDtls>',
    );
    expect((await readAll(parse(instructed))).summary.count).toBe(5);
  });

  it('refuses missing amounts, indicators and dates, and invalid dates', async () => {
    await expectRefused(
      parse(replace(camt053, '<Amt Ccy="NOK">1250.00</Amt>\n', '')),
      'missing_element',
      `${STMT}/Ntry[3]`,
    );
    await expectRefused(
      parse(replace(camt053, '<AmtDtls><TxAmt><Amt Ccy="NOK">150.00</Amt></TxAmt></AmtDtls>', '')),
      'missing_element',
      `${STMT}/Ntry[2]/NtryDtls[1]/TxDtls[2]`,
    );
    await expectRefused(
      parse(replace(camt053, '<CdtDbtInd>CRDT</CdtDbtInd>', '', 3)),
      'missing_element',
      `${STMT}/Ntry[1]`,
    );
    await expectRefused(
      parse(replace(camt053, '<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CRED</CdtDbtInd>', 3)),
      'field_value',
      `${STMT}/Ntry[1]/CdtDbtInd`,
    );
    await expectRefused(
      parse(
        replace(
          camt053,
          '<BookgDt><Dt>2025-03-04</Dt></BookgDt>',
          '<BookgDt><Dt>2025-02-30</Dt></BookgDt>',
        ),
      ),
      'invalid_date',
      `${STMT}/Ntry[1]/BookgDt`,
    );
    await expectRefused(
      parse(replace(camt053, '<MsgId>STMT-86011117947-20250304</MsgId>', '')),
      'missing_element',
      STMT,
    );
  });

  it('a single transaction without its own amount takes the entry amount', async () => {
    const xml = replace(
      camt053,
      '<AmtDtls><TxAmt><Amt Ccy="NOK">600.00</Amt></TxAmt></AmtDtls>',
      '',
    );
    const { transactions } = await readAll(parse(xml));
    expect(transactions[0]!.amountOre).toBe(60000);
  });
});

describe('camt.054', () => {
  it('reads the fixture: a batch of KID payments, an entry without details, a pending entry', async () => {
    const { transactions, summary } = await readAll(parse(camt054, 50));
    expect(summary).toMatchObject({
      format: 'camt.054',
      fileId: 'NTF-2025-03-05-000017',
      account: '86011117947',
      skippedEntries: 1,
      count: 4,
      totalOre: 155150,
    });
    const NTRY = 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry';
    expect(
      transactions.map((t) => [t.sourceRef, t.amountOre, t.kid, t.payerName, t.location]),
    ).toEqual([
      [
        'camt:86011117947:5020250305000017#1',
        60000,
        '20250000104',
        'Kari Nordmann',
        `${NTRY}[1]/NtryDtls[1]/TxDtls[1]`,
      ],
      [
        'camt:86011117947:5020250305000017#2',
        30050,
        '20250000286',
        'Bjørn Ærø',
        `${NTRY}[1]/NtryDtls[1]/TxDtls[2]`,
      ],
      [
        'camt:86011117947:5020250305000017#3',
        45100,
        '20250000369',
        null,
        `${NTRY}[1]/NtryDtls[1]/TxDtls[3]`,
      ],
      ['camt:86011117947:5020250305000018', 20000, null, null, `${NTRY}[2]`],
    ]);
    // A KID found in the unstructured text (spaces removed), and a date from DtTm.
    expect(transactions[2]!.message).toBe('2025 0000 369');
    expect(transactions[3]).toMatchObject({
      bookingDate: '2025-03-05',
      valueDate: null,
      message: 'Gave fra Siv Li',
    });
  });

  it('reads one entry with 20 000 transactions', async () => {
    const pieces = camtXmlChunks({
      format: 'camt.054',
      count: 20_000,
      batchSize: 20_000,
      payment: (i) => ({ ...samplePayment(i), kind: 'credit' }),
    });
    const { summary, transactions } = await readAll(parseCamt(bytes(pieces)));
    expect(summary.count).toBe(20_000);
    expect(transactions[19_999]!.sourceRef).toBe('camt:12345678903:100019999');
  });
});

describe('camt: not camt, not XML, cut short', () => {
  it('refuses another ISO 20022 message or another root', async () => {
    const pain = camt053.replace('xsd:camt.053.001.02', 'xsd:pain.001.001.03');
    const error = await expectRefused(parse(pain), 'not_camt', 'Document');
    expect(error.messages.en).toBe(
      'Document: not a camt.053/054 file: the root is {urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}Document.',
    );
    await expectRefused(parse('<html><body>Hei</body></html>'), 'not_camt', 'html');
    await expectRefused(
      parse(camt054.replace('xsd:camt.054.001.08', 'xsd:camt.053.001.08')),
      'not_camt',
      'Document/BkToCstmrDbtCdtNtfctn',
    );
    await expectRefused(
      parseCamt(chunked(camt053), { expect: 'camt.054' }),
      'not_camt',
      'Document',
    );
  });

  it('refuses text that is not XML and XML that is not well-formed', async () => {
    const notXml = await expectRefused(parse('Dette er ikke XML'), 'not_xml', 'line 1');
    expect(notXml.messages.nb).toMatch(/^Linje 1: filen er ikke gyldig XML/);
    const broken = camt053.replace('<Nm>Per Hansen</Nm>', '<Nm>Per Hansen</Name>');
    const error = await expectRefused(
      parse(broken),
      'not_xml',
      `${STMT}/Ntry[2]/NtryDtls[1]/TxDtls[2]/RltdPties/Dbtr/Nm (line 86)`,
    );
    expect(error.params.reason).toBe('unexpected close tag.');
    await expectRefused(parse(''), 'empty', 'file');
    await expectRefused(parse('  \n'), 'empty', 'file');
  });

  it('refuses a file cut short, naming the element left open', async () => {
    const cut = camt053.slice(0, camt053.indexOf('<Ref>20250000369</Ref>') + 8);
    const error = await expectRefused(
      parse(cut, 256),
      'truncated_xml',
      `${STMT}/Ntry[2]/NtryDtls[1]/TxDtls[2]/RmtInf/Strd/CdtrRefInf/Ref`,
    );
    expect(error.messages.en).toMatch(/ends before the element Ref is closed/);
    await expectRefused(parse(camt053.slice(0, -20)), 'truncated_xml', 'Document/BkToCstmrStmt');
  });
});
