import { createHash, type Hash } from 'node:crypto';
import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { withBulkPageCache, type Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { parseBankFile, detectBankFileFormat } from './bank-files/detect.js';
import {
  BankFileError,
  type BankFileFormat,
  type BankFileInput,
  type BankFileSummary,
  type BankTransaction,
} from './bank-files/types.js';
import { getBillingSettings } from './billing-settings.repository.js';
import { bankFileRefused, PaymentErrors } from './billing.errors.js';
import type { PaymentSource } from './billing.tables.js';
import {
  findBankImportBySha,
  finishBankImport,
  startBankImport,
} from './bank-imports.repository.js';
import { createMatcher } from './matching.js';
import { isUniqueViolation } from './payments.repository.js';
import {
  emptyReport,
  idSequence,
  processCredits,
  processReversal,
  type ImportReport,
  type Run,
} from './bank-import-batch.js';

export type { ImportReport, ImportRow } from './bank-import-batch.js';
export { PREVIEW_ROWS } from './bank-import-batch.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** Transactions looked up and written together. */
const BATCH = 2000;
/** Enough of the file to tell OCR from camt.053/054 (as the reader's own detection). */
const HEAD_BYTES = 64 * 1024;

/** Thrown to roll a dry run (or a repeated file) back while keeping its report. */
class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('rollback');
  }
}

/** The bytes of the input, hashed on their way through. */
async function* hashing(input: BankFileInput, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Reads the head of a stream to name its format, and gives back the whole stream. */
async function withHead(
  input: AsyncGenerator<Uint8Array>,
): Promise<{ format: BankFileFormat | 'xml'; stream: AsyncGenerator<Uint8Array> }> {
  const seen: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_BYTES) {
    const step = await input.next();
    if (step.done) {
      done = true;
      break;
    }
    seen.push(step.value);
    size += step.value.byteLength;
  }
  let format: BankFileFormat | 'xml';
  try {
    format = detectBankFileFormat(Buffer.concat(seen));
  } catch (err) {
    await input.return(undefined);
    throw err;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      if (!done) yield* input;
    } finally {
      // Lets a file stream close when the reader stops early (a refused file).
      await input.return(undefined);
    }
  }
  return { format, stream: replay() };
}

function sourceOf(format: BankFileFormat | 'xml'): PaymentSource {
  return format === 'xml' ? 'camt.053' : format;
}

/**
 * Imports a bank file (OCR giro, camt.053 or camt.054; the format is read from the
 * content) in ONE transaction, streamed: each transaction becomes a payment, matched
 * and allocated or put in the queue. A payment registered before (same source ref, e.g.
 * from a camt.054 and then the camt.053) is counted as a duplicate and skipped; the same
 * file twice changes nothing. A malformed file is refused (AppError 400 with where and
 * why) and nothing of it is kept. A dry run does all of it and rolls back.
 */
export async function importBankFile(
  deps: Deps,
  input: {
    input: BankFileInput;
    fileName: string | null;
    dryRun: boolean;
    actor: Actor;
    /** When the caller knows the file's hash already, a repeat is refused before reading. */
    sha256?: string;
  },
): Promise<ImportReport> {
  const now = deps.clock.now();
  if (input.sha256) {
    const previous = await findBankImportBySha(deps.db, input.sha256);
    if (previous) {
      return {
        ...emptyReport({ dryRun: input.dryRun, sha256: input.sha256, fileName: input.fileName }),
        alreadyImported: previous,
      };
    }
  }
  try {
    return await withBulkPageCache(deps.db, () =>
      deps.db.transaction().execute(async (tx) => {
        const report = await runImport(tx, { ...input, now });
        if (report.alreadyImported || input.dryRun) throw new Rollback(report);
        return report;
      }),
    );
  } catch (err) {
    if (err instanceof Rollback)
      return input.dryRun ? { ...err.report, importId: null } : err.report;
    if (err instanceof BankFileError) throw bankFileRefused(err);
    if (isUniqueViolation(err)) {
      // Another import of this very file committed while this one ran.
      if (input.sha256) {
        const previous = await findBankImportBySha(deps.db, input.sha256);
        if (previous) {
          return {
            ...emptyReport({
              dryRun: input.dryRun,
              sha256: input.sha256,
              fileName: input.fileName,
            }),
            alreadyImported: previous,
          };
        }
      }
      throw PaymentErrors.concurrentImport();
    }
    throw err;
  }
}

