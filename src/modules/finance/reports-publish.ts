import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { getSetting } from '../association/association.repository.js';

// Which years' accounts and budgets the treasurer has published to the members, at the
// stable address /finance/annual/:year that a general assembly's agenda item links to.
// Kept as one JSON value in the settings table (the schema has no published flag).

export const PUBLISHED_KEY = 'finance.published_years';

export type Published = { accounts: number[]; budgets: number[] };

export async function getPublished(db: Db): Promise<Published> {
  const raw = await getSetting(db, PUBLISHED_KEY);
  if (!raw) return { accounts: [], budgets: [] };
  try {
    const v = JSON.parse(raw) as Partial<Published>;
    const years = (a: unknown) =>
      Array.isArray(a) ? a.filter((y): y is number => Number.isInteger(y)) : [];
    return { accounts: years(v.accounts), budgets: years(v.budgets) };
  } catch {
    return { accounts: [], budgets: [] };
  }
}

export async function setPublished(
  deps: Pick<AppContext, 'db' | 'clock'>,
  input: { actor: Actor; year: number; kind: 'accounts' | 'budget'; published: boolean },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const before = await getPublished(tx);
    const key = input.kind === 'accounts' ? 'accounts' : 'budgets';
    const years = new Set(before[key]);
    if (input.published) years.add(input.year);
    else years.delete(input.year);
    const after: Published = { ...before, [key]: [...years].sort((a, b) => a - b) };
    const value = JSON.stringify(after);
    await tx
      .insertInto('settings')
      .values({ key: PUBLISHED_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: input.published ? 'finance.published' : 'finance.unpublished',
      entityType: 'finance_year',
      entityId: String(input.year),
      after: { kind: input.kind, year: input.year },
      at: now,
    });
  });
}
