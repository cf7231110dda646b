import type { AccountName, AccountYearTotal } from './reports.repository.js';

// The year-end statements computed from the journal's totals per year and account, with
// no database access: the income statement (resultatregnskap) and the balance sheet
// (balanse) after the Norwegian standard chart of accounts (NS 4102) — class 1 assets,
// 2 equity and liabilities, 3 income, 4–8 costs and financial items — and the trial
// balance (saldobalanse). Amounts are øre; each figure comes with last year's beside it.

export type AccountClass = 'asset' | 'equity_liability' | 'income' | 'cost';

export function accountClass(account: string): AccountClass {
  const first = account.charAt(0);
  if (first === '1') return 'asset';
  if (first === '2') return 'equity_liability';
  if (first === '3') return 'income';
  return 'cost';
}

/** A figure for the year and for the year before. */
export type Pair = { current: number; previous: number };

export type StatementLine = {
  /** The account number, or a synthetic line's key (`result_of_year`, `earlier_results`). */
  account: string;
  name: AccountName | null;
  amount: Pair;
};

export type StatementGroup = { key: string; lines: StatementLine[]; total: Pair };

export type IncomeStatement = {
  year: number;
  income: StatementGroup;
  /** Costs by class: 4 goods, 5 payroll, 6 and 7 other operating costs, 8 financial items. */
  costs: StatementGroup[];
  totalIncome: Pair;
  totalCosts: Pair;
  result: Pair;
};

export type BalanceSheet = {
  year: number;
  /** `fixed` (10–13) and `current` (14–19). */
  assets: StatementGroup[];
  totalAssets: Pair;
  /** Equity accounts (20) plus the year's result and earlier years' results carried here. */
  equity: StatementGroup;
  /** `long_term` (21–22) and `short_term` (23–29). */
  liabilities: StatementGroup[];
  totalEquityAndLiabilities: Pair;
  /** Assets = equity + liabilities, this year and last; false means a bug, never a policy. */
  balanced: boolean;
};

export type TrialBalanceRow = {
  account: string;
  name: AccountName | null;
  /** Balance accounts only: the sum of all earlier years (debit positive). */
  openingOre: number;
  debitOre: number;
  creditOre: number;
  /** Opening + debit − credit (debit positive). */
  closingOre: number;
};

export type TrialBalance = {
  year: number;
  rows: TrialBalanceRow[];
  totalDebitOre: number;
  totalCreditOre: number;
};

const pair = (current = 0, previous = 0): Pair => ({ current, previous });
const addPair = (a: Pair, b: Pair): Pair => pair(a.current + b.current, a.previous + b.previous);
const sumPairs = (ps: Pair[]): Pair => ps.reduce(addPair, pair());

/** Net movement of an account in its natural direction (income and liabilities credit). */
function natural(cls: AccountClass, debit: number, credit: number): number {
  return cls === 'asset' || cls === 'cost' ? debit - credit : credit - debit;
}

type Indexed = Map<string, Map<number, { debit: number; credit: number }>>;

function index(totals: readonly AccountYearTotal[]): Indexed {
  const byAccount: Indexed = new Map();
  for (const t of totals) {
    let years = byAccount.get(t.account);
    if (!years) {
      years = new Map<number, { debit: number; credit: number }>();
      byAccount.set(t.account, years);
    }
    const y = years.get(t.fiscalYear) ?? { debit: 0, credit: 0 };
    y.debit += t.debitOre;
    y.credit += t.creditOre;
    years.set(t.fiscalYear, y);
  }
  return byAccount;
}

/** The account's natural movement in `year`, or its natural balance through `year`. */
function movement(
  years: Map<number, { debit: number; credit: number }>,
  cls: AccountClass,
  year: number,
  cumulative: boolean,
): number {
  let sum = 0;
  for (const [y, v] of years)
    if (cumulative ? y <= year : y === year) sum += natural(cls, v.debit, v.credit);
  return sum;
}

function groupBy(
  lines: StatementLine[],
  keyOf: (account: string) => string,
  order: readonly string[],
): StatementGroup[] {
  return order
    .map((key) => {
      const own = lines.filter((l) => keyOf(l.account) === key);
      return { key, lines: own, total: sumPairs(own.map((l) => l.amount)) };
    })
    .filter((g) => g.lines.length > 0);
}

const nonZero = (l: StatementLine) => l.amount.current !== 0 || l.amount.previous !== 0;

export function incomeStatement(
  totals: readonly AccountYearTotal[],
  year: number,
  names: Map<string, AccountName>,
): IncomeStatement {
  const lines: StatementLine[] = [];
  for (const [account, years] of [...index(totals)].sort((a, b) => a[0].localeCompare(b[0]))) {
    const cls = accountClass(account);
    if (cls !== 'income' && cls !== 'cost') continue;
    lines.push({
      account,
      name: names.get(account) ?? null,
      amount: pair(movement(years, cls, year, false), movement(years, cls, year - 1, false)),
    });
  }
  const shown = lines.filter(nonZero);
  const incomeLines = shown.filter((l) => accountClass(l.account) === 'income');
  const income = {
    key: 'income',
    lines: incomeLines,
    total: sumPairs(incomeLines.map((l) => l.amount)),
  };
  const costs = groupBy(
    shown.filter((l) => accountClass(l.account) === 'cost'),
    (a) => a[0]!,
    ['4', '5', '6', '7', '8', '9'],
  );
  const totalCosts = sumPairs(costs.map((g) => g.total));
  return {
    year,
    income,
    costs,
    totalIncome: income.total,
    totalCosts,
    result: pair(
      income.total.current - totalCosts.current,
      income.total.previous - totalCosts.previous,
    ),
  };
}