type ImportStep =
  { kind: 'credits'; batch: BankTransaction[] } | { kind: 'reversal'; reversal: BankTransaction };

/**
 * The file's transactions as the steps of the import: batches of credits, and reversals
 * one by one. Effects keep the file's order: before a reversal, the unwritten credits
 * that may concern the same invoice (the same KID, or none and matched by amount) go first.
 */
async function* importSteps(
  parser: AsyncGenerator<BankTransaction, BankFileSummary>,
): AsyncGenerator<ImportStep, BankFileSummary> {
  let pending: BankTransaction[] = [];
  try {
    for (;;) {
      const step = await parser.next();
      if (step.done) {
        if (pending.length > 0) yield { kind: 'credits', batch: pending };
        return step.value;
      }
      const t = step.value;
      if (t.kind === 'reversal') {
        if (pending.some((p) => p.kid === t.kid || p.kid === null)) {
          yield { kind: 'credits', batch: pending };
          pending = [];
        }
        yield { kind: 'reversal', reversal: t };
        continue;
      }
      pending.push(t);
      if (pending.length >= BATCH) {
        yield { kind: 'credits', batch: pending };
        pending = [];
      }
    }
  } finally {
    // Lets the file close when the import stops early.
    await parser.return(undefined as never);
  }
}

async function runImport(
  tx: Db,
  input: {
    input: BankFileInput;
    fileName: string | null;
    dryRun: boolean;
    actor: Actor;
    now: Date;
  },
): Promise<ImportReport> {
  const { now } = input;
  const importId = newId(now.getTime());
  await startBankImport(tx, {
    id: importId,
    filename: input.fileName,
    importedAt: now.toISOString(),
    importedBy: input.actor.userId,
  });
  const hash = createHash('sha256');
  const { format, stream } = await withHead(hashing(input.input, hash));
  const settings = await getBillingSettings(tx);
  const run: Run = {
    tx,
    now,
    nextId: idSequence(now.getTime()),
    actor: input.actor,
    importId,
    source: sourceOf(format),
    matcher: createMatcher(tx, settings),
    newMatcher: () => createMatcher(tx, settings),
    duplicatesSeen: false,
    report: {
      ...emptyReport({ dryRun: input.dryRun, sha256: '', fileName: input.fileName }),
      importId,
    },
  };

  // The file is read one step ahead: while the database writes a batch, the next one is
  // parsed (PostgreSQL works in its own process; SQLite answers synchronously anyway).
  const steps = importSteps(parseBankFile(stream));
  let next = steps.next();
  // Handled when awaited below; a refusal while a batch is written must not go unseen.
  next.catch(() => undefined);
  let summary: BankFileSummary;
  try {
    for (;;) {
      const step = await next;
      if (step.done) {
        summary = step.value;
        break;
      }
      next = steps.next();
      next.catch(() => undefined);
      if (step.value.kind === 'credits') await processCredits(run, step.value.batch);
      else await processReversal(run, step.value.reversal);
    }
  } finally {
    await next.catch(() => undefined);
    await steps.return(undefined as never);
  }

  const report = run.report;
  report.summary = summary;
  report.sha256 = hash.digest('hex');
  const previous = await findBankImportBySha(tx, report.sha256);
  if (previous) return { ...report, alreadyImported: previous, committed: false };
  if (format === 'xml' && summary.format !== 'camt.053') {
    await tx
      .updateTable('payments')
      .set({ source: summary.format })
      .where('bank_import_id', '=', importId)
      .execute();
  }
  await finishBankImport(tx, importId, {
    fileSha256: report.sha256,
    format: summary.format,
    fileId: summary.fileId,
    transactionCount: summary.count,
    totalOre: summary.totalOre,
    matchedCount: report.matched,
    unmatchedCount: report.unmatched,
    duplicateCount: report.duplicates,
  });
  await recordAudit(tx, {
    actor: input.actor,
    action: 'billing.bank_file_imported',
    entityType: 'bank_import',
    entityId: importId,
    after: {
      file: input.fileName,
      sha256: report.sha256,
      format: summary.format,
      fileId: summary.fileId,
      transactions: summary.count,
      totalOre: summary.totalOre,
      matched: report.matched,
      unmatched: report.unmatched,
      duplicates: report.duplicates,
      reversed: report.reversed,
      invoicesSettled: report.invoicesSettled,
      periodsPaid: report.periodsPaid,
      reactivated: report.reactivated,
    },
    at: now,
  });
  return { ...report, committed: !input.dryRun };
}
