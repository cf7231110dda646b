import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';

// The chart of accounts (kontoplan). Accounts are never deleted, only deactivated, since
// postings name them; a deactivated account takes no new manual postings.

export type LedgerAccount = { number: string; nameNb: string; nameEn: string; active: boolean };

export function accountName(a: Pick<LedgerAccount, 'nameNb' | 'nameEn'>, locale: Locale): string {
  return locale === 'nb' ? a.nameNb : a.nameEn;
}

function toAccount(r: { number: string; name_nb: string; name_en: string; active: number }) {
  return { number: r.number, nameNb: r.name_nb, nameEn: r.name_en, active: r.active === 1 };
}

export async function listLedgerAccounts(
  db: Db,
  opts: { activeOnly?: boolean } = {},
): Promise<LedgerAccount[]> {
  let q = db.selectFrom('ledger_accounts').selectAll();
  if (opts.activeOnly) q = q.where('active', '=', 1);
  // Account numbers are digit strings of 4 to 6; ordered as numbers would be within a length.
  const rows = await q.orderBy('number').execute();
  return rows.map(toAccount);
}

export async function findLedgerAccount(db: Db, number: string): Promise<LedgerAccount | null> {
  const row = await db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function findLedgerAccounts(
  db: Db,
  numbers: readonly string[],
): Promise<Map<string, LedgerAccount>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('number', 'in', [...new Set(numbers)])
    .execute();
  return new Map(rows.map((r) => [r.number, toAccount(r)]));
}

export async function insertLedgerAccount(db: Db, a: LedgerAccount): Promise<void> {
  await db
    .insertInto('ledger_accounts')
    .values({ number: a.number, name_nb: a.nameNb, name_en: a.nameEn, active: a.active ? 1 : 0 })
    .execute();
}

export async function updateLedgerAccount(db: Db, a: LedgerAccount): Promise<void> {
  await db
    .updateTable('ledger_accounts')
    .set({ name_nb: a.nameNb, name_en: a.nameEn, active: a.active ? 1 : 0 })
    .where('number', '=', a.number)
    .execute();
}
