import { csvStringify as stringify } from '../../app/lazy.js';
import { CSV_COLUMNS, type CsvColumn } from './csv-import.js';

/** One member as the CSV has it: the same columns the import reads. */
export type CsvMember = Record<CsvColumn, string | number | null>;

/** Excel needs the byte order mark to read the file as UTF-8 rather than Windows-1252. */
export const UTF8_BOM = '\uFEFF';

/**
 * A spreadsheet runs a cell that starts with = + - @ as a formula ("CSV injection"), so
 * such text gets a leading ' (which the import strips again). Numbers and phone
 * numbers like "+47 22 33 44 55" stay as they are.
 */
export function guardCell(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value)) return value;
  if (/^[+-]?[\d\s().-]+$/.test(value)) return value;
  return `'${value}`;
}

function cells(m: CsvMember): string[] {
  return CSV_COLUMNS.map((c) => {
    const v = m[c];
    return v === null ? '' : guardCell(String(v));
  });
}

/** The first chunk: BOM and header row. RFC 4180: comma, CRLF, quotes doubled. */
export function csvHead(): string {
  return UTF8_BOM + stringify([[...CSV_COLUMNS]], { record_delimiter: '\r\n' });
}

/** A chunk of rows, quoted where needed (commas, quotes, line breaks). */
export function csvRows(members: CsvMember[]): string {
  if (members.length === 0) return '';
  // csv-stringify quotes only the record delimiter itself (CRLF); a bare LF or CR in an
  // address must be quoted too.
  return stringify(members.map(cells), { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
