import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/db.js';
import type { AppError } from '../../app/errors.js';
import { findJournalEntry, insertJournalEntries } from './journal.repository.js';

describeEachDialect('journal entries', ({ db }) => {
  const now = new Date('2026-03-01T10:00:00Z');
  const entry = (year: number, sourceId: string | null, debit = 60000) => ({
    fiscalYear: year,
    postedOn: `${year}-03-01`,
    description: 'Kontingent',
    sourceKind: 'invoice' as const,
    sourceId,
    lines: [
      { account: '1500', debitOre: debit },
      { account: '3920', creditOre: 15000 },
      { account: '3000', creditOre: 36000 },
      { account: '2700', creditOre: 9000 },
    ],
  });

  it('numbers entries gaplessly per fiscal year and keeps their lines in order', async () => {
    const { ids } = await insertJournalEntries(db(), {
      entries: [entry(2026, 'a'), entry(2025, 'b'), entry(2026, 'c')],
      now,
      createdBy: null,
    });
    const numbers = await Promise.all(ids.map((id) => findJournalEntry(db(), id)));
    expect(numbers.map((e) => [e!.entry.fiscalYear, e!.entry.number])).toEqual([
      [2026, 1],
      [2025, 1],
      [2026, 2],
    ]);
    expect(numbers[0]!.lines.map((l) => l.account)).toEqual(['1500', '3920', '3000', '2700']);
  });

  it('refuses an unbalanced entry and the same source twice, keeping nothing of either', async () => {
    await expect(
      insertJournalEntries(db(), { entries: [entry(2030, 'x', 59999)], now, createdBy: null }),
    ).rejects.toMatchObject({ code: 'finance.unbalanced' } satisfies Partial<AppError>);
    await insertJournalEntries(db(), { entries: [entry(2030, 'y')], now, createdBy: null });
    await expect(
      db()
        .transaction()
        .execute((tx) =>
          insertJournalEntries(tx, { entries: [entry(2030, 'y')], now, createdBy: null }),
        ),
    ).rejects.toThrow();
    const rows = await db()
      .selectFrom('journal_entries')
      .select('number')
      .where('fiscal_year', '=', 2030)
      .execute();
    expect(rows.map((r) => r.number)).toEqual([1]);
  });

  // SQLite keeps the foreign key from lines to entries; PostgreSQL checks it per statement
  // (migrations 0013 and 0016): the same refusals, with the foreign-key error code.
  it('refuses a line without its entry, and deleting an entry that has lines', async () => {
    const fkError = (err: unknown) => {
      const code = (err as { code?: unknown }).code;
      return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
    };
    const { ids } = await insertJournalEntries(db(), {
      entries: [entry(2031, 'fk')],
      now,
      createdBy: null,
    });
    const line = (entryId: string, position: number) => ({
      entry_id: entryId,
      position,
      account: '1920',
      debit_ore: 0,
      credit_ore: 0,
      vat_code: null,
      member_id: null,
      description: null,
    });
    // One good line and one orphan in one statement: refused as a whole.
    const orphan = await db()
      .insertInto('journal_lines')
      .values([line(ids[0]!, 10), line('no-such-entry', 0)])
      .execute()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(fkError(orphan)).toBe(true);
    const kept = await db()
      .selectFrom('journal_lines')
      .select('position')
      .where('entry_id', '=', ids[0]!)
      .execute();
    expect(kept.map((l) => l.position).sort()).toEqual([0, 1, 2, 3]);

    const removal = await db()
      .deleteFrom('journal_entries')
      .where('id', '=', ids[0]!)
      .execute()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(fkError(removal)).toBe(true);
    expect(await findJournalEntry(db(), ids[0]!)).not.toBeNull();
  });
});
