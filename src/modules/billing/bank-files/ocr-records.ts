/** Reading the 80-character records of an OCR giro file: lines, fields, dates. */
import { BankFileError, type BankFileErrorCode, type BankFileInput } from './types.js';

export const RECORD_LENGTH = 80;

export type Line = { text: string; number: number };

/** The record being read, with checked field accessors (one instance, reused per line). */
export class RecordReader {
  text = '';
  number = 0;

  fail(code: BankFileErrorCode, params: Record<string, string | number> = {}): BankFileError {
    return new BankFileError(code, { line: this.number }, params);
  }

  field(from: number, to: number, name: string): { value: string; name: string } {
    return { value: this.text.slice(from, to), name: `${name} (pos. ${from + 1}–${to})` };
  }

  digits(from: number, to: number, name: string): string {
    const value = this.text.slice(from, to);
    if (!isDigits(value)) {
      throw this.fail('not_digits', { field: this.field(from, to, name).name, value });
    }
    return value;
  }

  date(from: number, name: string): string {
    const value = this.text.slice(from, from + 6);
    const iso = ddmmyyToIso(value);
    if (!iso)
      throw this.fail('invalid_date', { field: this.field(from, from + 6, name).name, value });
    return iso;
  }

  optionalDate(from: number, name: string): string | null {
    return this.text.startsWith('000000', from) ? null : this.date(from, name);
  }

  amount(from: number, name: string): number {
    const value = this.digits(from, from + 17, name);
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw this.fail('amount_too_large', { value });
    return n;
  }

  serviceCode(expected: string, what: string): void {
    const f = this.field(2, 6, 'service code and type');
    if (f.value !== expected) {
      throw this.fail('field_value', {
        field: f.name,
        value: f.value,
        expected: `${expected} (${what})`,
      });
    }
  }
}

function isDigits(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return value.length > 0;
}

/** DDMMYY to YYYY-MM-DD (years 00–69 are 20xx, 70–99 are 19xx), or null if not a date. */
export function ddmmyyToIso(value: string): string | null {
  if (!/^\d{6}$/.test(value)) return null;
  const day = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const year = yy < 70 ? 2000 + yy : 1900 + yy;
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${value.slice(2, 4)}-${value.slice(0, 2)}`;
}

/**
 * Splits the byte stream into records, decoding ISO-8859-1 (true Latin-1 via Buffer; the
 * WHATWG 'latin1' decoder is really windows-1252). Accepts LF and CRLF; an empty last
 * line is the final line end, not a record. Memory stays bounded: a line that grows past
 * one record without a line end is refused at once.
 */
export async function* readLines(input: BankFileInput): AsyncGenerator<Line[]> {
  let carry = '';
  let number = 0;
  let blank: number | null = null;
  let batch: Line[] = [];
  const emit = (raw: string): void => {
    number++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '') {
      blank ??= number;
      return;
    }
    // An empty line inside the file is a record of length 0, refused in its place.
    if (blank !== null) batch.push({ text: '', number: blank });
    blank = null;
    batch.push({ text, number });
  };
  for await (const chunk of input) {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    carry += bytes.toString('latin1');
    let start = 0;
    for (let nl = carry.indexOf('\n'); nl !== -1; nl = carry.indexOf('\n', start)) {
      emit(carry.slice(start, nl));
      start = nl + 1;
    }
    carry = carry.slice(start);
    if (batch.length > 0) yield batch;
    batch = [];
    if (carry.length > RECORD_LENGTH + 1) {
      throw new BankFileError('line_length', { line: number + 1 }, { length: `${carry.length}+` });
    }
  }
  if (carry !== '') emit(carry);
  if (batch.length > 0) yield batch;
}
