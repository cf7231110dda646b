import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/db.js';
import type { Db } from '../../app/db.js';
import { exportLinesPage, type ExportCursor, type ExportRange } from './exports.repository.js';
import { insertJournalEntries } from './journal.repository.js';

// The export reads the journal a page of vouchers at a time. On PostgreSQL a year's page
// reads its lines at the same time as its vouchers, each as one JSON value; a date range
// reads them after. Paged in small pages, every path must give what one big page gives.

async function allPages(db: Db, range: ExportRange, limit: number) {
  const out: string[] = [];
  let after: ExportCursor = null;
  let pages = 0;
  for (;;) {
    const { lines, next } = await exportLinesPage(db, { range, after, limit });
    pages++;
    for (const l of lines)
      out.push(
        [
          l.entry.fiscalYear,
          l.entry.voucherNumber,
          l.entry.postedOn,
          l.position,
          l.account,
          l.debitOre,
          l.creditOre,
          l.vatCode,
          l.lineDescription,
        ].join('|'),
      );
    if (!next) return { out, pages };
    after = next;
  }
}

describeEachDialect('journal export pages', ({ db }) => {
  beforeAll(async () => {
    const entry = (year: number, i: number) => ({
      fiscalYear: year,
      postedOn: `${year}-0${1 + (i % 9)}-15`,
      description: `Voucher ${year}/${i}`,
      sourceKind: 'manual' as const,
      sourceId: null,
      // Entries of two, three and four lines, so that pages do not end on line counts.
      lines: [
        { account: '1920', debitOre: 1000 + i },
        ...(i % 3 === 1 ? [{ account: '7770', debitOre: 100, description: 'Gebyr' }] : []),
        ...(i % 3 === 2
          ? [
              { account: '6420', debitOre: 50, vatCode: '1' },
              { account: '2710', debitOre: 50 },
            ]
          : []),
        {
          account: '2900',
          creditOre: 1000 + i + (i % 3 === 1 ? 100 : i % 3 === 2 ? 100 : 0),
        },
      ],
    });
    const entries = [
      ...Array.from({ length: 13 }, (_, i) => entry(2025, i)),
      ...Array.from({ length: 11 }, (_, i) => entry(2026, i)),
    ];
    await insertJournalEntries(db(), { entries, now: new Date(), createdBy: null });
  });

  it('gives a year page by page as in one read, in voucher and line order', async () => {
    const whole = await allPages(db(), { year: 2025 }, 1000);
    expect(whole.pages).toBe(1);
    // Five entries of two lines, four of three and four of four.
    expect(whole.out).toHaveLength(5 * 2 + 4 * 3 + 4 * 4);
    for (const limit of [1, 4, 5, 13]) {
      const paged = await allPages(db(), { year: 2025 }, limit);
      expect(paged.out, `pages of ${limit}`).toEqual(whole.out);
      expect(paged.pages).toBe(Math.floor(13 / limit) + 1);
    }
    expect((await allPages(db(), { year: 2026 }, 4)).out).toEqual(
      (await allPages(db(), { year: 2026 }, 1000)).out,
    );
    expect((await allPages(db(), { year: 2027 }, 4)).out).toEqual([]);
  });

  it('gives a date range across two fiscal years page by page as in one read', async () => {
    const range = { from: '2025-03-01', to: '2026-06-30' };
    const whole = await allPages(db(), range, 1000);
    const years = new Set(whole.out.map((l) => l.split('|')[0]));
    expect(years).toEqual(new Set(['2025', '2026']));
    for (const l of whole.out) {
      const posted = l.split('|')[2]!;
      expect(posted >= range.from && posted <= range.to).toBe(true);
    }
    for (const limit of [1, 3, 7])
      expect((await allPages(db(), range, limit)).out).toEqual(whole.out);
  });
});
