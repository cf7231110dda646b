import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import type { Translations } from '../../app/errors.js';
import { formatOre } from '../../app/money.js';
import { findAssociation } from '../association/association.repository.js';
import { isUniqueViolation } from '../billing/payments.repository.js';
import { ensureFinanceSettings, type FinanceSettings } from './finance-settings.repository.js';
import { JournalErrors } from './journal.errors.js';
import {
  findJournalEntry,
  findReversalOf,
  insertJournalEntries,
  type JournalEntry,
  type JournalLine,
} from './journal.repository.js';
import type { ManualEntryInput } from './journal.schemas.js';
import { findLedgerAccounts, type LedgerAccount } from './ledger.repository.js';
import { fiscalYearOf } from './posting.js';

// Manual postings and reversals. Entries are never edited: a mistake is put right by
// reversing the entry (a new entry with debit and credit swapped) and posting anew.

type Deps = Pick<AppContext, 'db' | 'clock'>;

async function setting(db: Db, now: Date): Promise<FinanceSettings & { timeZone: string }> {
  const association = await findAssociation(db);
  if (!association) throw JournalErrors.notSetUp();
  return { ...(await ensureFinanceSettings(db, now)), timeZone: association.timeZone };
}

const fieldMessage = (nb: string, en: string): Translations => ({ nb, en });

/** Every account must exist and be active; the message points at the line's field. */
async function checkAccounts(
  db: Db,
  lines: { account: string }[],
  field: (i: number) => string,
): Promise<Map<string, LedgerAccount>> {
  const accounts = await findLedgerAccounts(
    db,
    lines.map((l) => l.account),
  );
  for (const [i, l] of lines.entries()) {
    const a = accounts.get(l.account);
    if (!a)
      throw JournalErrors.accountUnknown(
        { account: l.account },
        {
          [field(i)]: fieldMessage(
            `Konto ${l.account} finnes ikke.`,
            `Account ${l.account} does not exist.`,
          ),
        },
      );
    if (!a.active)
      throw JournalErrors.accountInactive(
        { account: l.account },
        {
          [field(i)]: fieldMessage(
            `Konto ${l.account} er deaktivert.`,
            `Account ${l.account} is deactivated.`,
          ),
        },
      );
  }
  return accounts;
}

/** A manual posting (an entry for everything the automatic postings do not cover). */
export async function createManualEntry(
  deps: Deps,
  input: { actor: Actor; entry: ManualEntryInput; field?: (i: number) => string },
): Promise<{ entry: JournalEntry; lines: JournalLine[] }> {
  const now = deps.clock.now();
  const { lines } = input.entry;
  if (lines.length < 2) throw JournalErrors.tooFewLines();
  const debit = lines.reduce((s, l) => s + l.debitOre, 0);
  const credit = lines.reduce((s, l) => s + l.creditOre, 0);
  if (debit !== credit)
    throw JournalErrors.manualUnbalanced({
      debit: formatOre(debit, 'nb'),
      credit: formatOre(credit, 'nb'),
      difference: formatOre(Math.abs(debit - credit), 'nb'),
    });
  return deps.db.transaction().execute(async (tx) => {
    const s = await setting(tx, now);
    await checkAccounts(tx, lines, input.field ?? ((i) => `lines.${i}.account`));
    const fiscalYear = fiscalYearOf(input.entry.postedOn, s.fiscalYearStartMonth);
    const { ids } = await insertJournalEntries(tx, {
      entries: [
        {
          fiscalYear,
          postedOn: input.entry.postedOn,
          description: input.entry.description,
          sourceKind: 'manual',
          sourceId: null,
          lines: lines.map((l) => ({
            account: l.account,
            debitOre: l.debitOre,
            creditOre: l.creditOre,
            description: l.description,
          })),
        },
      ],
      now,
      createdBy: input.actor.userId,
    });
    const created = (await findJournalEntry(tx, ids[0]!))!;
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.entry_posted',
      entityType: 'journal_entry',
      entityId: created.entry.id,
      after: {
        fiscalYear,
        number: created.entry.number,
        postedOn: created.entry.postedOn,
        amountOre: debit,
        accounts: [...new Set(lines.map((l) => l.account))],
      },
      at: now,
    });
    return created;
  });
}

/**
 * Reverses an entry once: a new entry (source 'reversal', naming the reversed entry) with
 * every line's debit and credit swapped. A second reversal is refused, by the check and,
 * under a race, by the unique (source_kind, source_id).
 */
export async function reverseEntry(
  deps: Deps,
  input: { actor: Actor; entryId: string; date?: string | undefined; reason?: string | null },
): Promise<{ reversal: JournalEntry }> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const s = await setting(tx, now);
      const found = await findJournalEntry(tx, input.entryId);
      if (!found) throw JournalErrors.entryNotFound();
      const { entry, lines } = found;
      if (entry.sourceKind === 'reversal') throw JournalErrors.reversalNotReversible();
      const existing = await findReversalOf(tx, entry.id);
      if (existing)
        throw JournalErrors.alreadyReversed({
          number: `${existing.fiscalYear}-${existing.number}`,
        });
      const postedOn = input.date ?? todayIn(s.timeZone, now);
      const reason = input.reason?.trim();
      const label = `${entry.fiscalYear}-${entry.number}`;
      const { ids } = await insertJournalEntries(tx, {
        entries: [
          {
            fiscalYear: fiscalYearOf(postedOn, s.fiscalYearStartMonth),
            postedOn,
            description: `Reversering av bilag ${label}${reason ? `: ${reason}` : ''}`.slice(
              0,
              300,
            ),
            sourceKind: 'reversal',
            sourceId: entry.id,
            reversesEntryId: entry.id,
            lines: lines.map((l) => ({
              account: l.account,
              debitOre: l.creditOre,
              creditOre: l.debitOre,
              vatCode: l.vatCode,
              memberId: l.memberId,
              description: l.description,
            })),
          },
        ],
        now,
        createdBy: input.actor.userId,
      });
      const reversal = (await findJournalEntry(tx, ids[0]!))!.entry;
      await recordAudit(tx, {
        actor: input.actor,
        action: 'finance.entry_reversed',
        entityType: 'journal_entry',
        entityId: entry.id,
        after: { reversal: `${reversal.fiscalYear}-${reversal.number}`, reason: reason ?? null },
        at: now,
      });
      return { reversal };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const existing = await findReversalOf(deps.db, input.entryId);
      throw JournalErrors.alreadyReversed({
        number: existing ? `${existing.fiscalYear}-${existing.number}` : '?',
      });
    }
    throw err;
  }
}
