/** Helpers for the bank file tests: fixtures, chunked input, expected errors. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { BankFileError, readAll, type BankFileParser } from './types.js';

const FIXTURES = new URL('../../../../test/fixtures/bank/', import.meta.url);

export function fixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(name, FIXTURES)));
}

/** The bytes in pieces of `size`, to cross every record and tag boundary. */
export async function* chunked(bytes: Buffer | string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  for (let i = 0; i < buffer.length; i += size) {
    await Promise.resolve();
    yield buffer.subarray(i, i + size);
  }
}

/** Reads the whole file and expects it to be refused with `code` at `location`. */
export async function expectRefused(
  parser: BankFileParser,
  code: string,
  location: string,
): Promise<BankFileError> {
  let error: unknown = null;
  try {
    await readAll(parser);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BankFileError);
  const refused = error as BankFileError;
  expect({ code: refused.code, location: refused.location }).toEqual({ code, location });
  return refused;
}
