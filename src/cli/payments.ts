import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../app/clock.js';
import { type Database } from '../app/db.js';
import { type Locale } from '../app/errors.js';
import { translator, type MessageKey } from '../app/i18n.js';
import { formatOre } from '../app/money.js';
import { importBankFile, type ImportReport } from '../modules/billing/bank-import.usecases.js';
import { cliActor, type Out } from './commands.js';
import { exitCodeFor, localeOf, stdio, withDatabase } from './cli-support.js';
import { UsageError } from './prompt.js';

// `allmenning payments import FILE [--dry-run]`: a bank file (OCR giro, camt.053 or
// camt.054, told apart by its content) imported and reconciled, or only checked.

export const PAYMENTS_HELP = `  payments import FILE         Import a bank file (OCR giro, camt.053 or camt.054; the
                               format is read from the content) and match its payments.
                               The same file twice changes nothing; a malformed file is
                               refused with its line or XML path and nothing is imported.
      [--dry-run]              Only show what would match; change nothing.`;

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The report as lines of text: summary, results, and (for a dry run) each transaction. */
export function reportLines(report: ImportReport, locale: Locale): string[] {
  const t = translator(locale);
  const kr = (ore: number) => `kr ${formatOre(ore, locale)}`;
  const lines: string[] = [];
  const s = report.summary;
  if (s) {
    lines.push(
      `${t('payments.summary_format')}: ${s.format} · ${t('payments.summary_file_id')}: ${s.fileId} · ` +
        `${t('payments.summary_count')}: ${s.count} · ${t('payments.summary_total')}: ${kr(s.totalOre)}`,
    );
    lines.push(`${t('payments.summary_checks')}: ${t('payments.summary_checks_ok')}`);
  }
  lines.push(`${t('payments.summary_sha')}: ${report.sha256}`);
  if (report.alreadyImported) {
    lines.push(t('payments.import_already', { at: report.alreadyImported.importedAt }));
    return lines;
  }
  lines.push(
    [
      `${t('payments.result_matched')}: ${report.matched}`,
      `${t('payments.result_unmatched')}: ${report.unmatched}`,
      `${t('payments.result_duplicates')}: ${report.duplicates}`,
      `${t('payments.result_reversed')}: ${report.reversed}`,
    ].join(' · '),
  );
  lines.push(
    [
      `${t('payments.result_credit')}: ${t('payments.result_credit_value', { count: report.creditCount, amount: kr(report.creditOre) })}`,
      `${t('payments.result_settled')}: ${report.invoicesSettled}`,
      `${t('payments.result_periods')}: ${report.periodsPaid}`,
      `${t('payments.result_reactivated')}: ${report.reactivated}`,
    ].join(' · '),
  );
  if (report.dryRun) {
    lines.push('', t('payments.import_rows', { count: report.rows.length }));
    for (const r of report.rows) {
      const why =
        r.outcome === 'matched' && r.rule
          ? t(`payments.rule.${r.rule}` as MessageKey)
          : r.reason
            ? t(`payments.reason.${r.reason}` as MessageKey)
            : '';
      const to = [
        r.memberNumber !== null
          ? `${t('payments.col_member')} ${r.memberNumber} ${r.memberName ?? ''}`.trim()
          : '',
        r.invoiceNumber !== null ? `${t('payments.col_invoice')} ${r.invoiceNumber}` : '',
        r.toInvoiceOre ? `${t('payments.col_to_invoice')} ${kr(r.toInvoiceOre)}` : '',
        r.toCreditOre ? `${t('payments.col_to_credit')} ${kr(r.toCreditOre)}` : '',
      ].filter(Boolean);
      lines.push(
        `  ${r.location}  ${r.bookingDate}  ${kr(r.kind === 'reversal' ? -r.amountOre : r.amountOre)}  ` +
          `${r.kid ?? r.message ?? ''}  → ${t(`payments.outcome.${r.outcome}` as MessageKey)}` +
          `${why ? ` (${why})` : ''}${to.length ? `: ${to.join(', ')}` : ''}`,
      );
    }
  }
  return lines;
}

export async function paymentsImportCommand(
  env: { database: Database; clock?: Clock },
  opts: { file: string | undefined; dryRun: boolean; locale: Locale },
  io: Out,
): Promise<number> {
  if (!opts.file) throw new UsageError('Which file? allmenning payments import FILE [--dry-run]');
  const file = opts.file;
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`Cannot read ${file}.`);
  }
  const started = Date.now();
  const report = await importBankFile(
    { db: env.database.db, clock: env.clock ?? systemClock },
    {
      input: createReadStream(file, { highWaterMark: 64 * 1024 }),
      fileName: file,
      dryRun: opts.dryRun,
      actor: cliActor(),
      sha256: await sha256OfFile(file),
    },
  );
  for (const line of reportLines(report, opts.locale)) io.out(line);
  const nb = opts.locale === 'nb';
  if (report.dryRun && !report.alreadyImported)
    io.out(
      nb
        ? 'Prøvekjøring: ingenting er endret. Kjør uten --dry-run for å importere.'
        : 'Dry run: nothing has changed. Run without --dry-run to import.',
    );
  else if (report.committed) io.out(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

/** Runs `payments …` on an open database; null when the command is not ours. */
export async function runPaymentsCommand(
  env: { database: Database; clock?: Clock },
  argv: string[],
  io: Out,
): Promise<number | null> {
  if (argv[0] !== 'payments') return null;
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${PAYMENTS_HELP}`);
    return 2;
  }
  const { values, positionals } = args;
  const [, sub, file] = positionals;
  const locale = localeOf(values.lang);
  try {
    if (values.help) {
      io.out(PAYMENTS_HELP);
      return 0;
    }
    if (sub === 'import')
      return await paymentsImportCommand(env, { file, dryRun: !!values['dry-run'], locale }, io);
    throw new UsageError('Use "payments import FILE [--dry-run]".');
  } catch (err) {
    // A refused file gives its line or XML path and the reason; nothing was imported.
    return exitCodeFor(err, { io, locale, usage: PAYMENTS_HELP });
  }
}

/** The CLI entry for `payments …`: opens the configured database; null if not ours. */
export async function paymentsCli(argv: string[], io: Out = stdio): Promise<number | null> {
  if (argv[0] !== 'payments') return null;
  return withDatabase((database) => runPaymentsCommand({ database }, argv, io));
}
