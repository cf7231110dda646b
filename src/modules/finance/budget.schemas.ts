import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { parseKroner } from '../../app/money.js';

/** Rows the budget form shows beyond the saved lines (the page works without JavaScript). */
export const BUDGET_EMPTY_ROWS = 5;
export const MAX_BUDGET_LINES = 200;

export type BudgetLineInput = { account: string; description: string; amountOre: number };

export const budgetYear = z.coerce.number().int().min(2000).max(2200);

/**
 * The budget form: rows account_N, description_N, amount_N. Empty rows are skipped; a
 * half-filled row is an error on its fields. Income accounts are 3xxx, costs 4xxx–8xxx;
 * an account appears at most once (the comparison with the accounts is per account).
 */
export const budgetFormSchema = z
  .record(z.string(), z.string())
  .transform((v, ctx): { note: string | null; lines: BudgetLineInput[] } => {
    const lines: BudgetLineInput[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < MAX_BUDGET_LINES; i++) {
      const field = (name: string) => (v[`${name}_${i}`] ?? '').trim();
      const account = field('account');
      const description = field('description');
      const amount = field('amount');
      if (!account && !description && !amount) continue;
      const issue = (name: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [`${name}_${i}`], message });
      let ok = true;
      if (!/^[3-8]\d{3}$/.test(account)) {
        issue('account', 'finance.budget.error.account');
        ok = false;
      } else if (seen.has(account)) {
        issue('account', 'finance.budget.error.duplicate');
        ok = false;
      }
      seen.add(account);
      if (!description) {
        issue('description', 'form.required');
        ok = false;
      } else if (description.length > 200) {
        issue('description', 'finance.budget.error.description');
        ok = false;
      }
      const ore = amount ? parseKroner(amount) : null;
      if (ore === null) {
        issue('amount', 'finance.budget.error.amount');
        ok = false;
      }
      if (ok && ore !== null) lines.push({ account, description, amountOre: ore });
    }
    const note = (v['note'] ?? '').trim();
    if (note.length > 2000)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'form.invalid' });
    return { note: note || null, lines };
  });

export const adoptSchema = z.object({
  adopted_on: z.string().trim().refine(isIsoDate, { message: 'finance.budget.error.date' }),
});

export const publishSchema = z.object({
  kind: z.enum(['accounts', 'budget']),
  published: z.enum(['1', '0']),
});
