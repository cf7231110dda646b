import { csvParse as parse } from '../../app/lazy.js';
import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { compactDigits, isValidOrgNumber } from '../../app/norwegian.js';
import type { MembershipType } from './members.repository.js';
import { RegisterErrors } from './register.errors.js';
import type { nb } from './register.messages.js';

/** The columns of the member CSV, in export order (docs/members-csv.md). */
export const CSV_COLUMNS = [
  'member_number',
  'name',
  'email',
  'type',
  'status',
  'joined_on',
  'phone',
  'address_line',
  'postal_code',
  'city',
  'country',
  'org_number',
  'contact_person',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['name', 'type'];
export const IMPORT_STATUSES = ['active', 'lapsed', 'resigned', 'applied'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const MAX_IMPORT_ROWS = 200_000;

type RegisterKey = keyof typeof nb;
/** One reason a row is refused, as a message key (translated where it is shown). */
export type Problem = { key: RegisterKey; params?: Record<string, string | number> };
export type BadRow = { line: number; problems: Problem[] };

/** A row that passed every check the file alone can make. */
export type CandidateRow = {
  line: number;
  memberNumber: number | null;
  name: string;
  email: string | null;
  type: MembershipType;
  status: ImportStatus;
  joinedOn: string | null;
  phone: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  orgNumber: string | null;
  contactPerson: string | null;
};

type Cells = Record<CsvColumn, string>;
type RawRecord = { line: number; cells: Cells };

/**
 * Bytes to text: refuses anything that is not UTF-8 (a spreadsheet saved as Windows-1252
 * would otherwise turn "Ø" into garbage), and drops a byte order mark.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    // ignoreBOM: false (the default) strips a leading UTF-8 BOM.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw RegisterErrors.invalidEncoding({ offset: firstInvalidUtf8Byte(bytes) });
  }
}

/** Where UTF-8 decoding first fails, for the error message (0-based byte offset). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection; a prefix may end inside a valid sequence,
  // so test prefixes with `stream: true`, which tolerates an unfinished last character.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Comma or semicolon, whichever the header line uses more (Excel in Norway writes ";"). */
export function detectDelimiter(text: string): ',' | ';' {
  const end = text.indexOf('\n');
  const header = end === -1 ? text : text.slice(0, end);
  const count = (ch: string) => header.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

function normaliseHeader(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Exported values that looked like formulas were prefixed with ' (see csv-export.ts). */
function unguard(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * Reads the header and the records. Problems with the file as a whole (syntax, header)
 * throw; records with the wrong number of fields come back as bad rows.
 */
export function readMembersCsv(text: string): { records: RawRecord[]; bad: BadRow[] } {
  if (text.trim() === '') throw RegisterErrors.emptyFile();
  let parsed: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    parsed = parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      // With `info`, each record comes as { record, info }; the typings do not say so.
    }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw RegisterErrors.csvSyntax({
      line: e.lines ?? 0,
      reason: (e.message ?? 'syntax error').replace(/^Invalid Record Length: /, ''),
    });
  }
  const [head, ...body] = parsed;
  if (!head) throw RegisterErrors.emptyFile();
  const columns = mapHeader(head.record);
  if (body.length === 0) throw RegisterErrors.noRows();
  if (body.length > MAX_IMPORT_ROWS) throw RegisterErrors.tooManyRows({ max: MAX_IMPORT_ROWS });

  const records: RawRecord[] = [];
  const bad: BadRow[] = [];
  let previousEnd = head.info.lines;
  let previousEmpty = head.info.empty_lines;
  for (const { record, info } of body) {
    // csv-parse counts the line a record ends on; people want the line it starts on.
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    const extra = record.slice(head.record.length).some((v) => v.trim() !== '');
    if (record.length < head.record.length || extra) {
      bad.push({
        line,
        problems: [
          {
            key: 'register.import.p.field_count',
            params: { found: record.length, expected: head.record.length },
          },
        ],
      });
      continue;
    }
    const cells = Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])) as Cells;
    columns.forEach((column, i) => {
      if (column) cells[column] = unguard(record[i] ?? '');
    });
    records.push({ line, cells });
  }
  return { records, bad };
}

/** Header cells to columns (null for an empty header cell, whose column is ignored). */
function mapHeader(header: string[]): (CsvColumn | null)[] {
  const names = header.map(normaliseHeader);
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = names.filter((n) => n !== '' && !known.has(n));
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  const duplicated = [...new Set(names.filter((n, i) => n !== '' && names.indexOf(n) !== i))];
  if (unknown.length > 0)
    throw RegisterErrors.unknownColumns({
      unknown: unknown.join(', '),
      allowed: CSV_COLUMNS.join(', '),
    });
  if (missing.length > 0)
    throw RegisterErrors.missingColumns({
      missing: missing.join(', '),
      example: 'name,email,type',
    });
  if (duplicated.length > 0)
    throw RegisterErrors.duplicateColumns({ columns: duplicated.join(', ') });
  return names.map((n) => (n === '' ? null : (n as CsvColumn)));
}