/** The result (income − costs) of every year up to and including `year`, summed. */
function accumulatedResult(byAccount: Indexed, year: number): number {
  let sum = 0;
  for (const [account, years] of byAccount) {
    const cls = accountClass(account);
    if (cls === 'income' || cls === 'cost')
      for (const [y, v] of years) if (y <= year) sum += v.credit - v.debit;
  }
  return sum;
}

export function balanceSheet(
  totals: readonly AccountYearTotal[],
  year: number,
  names: Map<string, AccountName>,
): BalanceSheet {
  const byAccount = index(totals);
  const lines: StatementLine[] = [];
  for (const [account, years] of [...byAccount].sort((a, b) => a[0].localeCompare(b[0]))) {
    const cls = accountClass(account);
    if (cls !== 'asset' && cls !== 'equity_liability') continue;
    lines.push({
      account,
      name: names.get(account) ?? null,
      amount: pair(movement(years, cls, year, true), movement(years, cls, year - 1, true)),
    });
  }
  const shown = lines.filter(nonZero);
  const assets = groupBy(
    shown.filter((l) => accountClass(l.account) === 'asset'),
    (a) => (Number(a.slice(0, 2)) <= 13 ? 'fixed' : 'current'),
    ['fixed', 'current'],
  );
  // The results not yet closed to an equity account by a year-end entry: this year's, and
  // everything earlier. With them, equity + liabilities equal the assets to the øre.
  const resultOf = (y: number) =>
    accumulatedResult(byAccount, y) - accumulatedResult(byAccount, y - 1);
  const synthetic: StatementLine[] = [
    {
      account: 'earlier_results',
      name: null,
      amount: pair(accumulatedResult(byAccount, year - 1), accumulatedResult(byAccount, year - 2)),
    },
    { account: 'result_of_year', name: null, amount: pair(resultOf(year), resultOf(year - 1)) },
  ];
  const equityLines = [
    ...shown.filter((l) => l.account.startsWith('20')),
    ...synthetic.filter(nonZero),
  ];
  const equity = {
    key: 'equity',
    lines: equityLines,
    total: sumPairs(equityLines.map((l) => l.amount)),
  };
  const liabilities = groupBy(
    shown.filter(
      (l) => accountClass(l.account) === 'equity_liability' && !l.account.startsWith('20'),
    ),
    (a) => (Number(a.slice(0, 2)) <= 22 ? 'long_term' : 'short_term'),
    ['long_term', 'short_term'],
  );
  const totalAssets = sumPairs(assets.map((g) => g.total));
  const totalEquityAndLiabilities = addPair(
    equity.total,
    sumPairs(liabilities.map((g) => g.total)),
  );
  return {
    year,
    assets,
    totalAssets,
    equity,
    liabilities,
    totalEquityAndLiabilities,
    balanced:
      totalAssets.current === totalEquityAndLiabilities.current &&
      totalAssets.previous === totalEquityAndLiabilities.previous,
  };
}

export function trialBalance(
  totals: readonly AccountYearTotal[],
  year: number,
  names: Map<string, AccountName>,
): TrialBalance {
  const rows: TrialBalanceRow[] = [];
  for (const [account, years] of [...index(totals)].sort((a, b) => a[0].localeCompare(b[0]))) {
    const cls = accountClass(account);
    const balanceAccount = cls === 'asset' || cls === 'equity_liability';
    let opening = 0;
    if (balanceAccount) for (const [y, v] of years) if (y < year) opening += v.debit - v.credit;
    const own = years.get(year) ?? { debit: 0, credit: 0 };
    if (opening === 0 && own.debit === 0 && own.credit === 0) continue;
    rows.push({
      account,
      name: names.get(account) ?? null,
      openingOre: opening,
      debitOre: own.debit,
      creditOre: own.credit,
      closingOre: opening + own.debit - own.credit,
    });
  }
  return {
    year,
    rows,
    totalDebitOre: rows.reduce((s, r) => s + r.debitOre, 0),
    totalCreditOre: rows.reduce((s, r) => s + r.creditOre, 0),
  };
}

/** The figures of one account in one year in its natural direction (the budget's actual). */
export function actualByAccount(
  totals: readonly AccountYearTotal[],
  year: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of totals) {
    if (t.fiscalYear !== year) continue;
    const cls = accountClass(t.account);
    if (cls !== 'income' && cls !== 'cost') continue;
    out.set(t.account, (out.get(t.account) ?? 0) + natural(cls, t.debitOre, t.creditOre));
  }
  return out;
}
