import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectBankFileFormat, parseBankFile } from './detect.js';
import { camtXmlChunks } from './generate.js';
import { chunked, expectRefused, fixture } from './test-support.js';
import { readAll } from './types.js';

const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../../../../test/fixtures/bank/${name}`, import.meta.url));

describe('detecting the format', () => {
  it('knows OCR giro by its start record and camt by its namespace', () => {
    expect(detectBankFileFormat(fixture('ocr-giro.txt'))).toBe('ocr');
    expect(detectBankFileFormat(fixture('camt053.xml'))).toBe('camt.053');
    expect(detectBankFileFormat(fixture('camt054.xml'))).toBe('camt.054');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('camt054.xml')]);
    expect(detectBankFileFormat(bom)).toBe('camt.054');
    const prefixed = Buffer.from(
      '<?xml version="1.0"?><c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.13">',
    );
    expect(detectBankFileFormat(prefixed)).toBe('camt.053');
  });

  it('refuses anything else with a clear error', () => {
    const refuse = (text: string) => {
      try {
        detectBankFileFormat(Buffer.from(text));
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'accepted';
    };
    expect(refuse('Dato;Beløp;KID\n2025-03-04;600,00;12345674\n')).toBe('unknown_format');
    expect(refuse('%PDF-1.7')).toBe('unknown_format');
    expect(refuse('')).toBe('empty');
    expect(refuse(' \n ')).toBe('empty');
    expect(
      refuse('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt>'),
    ).toBe('not_camt');
  });
});

describe('parseBankFile', () => {
  it('reads each fixture from a file stream', async () => {
    const formats = [];
    for (const name of ['ocr-giro.txt', 'camt053.xml', 'camt054.xml']) {
      const { summary } = await readAll(parseBankFile(createReadStream(fixturePath(name))));
      formats.push([summary.format, summary.count]);
    }
    expect(formats).toEqual([
      ['ocr', 5],
      ['camt.053', 5],
      ['camt.054', 4],
    ]);
  });

  it('gives the same result as the format’s own parser, in any chunk size', async () => {
    const whole = await readAll(parseBankFile([fixture('ocr-giro.txt')]));
    expect(await readAll(parseBankFile(chunked(fixture('ocr-giro.txt'), 3)))).toEqual(whole);
    const camt = await readAll(parseBankFile([fixture('camt053.xml')]));
    expect(await readAll(parseBankFile(chunked(fixture('camt053.xml'), 5)))).toEqual(camt);
  });

  it('finds the root past a long head (comments bigger than what it peeks at)', async () => {
    const xml = [...camtXmlChunks({ format: 'camt.054', count: 3 })]
      .join('')
      .replace('<Document', `<!-- ${'x'.repeat(70_000)} -->\n<Document`);
    const { summary } = await readAll(parseBankFile(chunked(xml, 1000)));
    expect(summary).toMatchObject({ format: 'camt.054', count: 3 });
  });

  it('closes the source when it refuses a file or the caller stops early', async () => {
    let closed = 0;
    function* source(text: string) {
      try {
        for (let i = 0; i < 100; i++) yield Buffer.from(text.repeat(1000));
      } finally {
        closed++;
      }
    }
    await expectRefused(parseBankFile(source('ikke en bankfil ')), 'unknown_format', 'file');
    expect(closed).toBe(1);
    const ocr = parseBankFile(
      source(
        fixture('ocr-giro.txt')
          .toString('latin1')
          .slice(0, 82 * 2),
      ),
    );
    await expectRefused(ocr, 'record_order', 'line 3');
    expect(closed).toBe(2);
  });

  it('refuses what is not a bank file', async () => {
    await expectRefused(
      parseBankFile(chunked('Hei, her er betalingene')),
      'unknown_format',
      'file',
    );
    await expectRefused(parseBankFile([]), 'empty', 'file');
    await expectRefused(
      parseBankFile(chunked('<Document xmlns="urn:example"><Stmt/></Document>')),
      'not_camt',
      'Document',
    );
  });
});
