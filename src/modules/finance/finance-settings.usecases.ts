import { diff, recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Translations } from '../../app/errors.js';
import { isUniqueViolation } from '../billing/payments.repository.js';
import {
  ACCOUNT_ROLES,
  ensureFinanceSettings,
  saveFinanceSettings,
  type FinanceSettings,
} from './finance-settings.repository.js';
import type { FinanceSettingsInput } from './finance-settings.schemas.js';
import { JournalErrors } from './journal.errors.js';
import {
  findLedgerAccount,
  findLedgerAccounts,
  insertLedgerAccount,
  listLedgerAccounts,
  updateLedgerAccount,
  type LedgerAccount,
} from './ledger.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** The settings and the chart, seeded with the defaults on first use. */
export async function financeSettingsView(
  deps: Deps,
): Promise<{ settings: FinanceSettings; accounts: LedgerAccount[] }> {
  const settings = await ensureFinanceSettings(deps.db, deps.clock.now());
  return { settings, accounts: await listLedgerAccounts(deps.db) };
}

/**
 * Saves fiscal year start and the account of each role, audited. Every account named
 * must be in the chart and active, or automatic postings would go nowhere.
 */
export async function updateFinanceSettings(
  deps: Deps,
  input: { actor: Actor; settings: FinanceSettingsInput },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const before = await ensureFinanceSettings(tx, now);
    const found = await findLedgerAccounts(tx, Object.values(input.settings.accounts));
    const fields: Record<string, Translations> = {};
    for (const role of ACCOUNT_ROLES) {
      const n = input.settings.accounts[role];
      const a = found.get(n);
      if (!a)
        fields[`account_${role}`] = {
          nb: `Konto ${n} finnes ikke i kontoplanen.`,
          en: `Account ${n} is not in the chart of accounts.`,
        };
      else if (!a.active)
        fields[`account_${role}`] = {
          nb: `Konto ${n} er deaktivert.`,
          en: `Account ${n} is deactivated.`,
        };
    }
    const first = Object.keys(fields)[0];
    if (first) {
      const n =
        input.settings.accounts[first.slice('account_'.length) as (typeof ACCOUNT_ROLES)[number]];
      throw (found.get(n) ? JournalErrors.accountInactive : JournalErrors.accountUnknown)(
        { account: n },
        fields,
      );
    }
    await saveFinanceSettings(tx, input.settings, now);
    const change = diff(
      {
        ...before.accounts,
        fiscalYearStartMonth: before.fiscalYearStartMonth,
        postedFrom: before.postedFrom,
      },
      {
        ...input.settings.accounts,
        fiscalYearStartMonth: input.settings.fiscalYearStartMonth,
        postedFrom: input.settings.postedFrom,
      },
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.settings_updated',
      entityType: 'finance_settings',
      entityId: 'main',
      before: change.before,
      after: change.after,
      at: now,
    });
  });
}

/** Adds an account to the chart. */
export async function addLedgerAccount(
  deps: Deps,
  input: { actor: Actor; account: Omit<LedgerAccount, 'active'> },
): Promise<void> {
  const now = deps.clock.now();
  const exists = () =>
    JournalErrors.accountExists(
      { account: input.account.number },
      {
        number: {
          nb: `Konto ${input.account.number} finnes allerede.`,
          en: `Account ${input.account.number} exists already.`,
        },
      },
    );
  try {
    await deps.db.transaction().execute(async (tx) => {
      await ensureFinanceSettings(tx, now);
      if (await findLedgerAccount(tx, input.account.number)) throw exists();
      await insertLedgerAccount(tx, { ...input.account, active: true });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'finance.account_added',
        entityType: 'ledger_account',
        entityId: input.account.number,
        after: input.account,
        at: now,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw exists();
    throw err;
  }
}

/** Renames or (de)activates an account. An account in use as a role stays active. */
export async function editLedgerAccount(
  deps: Deps,
  input: { actor: Actor; account: LedgerAccount },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const settings = await ensureFinanceSettings(tx, now);
    const before = await findLedgerAccount(tx, input.account.number);
    if (!before) throw JournalErrors.accountUnknown({ account: input.account.number });
    if (!input.account.active && Object.values(settings.accounts).includes(input.account.number))
      throw JournalErrors.accountInUse(
        { account: input.account.number },
        {
          active: {
            nb: 'Kontoen brukes av de automatiske posteringene (se innstillingene).',
            en: 'The automatic postings use this account (see the settings).',
          },
        },
      );
    await updateLedgerAccount(tx, input.account);
    const change = diff(before, input.account);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'finance.account_updated',
      entityType: 'ledger_account',
      entityId: input.account.number,
      before: change.before,
      after: change.after,
      at: now,
    });
  });
}
