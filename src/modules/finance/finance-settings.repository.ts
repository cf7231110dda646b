import type { Db } from '../../app/db.js';

// The journal's settings: when the fiscal year starts, and which account of the chart
// each automatic posting uses. Seeded lazily (ensureFinanceSettings) with the Norwegian
// standard chart of accounts (NS 4102), so an installation from before finance works.

/** What an account is used for by the automatic postings (and the reports). */
export const ACCOUNT_ROLES = [
  'bank',
  'receivables',
  'output_vat',
  'input_vat',
  'membership_fees',
  'service_fees',
  'reminder_fees',
  'prepayments',
  'expenses_payable',
  'other_costs',
  'it_rental',
  'bank_fees',
  'equity',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type AccountMap = Record<AccountRole, string>;

/** NS 4102 defaults; see docs/finance.md "Accounts and settings" for why each one. */
export const DEFAULT_ACCOUNTS: AccountMap = {
  bank: '1920',
  receivables: '1500',
  output_vat: '2700',
  input_vat: '2710',
  membership_fees: '3920',
  service_fees: '3000',
  reminder_fees: '3900',
  prepayments: '2900',
  expenses_payable: '2910',
  other_costs: '7790',
  it_rental: '6420',
  bank_fees: '7770',
  equity: '2050',
};

export type ChartAccount = { number: string; nameNb: string; nameEn: string };

/** The chart an installation starts with: every default above, plus the usual costs. */
export const DEFAULT_CHART: readonly ChartAccount[] = [
  { number: '1500', nameNb: 'Kundefordringer', nameEn: 'Accounts receivable' },
  { number: '1920', nameNb: 'Bankinnskudd', nameEn: 'Bank deposits' },
  { number: '2050', nameNb: 'Annen egenkapital', nameEn: 'Other equity' },
  { number: '2700', nameNb: 'Utgående merverdiavgift', nameEn: 'Output VAT' },
  { number: '2710', nameNb: 'Inngående merverdiavgift', nameEn: 'Input VAT' },
  { number: '2740', nameNb: 'Oppgjørskonto merverdiavgift', nameEn: 'VAT settlement account' },
  {
    number: '2900',
    nameNb: 'Forskudd fra kunder (medlemmers tilgodehavende)',
    nameEn: 'Customer prepayments (members’ credit)',
  },
  {
    number: '2910',
    nameNb: 'Gjeld til medlemmer (utlegg)',
    nameEn: 'Owed to members (expense claims)',
  },
  { number: '3000', nameNb: 'Tjenesteavgift, avgiftspliktig', nameEn: 'Service fees, VAT liable' },
  {
    number: '3900',
    nameNb: 'Purregebyr og andre driftsinntekter',
    nameEn: 'Reminder fees and other operating income',
  },
  {
    number: '3920',
    nameNb: 'Medlemskontingent, utenfor mva-loven',
    nameEn: 'Membership fees, outside VAT',
  },
  { number: '6300', nameNb: 'Leie lokale', nameEn: 'Rent of premises' },
  { number: '6340', nameNb: 'Lys og varme (strøm)', nameEn: 'Power and heating' },
  { number: '6420', nameNb: 'Leie datasystemer (hosting)', nameEn: 'IT rental (hosting)' },
  { number: '6551', nameNb: 'Datautstyr (maskinvare)', nameEn: 'Computer equipment (hardware)' },
  { number: '6552', nameNb: 'Programvare', nameEn: 'Software' },
  { number: '6800', nameNb: 'Kontorrekvisita', nameEn: 'Office supplies' },
  { number: '6900', nameNb: 'Telefon og internett', nameEn: 'Telephone and internet' },
  { number: '7770', nameNb: 'Bank- og kortgebyrer', nameEn: 'Bank and card fees' },
  { number: '7790', nameNb: 'Annen kostnad', nameEn: 'Other costs' },
  { number: '8040', nameNb: 'Renteinntekt', nameEn: 'Interest income' },
];

export type FinanceSettings = {
  fiscalYearStartMonth: number;
  accounts: AccountMap;
  /** The first date automatic postings are made for; null: from the beginning. */
  postedFrom: string | null;
  updatedAt: string | null;
};

const ID = 'main';

function parseAccounts(json: string): AccountMap {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const accounts = { ...DEFAULT_ACCOUNTS };
  for (const role of ACCOUNT_ROLES) {
    const v = stored[role];
    if (typeof v === 'string' && /^\d{4,6}$/.test(v)) accounts[role] = v;
  }
  return accounts;
}

/**
 * The settings, created with the defaults (and the default chart seeded) the first time
 * anything asks. Idempotent and safe to race: every insert skips what exists.
 */
export async function ensureFinanceSettings(db: Db, now: Date): Promise<FinanceSettings> {
  const row = await db
    .selectFrom('finance_settings')
    .selectAll()
    .where('id', '=', ID)
    .executeTakeFirst();
  if (row)
    return {
      fiscalYearStartMonth: row.fiscal_year_start_month,
      accounts: parseAccounts(row.accounts),
      postedFrom: row.posted_from,
      updatedAt: row.updated_at,
    };
  await db
    .insertInto('ledger_accounts')
    .values(
      DEFAULT_CHART.map((a) => ({
        number: a.number,
        name_nb: a.nameNb,
        name_en: a.nameEn,
        active: 1,
      })),
    )
    .onConflict((oc) => oc.column('number').doNothing())
    .execute();
  await db
    .insertInto('finance_settings')
    .values({
      id: ID,
      fiscal_year_start_month: 1,
      accounts: JSON.stringify(DEFAULT_ACCOUNTS),
      posted_from: null,
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return ensureFinanceSettings(db, now);
}

export async function saveFinanceSettings(
  db: Db,
  s: Pick<FinanceSettings, 'fiscalYearStartMonth' | 'accounts' | 'postedFrom'>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('finance_settings')
    .set({
      fiscal_year_start_month: s.fiscalYearStartMonth,
      accounts: JSON.stringify(s.accounts),
      posted_from: s.postedFrom,
      updated_at: now.toISOString(),
    })
    .where('id', '=', ID)
    .execute();
}
