import type { Db } from '../../app/db.js';
import { newIds } from '../../app/ids.js';
import type { BudgetLineInput } from './budget.schemas.js';

export type BudgetLine = {
  id: string;
  position: number;
  account: string;
  description: string;
  amountOre: number;
};

export type Budget = {
  id: string;
  fiscalYear: number;
  status: 'draft' | 'adopted';
  note: string | null;
  adoptedOn: string | null;
  updatedAt: string;
  lines: BudgetLine[];
};

export async function findBudget(db: Db, fiscalYear: number): Promise<Budget | null> {
  const row = await db
    .selectFrom('budgets')
    .selectAll()
    .where('fiscal_year', '=', fiscalYear)
    .executeTakeFirst();
  if (!row) return null;
  const lines = await db
    .selectFrom('budget_lines')
    .select(['id', 'position', 'account', 'description', 'amount_ore'])
    .where('budget_id', '=', row.id)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    fiscalYear: Number(row.fiscal_year),
    status: row.status,
    note: row.note,
    adoptedOn: row.adopted_on,
    updatedAt: row.updated_at,
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      account: l.account,
      description: l.description,
      amountOre: Number(l.amount_ore),
    })),
  };
}

export async function listBudgetYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('budgets')
    .select('fiscal_year')
    .orderBy('fiscal_year', 'desc')
    .execute();
  return rows.map((r) => Number(r.fiscal_year));
}

export async function insertBudget(
  db: Db,
  b: { id: string; fiscalYear: number; note: string | null },
  now: Date,
): Promise<void> {
  await db
    .insertInto('budgets')
    .values({
      id: b.id,
      fiscal_year: b.fiscalYear,
      status: 'draft',
      note: b.note,
      adopted_on: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}

export async function updateBudgetState(
  db: Db,
  id: string,
  set: { status: 'draft' | 'adopted'; adoptedOn: string | null; note?: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('budgets')
    .set({
      status: set.status,
      adopted_on: set.adoptedOn,
      ...(set.note !== undefined ? { note: set.note } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** Replaces a draft budget's lines with `lines`, in order. */
export async function replaceBudgetLines(
  db: Db,
  budgetId: string,
  lines: readonly BudgetLineInput[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('budget_lines').where('budget_id', '=', budgetId).execute();
  if (lines.length === 0) return;
  const ids = newIds(lines.length, now.getTime());
  await db
    .insertInto('budget_lines')
    .values(
      lines.map((l, i) => ({
        id: ids[i]!,
        budget_id: budgetId,
        position: i,
        account: l.account,
        description: l.description,
        amount_ore: l.amountOre,
      })),
    )
    .execute();
}
