/**
 * Which bank file is this? Decided from the first bytes: an OCR giro file starts with
 * its transmission start record `NY000010`; a camt file is XML whose root is in the
 * namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx or camt.054.001.xx.
 */
import { parseCamt } from './camt.js';
import { parseOcrGiro } from './ocr-giro.js';
import {
  BankFileError,
  type BankFileFormat,
  type BankFileInput,
  type BankFileParser,
} from './types.js';

/** Enough to get past an XML declaration and comments to the root start tag. */
const HEAD_BYTES = 64 * 1024;
const CAMT_NAMESPACE =
  /xmlns(?::[\w.-]+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.\d{2}["']/;
const ANY_NAMESPACE = /<(?:[\w.-]+:)?Document[^>]*?xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/;

/**
 * The format of a file from its head. 'xml' means XML whose root has not been seen in
 * the head; the camt reader then decides. Throws a BankFileError for anything else.
 */
export function detectBankFileFormat(head: Uint8Array): BankFileFormat | 'xml' {
  let text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  if (text.length === 0) throw new BankFileError('empty', { file: true });
  if (text.startsWith('NY000010')) return 'ocr';
  const start = text.trimStart();
  if (start === '') throw new BankFileError('empty', { file: true });
  if (!start.startsWith('<')) throw new BankFileError('unknown_format', { file: true });
  const camt = CAMT_NAMESPACE.exec(start);
  if (camt) return camt[1] as 'camt.053' | 'camt.054';
  const other = ANY_NAMESPACE.exec(start);
  if (other)
    throw new BankFileError('not_camt', { path: 'Document' }, { found: `{${other[1]}}Document` });
  return 'xml';
}

/** Detects the format and reads the file with the matching streaming parser. */
export async function* parseBankFile(input: BankFileInput): BankFileParser {
  const { head, rest, close } = await peek(input, HEAD_BYTES);
  let format: BankFileFormat | 'xml';
  try {
    format = detectBankFileFormat(head);
  } catch (error) {
    await close();
    throw error;
  }
  if (format === 'ocr') return yield* parseOcrGiro(rest);
  return yield* parseCamt(rest, format === 'xml' ? {} : { expect: format });
}

/** Reads up to `bytes` from the start and gives back a stream that replays them. */
async function peek(
  input: BankFileInput,
  bytes: number,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array>; close: () => Promise<void> }> {
  const iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    Symbol.asyncIterator in input ? input[Symbol.asyncIterator]() : input[Symbol.iterator]();
  const seen: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const step = await iterator.next();
    if (step.done) {
      done = true;
      break;
    }
    seen.push(step.value);
    size += step.value.byteLength;
  }
  const head = Buffer.concat(seen);
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      if (head.byteLength > 0) yield head;
      while (!done) {
        const step = await iterator.next();
        if (step.done) done = true;
        else yield step.value;
      }
    } finally {
      await close();
    }
  }
  /** Lets the source (a file stream) close when reading stops early. */
  async function close(): Promise<void> {
    if (done) return;
    done = true;
    await iterator.return?.();
  }
  return { head, rest: rest(), close };
}
