import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';

// The cost accounts a claim can be put on. The list is short on purpose (a member should
// not have to know the chart of accounts); the names come from the chart (ledger_accounts)
// when the journal has seeded it, else from here. An account the treasurer has
// deactivated in the chart is not offered.

export type ExpenseCategory = { number: string; nameNb: string; nameEn: string };

export const EXPENSE_CATEGORIES: readonly ExpenseCategory[] = [
  { number: '6420', nameNb: 'Leie datasystemer (hosting)', nameEn: 'IT rental (hosting)' },
  { number: '6540', nameNb: 'Inventar og utstyr', nameEn: 'Inventory and equipment' },
  { number: '6551', nameNb: 'Datautstyr (maskinvare)', nameEn: 'Computer equipment (hardware)' },
  { number: '6552', nameNb: 'Programvare', nameEn: 'Software' },
  { number: '6800', nameNb: 'Kontorrekvisita', nameEn: 'Office supplies' },
  { number: '6900', nameNb: 'Telefon og internett', nameEn: 'Telephone and internet' },
  { number: '6300', nameNb: 'Leie lokale', nameEn: 'Rent of premises' },
  { number: '6340', nameNb: 'Lys og varme (strøm)', nameEn: 'Power and heating' },
  { number: '7100', nameNb: 'Reisekostnader', nameEn: 'Travel' },
  { number: '7500', nameNb: 'Forsikring', nameEn: 'Insurance' },
  { number: '7770', nameNb: 'Bank- og kortgebyrer', nameEn: 'Bank and card fees' },
  { number: '7790', nameNb: 'Annen kostnad', nameEn: 'Other costs' },
];

/** The categories on offer now, named as the chart names them. */
export async function expenseCategories(db: Db): Promise<ExpenseCategory[]> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['number', 'name_nb', 'name_en', 'active'])
    .where(
      'number',
      'in',
      EXPENSE_CATEGORIES.map((c) => c.number),
    )
    .execute();
  const chart = new Map(rows.map((r) => [r.number, r]));
  const out: ExpenseCategory[] = [];
  for (const c of EXPENSE_CATEGORIES) {
    const row = chart.get(c.number);
    if (row && row.active !== 1) continue;
    out.push(row ? { number: c.number, nameNb: row.name_nb, nameEn: row.name_en } : c);
  }
  return out;
}

export function categoryLabel(
  categories: readonly ExpenseCategory[],
  number: string,
  locale: Locale,
): string {
  const c =
    categories.find((x) => x.number === number) ??
    EXPENSE_CATEGORIES.find((x) => x.number === number);
  if (!c) return number;
  return `${number} ${locale === 'nb' ? c.nameNb : c.nameEn}`;
}
