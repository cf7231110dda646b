import type { Db } from '../../app/db.js';
import {
  accountNames,
  accountTotalsByYear,
  fiscalYearBounds,
  type FiscalYearBounds,
} from './reports.repository.js';
import {
  balanceSheet,
  incomeStatement,
  trialBalance,
  type BalanceSheet,
  type IncomeStatement,
  type TrialBalance,
} from './reports.statements.js';

export type AnnualReport = {
  bounds: FiscalYearBounds;
  incomeStatement: IncomeStatement;
  balanceSheet: BalanceSheet;
  trialBalance: TrialBalance;
};

/**
 * The year's income statement, balance sheet and trial balance, each with last year's
 * figures, from one grouped read of the journal. Reads only: no transaction needed, and
 * the auditor may call it.
 */
export async function getAnnualReport(db: Db, opts: { year: number }): Promise<AnnualReport> {
  const [totals, names, bounds] = await Promise.all([
    accountTotalsByYear(db, { upToYear: opts.year }),
    accountNames(db),
    fiscalYearBounds(db, opts.year),
  ]);
  return {
    bounds,
    incomeStatement: incomeStatement(totals, opts.year, names),
    balanceSheet: balanceSheet(totals, opts.year, names),
    trialBalance: trialBalance(totals, opts.year, names),
  };
}
