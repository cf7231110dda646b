import { describe, expect, it } from 'vitest';
import { ocrGiroLines, samplePayment, type PaymentSpec } from './generate.js';
import { parseOcrGiro } from './ocr-giro.js';
import { chunked, expectRefused, fixture } from './test-support.js';
import { readAll } from './types.js';

const original = fixture('ocr-giro.txt');
const lines = original.toString('latin1').split('\r\n').slice(0, -1);

/** The fixture with some lines changed (1-based line numbers), as Latin-1 bytes. */
function edited(change: (lines: string[]) => void, lineEnd = '\r\n'): Buffer {
  const copy = [...lines];
  change(copy);
  return Buffer.from(copy.map((l) => l + lineEnd).join(''), 'latin1');
}
const splice = (n: number, from: number, to: number, text: string) => (l: string[]) => {
  const line = l[n - 1]!;
  l[n - 1] = line.slice(0, from) + text + line.slice(to);
};
const parse = (bytes: Buffer, size?: number) => parseOcrGiro(chunked(bytes, size));

describe('OCR giro: a good file', () => {
  it('reads the fixture into transactions and a summary', async () => {
    expect(original.includes(Buffer.from('Åse Økland', 'latin1'))).toBe(true); // ISO-8859-1
    const { transactions, summary } = await readAll(parse(original));
    expect(summary).toEqual({
      format: 'ocr',
      fileId: '00008080:0503251',
      createdAt: '2025-03-05',
      account: '12345678903',
      skippedEntries: 0,
      count: 5,
      totalOre: 300050,
      creditCount: 4,
      creditOre: 240050,
      reversalCount: 1,
      reversalOre: 60000,
    });
    expect(transactions[0]).toEqual({
      sourceRef: 'ocr:12345678903:0000001:0000001:612345678:2025-03-03',
      kind: 'credit',
      amountOre: 60000,
      kid: '20250000104',
      bookingDate: '2025-03-03',
      valueDate: '2025-02-28',
      payerName: null,
      payerAccount: '86011117947',
      message: null,
      bankReference: '612345678',
      location: 'line 3',
    });
    expect(transactions.map((t) => [t.kind, t.amountOre, t.kid, t.location])).toEqual([
      ['credit', 60000, '20250000104', 'line 3'],
      ['credit', 15000, '20250000286', 'line 5'],
      ['credit', 45050, null, 'line 7'],
      ['reversal', 60000, '20250000104', 'line 10'],
      ['credit', 120000, '20250000369', 'line 14'],
    ]);
    expect(transactions[2]!.message).toBe('Kontingent 2025 Åse Økland, Bærum');
    expect(transactions[3]).toMatchObject({ valueDate: null, payerAccount: null });
    expect(transactions[4]!.sourceRef).toBe('ocr:12345678903:0000002:0000001:712345670:2025-03-05');
  });

  it('reads the same whatever the chunk size and line ends', async () => {
    const expected = await readAll(parse(original));
    for (const size of [1, 7, 80, 81, 82, 1000]) {
      expect(await readAll(parse(original, size))).toEqual(expected);
    }
    const lf = edited(() => {}, '\n');
    expect(await readAll(parse(lf, 13))).toEqual(expected);
    const noFinalLineEnd = lf.subarray(0, lf.length - 1);
    expect(await readAll(parse(noFinalLineEnd))).toEqual(expected);
  });

  it('reads a generated file of 5 000 payments in several assignments', async () => {
    const payment = (i: number): PaymentSpec => {
      const p = samplePayment(i);
      return p.kind === 'outgoing' ? { ...p, kind: 'credit' } : p;
    };
    const text = [...ocrGiroLines({ count: 5000, payment, perAssignment: 1200 })].join('');
    const { transactions, summary } = await readAll(parse(Buffer.from(text, 'latin1'), 4096));
    expect(summary.count).toBe(5000);
    expect(summary.reversalCount).toBe(100);
    let total = 0;
    for (let i = 0; i < 5000; i++) total += payment(i).amountOre;
    expect(summary.totalOre).toBe(total);
    expect(new Set(transactions.map((t) => t.sourceRef)).size).toBe(5000);
    expect(transactions[3]!.message).toBe('Kontingent 2025 medlem 100003');
  });
});

