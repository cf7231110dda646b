import { withBulkPageCache } from '../../app/db.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { associationYearBounds, todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { findAssociation } from '../association/association.repository.js';
import { BillingErrors, InvoiceErrors } from './billing.errors.js';
import { getBillingSettings } from './billing-settings.repository.js';
import { runBatch, type RunContext } from './dues-run.batch.js';
import {
  countDueMembers,
  failAbandonedRuns,
  findRun,
  findRunningRun,
  finishRun,
  insertRun,
  type DuesRun,
} from './dues-run.repository.js';
import { listFeeComponents, type FeeComponent } from './fees.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox' | 'logger'>;

export const DUES_BATCH_SIZE = 1000;
/** A running run whose last batch is older than this has died with its process. */
export const STALE_RUN_MS = 2 * 60 * 1000;

/** Test seam: called inside each batch's transaction just before it commits. */
export type DuesRunHooks = { beforeCommit?: (batch: number) => void | Promise<void> };

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Starts a dues run for an association year: refused without fees for the year, without
 * a bank account, or while another run for the year is going. Returns the run row.
 */
export async function startDuesRun(
  deps: Deps,
  input: { actor: Actor; year: number },
): Promise<DuesRun> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const association = await findAssociation(tx);
      if (!association) throw CommonErrors.setupRequired();
      const settings = await getBillingSettings(tx);
      if (!settings.bankAccount) throw BillingErrors.noBankAccount();
      const components = await listFeeComponents(tx, input.year);
      if (components.length === 0) throw InvoiceErrors.noFeesForYear({ year: input.year });
      await failAbandonedRuns(tx, {
        year: input.year,
        staleBefore: new Date(now.getTime() - STALE_RUN_MS),
        now,
        message: 'abandoned: no progress for 2 minutes (the process stopped)',
      });
      if (await findRunningRun(tx, input.year))
        throw InvoiceErrors.duesRunRunning({ year: input.year });
      const bounds = associationYearBounds(input.year, association.yearStartMonth);
      const typeIds = [...new Set(components.map((c) => c.typeId))];
      const dueCount = await countDueMembers(tx, { typeIds, endsOn: bounds.endsOn });
      const id = newId(now.getTime());
      await insertRun(tx, { id, year: input.year, startedBy: input.actor.userId, dueCount, now });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'billing.dues_run_started',
        entityType: 'dues_run',
        entityId: id,
        after: { year: input.year, dueCount },
        at: now,
      });
      return (await findRun(tx, id))!;
    });
  } catch (err) {
    // Two starts at the same moment: the partial unique index lets only one through.
    if (isUniqueViolation(err)) throw InvoiceErrors.duesRunRunning({ year: input.year });
    throw err;
  }
}

/**
 * Works through a started run batch by batch, each batch its own transaction: a crash
 * leaves whole batches only (invoice numbers are reserved inside them, so no gap), and a
 * new run skips what is already invoiced (checked in the batch, and by the unique dues key).
 */
export async function executeDuesRun(
  deps: Deps,
  input: {
    runId: string;
    actor: Actor;
    batchSize?: number;
    hooks?: DuesRunHooks;
    onProgress?: (run: DuesRun) => void;
  },
): Promise<DuesRun> {
  const run = await findRun(deps.db, input.runId);
  if (!run) throw InvoiceErrors.duesRunNotFound();
  try {
    const [association, settings, components] = await Promise.all([
      findAssociation(deps.db),
      getBillingSettings(deps.db),
      listFeeComponents(deps.db, run.year),
    ]);
    if (!association) throw CommonErrors.setupRequired();
    const bankAccount = settings.bankAccount;
    if (!bankAccount) throw BillingErrors.noBankAccount();
    const byType = new Map<string, FeeComponent[]>();
    for (const c of components) byType.set(c.typeId, [...(byType.get(c.typeId) ?? []), c]);
    const now = deps.clock.now();
    const rc: RunContext = {
      run,
      association,
      settings: { ...settings, bankAccount },
      components: byType,
      bounds: associationYearBounds(run.year, association.yearStartMonth),
      issueDate: todayIn(association.timeZone, now),
      actor: input.actor,
      baseUrl: deps.config.baseUrl,
    };
    await withBulkPageCache(deps.db, async () => {
      let afterNumber = 0;
      for (let batch = 0; ; batch++) {
        const result = await deps.db.transaction().execute(async (tx) => {
          const r = await runBatch(tx, rc, {
            afterNumber,
            limit: input.batchSize ?? DUES_BATCH_SIZE,
            now: deps.clock.now(),
          });
          if (r.lastNumber !== null) await input.hooks?.beforeCommit?.(batch);
          return r;
        });
        if (result.lastNumber === null) break;
        afterNumber = result.lastNumber;
        if (result.created > 0) deps.kickOutbox();
        if (input.onProgress) input.onProgress((await findRun(deps.db, run.id))!);
      }
    });
    const finished = deps.clock.now();
    await deps.db.transaction().execute(async (tx) => {
      await finishRun(tx, run.id, { status: 'done', lastError: null, now: finished });
      const done = (await findRun(tx, run.id))!;
      await recordAudit(tx, {
        actor: input.actor,
        action: 'billing.dues_run_finished',
        entityType: 'dues_run',
        entityId: run.id,
        after: {
          year: done.year,
          created: done.createdCount,
          skipped: done.skippedCount,
          totalOre: done.totalOre,
        },
        at: finished,
      });
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finishRun(deps.db, run.id, {
      status: 'failed',
      lastError: message.slice(0, 500),
      now: deps.clock.now(),
    });
    throw err;
  }
  return (await findRun(deps.db, run.id))!;
}

/** The whole run, synchronously (CLI and API). */
export async function runDues(
  deps: Deps,
  input: {
    actor: Actor;
    year: number;
    batchSize?: number;
    hooks?: DuesRunHooks;
    onProgress?: (run: DuesRun) => void;
  },
): Promise<DuesRun> {
  const run = await startDuesRun(deps, input);
  return executeDuesRun(deps, { ...input, runId: run.id });
}

/** Starts the run and works through it in the background (the page polls for progress). */
export async function startDuesRunInBackground(
  deps: Deps,
  input: { actor: Actor; year: number },
): Promise<DuesRun> {
  const run = await startDuesRun(deps, input);
  void executeDuesRun(deps, { runId: run.id, actor: input.actor }).catch((err: unknown) =>
    deps.logger.error({ err, runId: run.id }, 'dues run failed'),
  );
  return run;
}