const P = 'register.import.p.';
const emailFormat = z.email();
const optionalCell = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v));

/** Each cell's rules; messages are register message keys. */
const rowSchema = z.object({
  member_number: z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{1,9}$/.test(v) && Number(v) > 0), `${P}bad_number`)
    .transform((v) => (v === '' ? null : Number(v))),
  name: z.string().trim().min(1, `${P}required`).max(120),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .refine((v) => v === '' || emailFormat.safeParse(v).success, `${P}bad_email`)
    .transform((v) => (v === '' ? null : v)),
  type: z.string().trim().toLowerCase().min(1, `${P}required`).max(40),
  status: z
    .string()
    .trim()
    .toLowerCase()
    .transform((v) => (v === '' ? 'active' : v))
    .pipe(z.enum(IMPORT_STATUSES, `${P}bad_status`)),
  joined_on: z
    .string()
    .trim()
    .refine((v) => v === '' || isIsoDate(v), `${P}bad_date`)
    .transform((v) => (v === '' ? null : v)),
  phone: optionalCell(40),
  address_line: optionalCell(200),
  postal_code: optionalCell(20),
  city: optionalCell(80),
  country: optionalCell(80),
  org_number: z
    .string()
    .transform((v) => compactDigits(v))
    .refine((v) => v === '' || isValidOrgNumber(v), `${P}bad_org_number`)
    .transform((v) => (v === '' ? null : v)),
  contact_person: optionalCell(120),
});

function problemOf(issue: z.core.$ZodIssue): Problem {
  const column = String(issue.path[0] ?? '');
  if (issue.code === 'too_big')
    return { key: `${P}too_long`, params: { column, max: Number(issue.maximum) } };
  const key = issue.message.startsWith(P) ? (issue.message as RegisterKey) : `${P}invalid`;
  return { key, params: { column } };
}

/**
 * Every check one file can make on its own: each cell, the membership type, and
 * duplicates within the file. Checks against the register come after, in the use-case.
 */
export function validateMembersCsv(
  records: RawRecord[],
  opts: { types: MembershipType[]; today: string },
): { rows: CandidateRow[]; bad: BadRow[] } {
  const types = new Map(opts.types.map((t) => [t.code, t]));
  const codes = opts.types.map((t) => t.code).join(', ');
  const firstLine = { email: new Map<string, number>(), number: new Map<number, number>() };
  const firstOrgLine = new Map<string, number>();
  const rows: CandidateRow[] = [];
  const bad: BadRow[] = [];

  for (const { line, cells } of records) {
    const parsed = rowSchema.safeParse(cells);
    if (!parsed.success) {
      bad.push({ line, problems: parsed.error.issues.map(problemOf) });
      continue;
    }
    const r = parsed.data;
    const problems: Problem[] = [];
    const type = types.get(r.type);
    if (!type) problems.push({ key: `${P}unknown_type`, params: { value: r.type, codes } });
    if (type?.isOrganisation && !r.org_number) problems.push({ key: `${P}org_number_required` });
    if (r.joined_on && r.joined_on > opts.today)
      problems.push({ key: `${P}future_date`, params: { column: 'joined_on' } });
    const sameAs = (column: string, earlier: number | undefined) => {
      if (earlier !== undefined)
        problems.push({ key: `${P}same_as_line`, params: { column, line: earlier } });
    };
    if (r.email) {
      sameAs('email', firstLine.email.get(r.email));
      if (!firstLine.email.has(r.email)) firstLine.email.set(r.email, line);
    }
    if (r.member_number !== null) {
      sameAs('member_number', firstLine.number.get(r.member_number));
      if (!firstLine.number.has(r.member_number)) firstLine.number.set(r.member_number, line);
    }
    if (r.org_number) {
      sameAs('org_number', firstOrgLine.get(r.org_number));
      if (!firstOrgLine.has(r.org_number)) firstOrgLine.set(r.org_number, line);
    }
    if (problems.length > 0 || !type) {
      bad.push({ line, problems });
      continue;
    }
    rows.push({
      line,
      memberNumber: r.member_number,
      name: r.name,
      email: r.email,
      type,
      status: r.status,
      joinedOn: r.joined_on,
      phone: r.phone,
      addressLine: r.address_line,
      postalCode: r.postal_code,
      city: r.city,
      country: r.country,
      orgNumber: r.org_number,
      contactPerson: r.contact_person,
    });
  }
  return { rows, bad };
}

/** Bad rows from several checks, one entry per line, in file order. */
export function mergeBadRows(...lists: BadRow[][]): BadRow[] {
  const byLine = new Map<number, Problem[]>();
  for (const list of lists)
    for (const { line, problems } of list)
      byLine.set(line, [...(byLine.get(line) ?? []), ...problems]);
  return [...byLine].sort(([a], [b]) => a - b).map(([line, problems]) => ({ line, problems }));
}