describe('OCR giro: a malformed file is refused with its line and reason', () => {
  it('a record of 79 or 81 characters', async () => {
    const short = await expectRefused(
      parse(edited((l) => void (l[4] = l[4]!.slice(0, 79)))),
      'line_length',
      'line 5',
    );
    expect(short.messages.en).toBe(
      'Line 5: the record is 79 characters long; every record must be exactly 80.',
    );
    expect(short.messages.nb).toBe(
      'Linje 5: posten er 79 tegn lang; alle poster skal være nøyaktig 80 tegn.',
    );
    await expectRefused(parse(edited((l) => void (l[5] += '0'))), 'line_length', 'line 6');
  });

  it('a line without line end that runs on is refused without reading it all', async () => {
    const runOn = Buffer.concat([original.subarray(0, 82 * 3), Buffer.alloc(100_000, 0x30)]);
    await expectRefused(parse(runOn, 4096), 'line_length', 'line 4');
  });

  it('an empty line inside the file', async () => {
    await expectRefused(parse(edited((l) => l.splice(5, 0, ''))), 'line_length', 'line 6');
  });

  it('wrong counts and sums in the assignment end record (88)', async () => {
    const count = await expectRefused(
      parse(edited(splice(12, 8, 16, '00000005'))),
      'count_mismatch',
      'line 12',
    );
    expect(count.messages.en).toBe(
      'Line 12: the end record states 5 transactions, but there are 4.',
    );
    await expectRefused(parse(edited(splice(12, 16, 24, '00000012'))), 'count_mismatch', 'line 12');
    const sum = await expectRefused(
      parse(edited(splice(12, 24, 41, '00000000000180051'))),
      'sum_mismatch',
      'line 12',
    );
    expect(sum.messages.en).toMatch(
      /total of 1\s800,51 kr, but the amounts add up to 1\s800,50 kr/,
    );
    await expectRefused(
      parse(edited(splice(12, 47, 53, '020325'))),
      'date_range_mismatch',
      'line 12',
    );
  });

  it('wrong counts and sums in the transmission end record (89)', async () => {
    await expectRefused(parse(edited(splice(17, 8, 16, '00000004'))), 'count_mismatch', 'line 17');
    await expectRefused(parse(edited(splice(17, 16, 24, '00000016'))), 'count_mismatch', 'line 17');
    await expectRefused(
      parse(edited(splice(17, 24, 41, '00000000000300049'))),
      'sum_mismatch',
      'line 17',
    );
  });

  it('letters in numeric fields, bad dates, a bad sign or KID', async () => {
    const digits = await expectRefused(
      parse(edited(splice(3, 40, 41, 'O'))),
      'not_digits',
      'line 3',
    );
    expect(digits.params).toMatchObject({ field: 'amount (pos. 33–49)' });
    await expectRefused(parse(edited(splice(2, 30, 31, ' '))), 'not_digits', 'line 2');
    await expectRefused(parse(edited(splice(3, 15, 21, '310225'))), 'invalid_date', 'line 3');
    await expectRefused(parse(edited(splice(4, 41, 47, '001325'))), 'invalid_date', 'line 4');
    await expectRefused(parse(edited(splice(3, 31, 32, '+'))), 'field_value', 'line 3');
    await expectRefused(parse(edited(splice(3, 70, 71, 'A'))), 'not_digits', 'line 3');
  });

  it('unknown record and transaction types, a wrong format or service code', async () => {
    const unknown = await expectRefused(
      parse(edited(splice(5, 6, 8, '40'))),
      'unknown_record_type',
      'line 5',
    );
    expect(unknown.messages.en).toBe('Line 5: unknown record type “40”.');
    await expectRefused(parse(edited(splice(5, 4, 6, '22'))), 'transaction_type', 'line 5');
    await expectRefused(parse(edited(splice(5, 0, 2, 'NZ'))), 'format_code', 'line 5');
    await expectRefused(parse(edited(splice(2, 2, 4, '21'))), 'field_value', 'line 2');
  });

  it('records out of order or not belonging together', async () => {
    // Amount item 2 missing: the next amount item 1 comes where item 2 belongs.
    await expectRefused(parse(edited((l) => l.splice(3, 1))), 'record_order', 'line 4');
    await expectRefused(
      parse(edited(splice(4, 8, 15, '0000002'))),
      'transaction_mismatch',
      'line 4',
    );
    await expectRefused(parse(edited(splice(4, 4, 6, '11'))), 'transaction_mismatch', 'line 4');
    // A text record after a transaction type without text.
    await expectRefused(
      parse(edited((l) => l.splice(4, 0, `NY0910320000001${'x'.repeat(40)}${'0'.repeat(25)}`))),
      'record_order',
      'line 5',
    );
    await expectRefused(
      parse(
        edited((l) =>
          [5, 6].forEach(
            (n) => (l[n - 1] = l[n - 1]!.slice(0, 8) + '0000001' + l[n - 1]!.slice(15)),
          ),
        ),
      ),
      'transaction_number_order',
      'line 5',
    );
    await expectRefused(parse(edited((l) => l.shift())), 'record_order', 'line 1');
  });

  it('a file cut short, data after the end, an empty file', async () => {
    const cut = await expectRefused(parse(edited((l) => l.pop())), 'unexpected_end', 'line 16');
    expect(cut.messages.nb).toBe('Linje 16: filen slutter før sluttposten for forsendelsen (89).');
    await expectRefused(parse(edited((l) => l.push(l[16]!))), 'trailing_data', 'line 18');
    await expectRefused(parse(Buffer.alloc(0)), 'empty', 'file');
    // Blank lines after the end record are only line ends.
    const { summary } = await readAll(parse(edited((l) => l.push('', ''))));
    expect(summary.count).toBe(5);
  });
});
