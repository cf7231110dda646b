import { describe, expect, it } from 'vitest';
import { AppError } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { csvHead, csvRows, guardCell } from './csv-export.js';
import {
  decodeCsv,
  detectDelimiter,
  mergeBadRows,
  readMembersCsv,
  validateMembersCsv,
  type BadRow,
} from './csv-import.js';
import type { MembershipType } from './members.repository.js';

const types: MembershipType[] = [
  { id: 't1', code: 'ordinary', nameNb: 'O', nameEn: 'O', isOrganisation: false, active: true },
  {
    id: 't2',
    code: 'organisation',
    nameNb: 'Org',
    nameEn: 'Org',
    isOrganisation: true,
    active: true,
  },
];
const today = '2026-11-27';
const en = translator('en');

function check(text: string) {
  const { records, bad } = readMembersCsv(text);
  const v = validateMembersCsv(records, { types, today });
  return { rows: v.rows, bad: mergeBadRows(bad, v.bad) };
}

function explain(bad: BadRow[]): Record<number, string> {
  return Object.fromEntries(
    bad.map((b) => [b.line, b.problems.map((p) => en(p.key, p.params)).join(' ')]),
  );
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('member CSV parsing', () => {
  it('refuses invalid UTF-8 and strips a byte order mark', () => {
    const latin1 = Uint8Array.from([
      ...Buffer.from('name,type\nKnut S'),
      0xf8,
      ...Buffer.from('rensen,ordinary\n'),
    ]);
    expect(codeOf(() => decodeCsv(latin1))).toBe('register.invalid_encoding');
    try {
      decodeCsv(latin1);
    } catch (err) {
      expect((err as AppError).message_('en')).toContain('byte 16');
      expect((err as AppError).message_('en')).toContain('CSV UTF-8');
    }
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('name,type\nÅse,ordinary\n')]);
    const text = decodeCsv(withBom);
    expect(text.startsWith('name')).toBe(true);
    expect(check(text).rows[0]?.name).toBe('Åse');
  });

  it('detects comma or semicolon from the header', () => {
    expect(detectDelimiter('name;type;email\nA, B;ordinary;')).toBe(';');
    expect(detectDelimiter('name,type\n"x;y",ordinary')).toBe(',');
    const { rows, bad } = check('Name;Type;Email\r\n"Nordmann; Ola";ordinary;OLA@example.org\r\n');
    expect(bad).toEqual([]);
    expect(rows[0]).toMatchObject({ name: 'Nordmann; Ola', email: 'ola@example.org' });
  });

  it('names unknown, missing and repeated columns', () => {
    const err = (text: string) => {
      try {
        readMembersCsv(text);
      } catch (e) {
        return (e as AppError).message_('en');
      }
      return 'no error';
    };
    expect(err('name,type,shoe_size\nA,ordinary,42\n')).toContain(
      'Unknown columns in the header row: shoe_size',
    );
    expect(err('email,city\na@example.org,Oslo\n')).toContain(
      'missing from the header row: name, type',
    );
    expect(err('name,type,name\nA,ordinary,B\n')).toContain(
      'more than once in the header row: name',
    );
    expect(codeOf(() => readMembersCsv(''))).toBe('register.empty_file');
    expect(codeOf(() => readMembersCsv('name,type\n'))).toBe('register.no_rows');
    expect(codeOf(() => readMembersCsv('name,type\n"A,ordinary\n'))).toBe('register.csv_syntax');
  });

  it('lists every bad row with its line number and reason', () => {
    const text = [
      'member_number,name,email,type,status,joined_on,org_number',
      '7,Ada,ada@example.org,ordinary,active,2020-01-31,',
      ',,nope,ordinary,,,',
      ',Bo,ada@example.org,ordinary,,,',
      ',Cy,,gold,,,',
      ',Di,,organisation,,,123456789',
      ',Ed,,organisation,,,',
      ',Fa,,ordinary,,2024-02-30,',
      ',Gu,,ordinary,,2099-01-01,',
      'x1,Ha,,ordinary,sleeping,,',
      '7,Ib,,ordinary,,,',
      '"Jo',
      'Multi",Line,,ordinary,,,', // a quoted field over two lines: reported at its first
      ',Ki,,ordinary,,,,,',
      ',Li,,organisation,,,974 760 673',
      '',
      ',Mo,,ordinary',
      ',Nu,,ordinary,,,,x',
    ].join('\n');
    const { rows, bad } = check(text);
    expect(rows.map((r) => r.name)).toEqual(['Ada', 'Ki', 'Li']);
    expect(rows[2]?.orgNumber).toBe('974760673');
    expect(rows[0]).toMatchObject({ memberNumber: 7, status: 'active', joinedOn: '2020-01-31' });
    expect(rows[1]?.status).toBe('active');
    const lines = explain(bad);
    expect(Object.keys(lines).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 17, 18]);
    expect(lines[3]).toContain('name: required.');
    expect(lines[3]).toContain('email: invalid email address.');
    expect(lines[4]).toBe('email: same value as on line 2.');
    expect(lines[5]).toBe('type: unknown membership type "gold" (valid: ordinary, organisation).');
    expect(lines[6]).toContain('org_number: invalid organisation number');
    expect(lines[7]).toBe('org_number: required for organisation members.');
    expect(lines[8]).toBe('joined_on: invalid date (YYYY-MM-DD).');
    expect(lines[9]).toBe('joined_on: the date is in the future.');
    expect(lines[10]).toContain('member_number: must be a positive whole number.');
    expect(lines[10]).toContain('status: must be active, lapsed, resigned or applied.');
    expect(lines[11]).toBe('member_number: same value as on line 2.');
    expect(lines[12]).toBe('member_number: must be a positive whole number.');
    expect(lines[17]).toBe('the row has 4 fields, but the header has 7.');
    expect(lines[18]).toBe('the row has 8 fields, but the header has 7.');
  });

  it('round-trips what the export writes, formula guard included', () => {
    const text =
      csvHead() +
      csvRows([
        {
          member_number: 1,
          name: 'Kari "K" Nordmann, jr.',
          email: 'kari@example.org',
          type: 'ordinary',
          status: 'active',
          joined_on: '2024-07-01',
          phone: '+47 22 33 44 55',
          address_line: 'Gate 1\nLeil. 2',
          postal_code: '0150',
          city: '=HYPERLINK("http://evil")',
          country: 'NO',
          org_number: null,
          contact_person: null,
        },
      ]);
    expect(text.startsWith('\uFEFFmember_number,name,email,type')).toBe(true);
    expect(text).toContain('"Kari ""K"" Nordmann, jr."');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(',+47 22 33 44 55,"Gate 1\nLeil. 2",');
    expect(text.endsWith('\r\n')).toBe(true);
    const { rows, bad } = check(decodeCsv(Buffer.from(text)));
    expect(bad).toEqual([]);
    expect(rows[0]).toMatchObject({
      name: 'Kari "K" Nordmann, jr.',
      phone: '+47 22 33 44 55',
      addressLine: 'Gate 1\nLeil. 2',
      city: '=HYPERLINK("http://evil")',
    });
    expect(guardCell('-5')).toBe('-5');
    expect(guardCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
