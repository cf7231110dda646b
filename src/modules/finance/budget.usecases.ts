import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import {
  findBudget,
  insertBudget,
  replaceBudgetLines,
  updateBudgetState,
  type Budget,
} from './budget.repository.js';
import type { BudgetLineInput } from './budget.schemas.js';
import { ReportsErrors } from './reports.errors.js';
import { accountNames, accountTotalsByYear, type AccountName } from './reports.repository.js';
import { accountClass, actualByAccount } from './reports.statements.js';

// The budget of a fiscal year: a draft the treasurer edits, then adopted (dated and
// locked). A change after adoption is a new version: the budget goes back to draft and
// the adopted version's lines stay in the audit log (one budget per year in the schema).

type Deps = Pick<AppContext, 'db' | 'clock'>;

const snapshot = (b: Budget) => ({
  status: b.status,
  adoptedOn: b.adoptedOn,
  note: b.note,
  lines: b.lines.map((l) => ({
    account: l.account,
    description: l.description,
    amountOre: l.amountOre,
  })),
});

/** Saves a draft's note and lines, creating the year's budget on first save. */
export async function saveBudget(
  deps: Deps,
  input: { actor: Actor; year: number; note: string | null; lines: BudgetLineInput[] },
): Promise<{ budgetId: string }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const before = await findBudget(tx, input.year);
    if (before?.status === 'adopted') throw ReportsErrors.budgetLocked();
    const budgetId = before?.id ?? newId(now.getTime());
    if (!before)
      await insertBudget(tx, { id: budgetId, fiscalYear: input.year, note: input.note }, now);
    else
      await updateBudgetState(
        tx,
        budgetId,
        { status: 'draft', adoptedOn: null, note: input.note },
        now,
      );
    await replaceBudgetLines(tx, budgetId, input.lines, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.budget_saved',
      entityType: 'budget',
      entityId: budgetId,
      before: before ? snapshot(before) : undefined,
      after: { year: input.year, note: input.note, lines: input.lines },
      at: now,
    });
    return { budgetId };
  });
}

export async function adoptBudget(
  deps: Deps,
  input: { actor: Actor; year: number; adoptedOn: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const budget = await findBudget(tx, input.year);
    if (!budget) throw ReportsErrors.budgetNotFound();
    if (budget.status === 'adopted') throw ReportsErrors.budgetLocked();
    if (budget.lines.length === 0) throw ReportsErrors.budgetEmpty();
    await updateBudgetState(tx, budget.id, { status: 'adopted', adoptedOn: input.adoptedOn }, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.budget_adopted',
      entityType: 'budget',
      entityId: budget.id,
      after: { ...snapshot(budget), status: 'adopted', adoptedOn: input.adoptedOn },
      at: now,
    });
  });
}

/** A new version: the adopted budget becomes a draft again, its adopted lines audited. */
export async function reopenBudget(
  deps: Deps,
  input: { actor: Actor; year: number },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const budget = await findBudget(tx, input.year);
    if (!budget) throw ReportsErrors.budgetNotFound();
    if (budget.status !== 'adopted') throw ReportsErrors.budgetNotAdopted();
    await updateBudgetState(tx, budget.id, { status: 'draft', adoptedOn: null }, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.budget_reopened',
      entityType: 'budget',
      entityId: budget.id,
      before: snapshot(budget),
      after: { status: 'draft' },
      at: now,
    });
  });
}

/** Copies `from`'s lines into `to`'s budget, which must be missing or an empty draft. */
export async function copyBudget(
  deps: Deps,
  input: { actor: Actor; from: number; to: number },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const source = await findBudget(tx, input.from);
    if (!source || source.lines.length === 0)
      throw ReportsErrors.budgetSourceMissing({ year: input.from });
    const target = await findBudget(tx, input.to);
    if (target?.status === 'adopted') throw ReportsErrors.budgetLocked();
    if (target && target.lines.length > 0)
      throw ReportsErrors.budgetTargetNotEmpty({ year: input.to });
    const budgetId = target?.id ?? newId(now.getTime());
    if (!target) await insertBudget(tx, { id: budgetId, fiscalYear: input.to, note: null }, now);
    const lines = source.lines.map((l) => ({
      account: l.account,
      description: l.description,
      amountOre: l.amountOre,
    }));
    await replaceBudgetLines(tx, budgetId, lines, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.budget_copied',
      entityType: 'budget',
      entityId: budgetId,
      after: { from: input.from, to: input.to, lines },
      at: now,
    });
  });
}

export type ComparisonRow = {
  account: string;
  name: AccountName | null;
  /** The budget line's text; null for an account with postings but no budget line. */
  description: string | null;
  budgetOre: number;
  actualOre: number;
  /** Actual − budget: for income more is better, for costs less is. */
  differenceOre: number;
};

export type BudgetComparison = {
  year: number;
  budget: Budget | null;
  income: ComparisonRow[];
  costs: ComparisonRow[];
  totals: {
    income: { budgetOre: number; actualOre: number };
    costs: { budgetOre: number; actualOre: number };
    result: { budgetOre: number; actualOre: number };
  };
};

/**
 * The budget against the accounts, per line and in total. Actual per account: income
 * (3xxx) credit − debit, costs (4xxx–8xxx) debit − credit, in the fiscal year. Accounts
 * with postings but no budget line are listed too, so the totals match the income statement.
 */
export async function getBudgetComparison(
  db: Db,
  opts: { year: number },
): Promise<BudgetComparison> {
  const [budget, totals, names] = await Promise.all([
    findBudget(db, opts.year),
    accountTotalsByYear(db, { upToYear: opts.year }),
    accountNames(db),
  ]);
  const actual = actualByAccount(
    totals.filter((t) => t.fiscalYear === opts.year),
    opts.year,
  );
  const rows: ComparisonRow[] = [];
  const budgeted = new Set<string>();
  for (const l of budget?.lines ?? []) {
    budgeted.add(l.account);
    const a = actual.get(l.account) ?? 0;
    rows.push({
      account: l.account,
      name: names.get(l.account) ?? null,
      description: l.description,
      budgetOre: l.amountOre,
      actualOre: a,
      differenceOre: a - l.amountOre,
    });
  }
  for (const [account, a] of [...actual].sort((x, y) => x[0].localeCompare(y[0]))) {
    if (budgeted.has(account) || a === 0) continue;
    rows.push({
      account,
      name: names.get(account) ?? null,
      description: null,
      budgetOre: 0,
      actualOre: a,
      differenceOre: a,
    });
  }
  const income = rows.filter((r) => accountClass(r.account) === 'income');
  const costs = rows.filter((r) => accountClass(r.account) !== 'income');
  const sum = (rs: ComparisonRow[]) => ({
    budgetOre: rs.reduce((s, r) => s + r.budgetOre, 0),
    actualOre: rs.reduce((s, r) => s + r.actualOre, 0),
  });
  const ti = sum(income);
  const tc = sum(costs);
  return {
    year: opts.year,
    budget,
    income,
    costs,
    totals: {
      income: ti,
      costs: tc,
      result: { budgetOre: ti.budgetOre - tc.budgetOre, actualOre: ti.actualOre - tc.actualOre },
    },
  };
}
