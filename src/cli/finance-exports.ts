import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { systemClock, type Clock } from '../app/clock.js';
import { isIsoDate } from '../app/dates.js';
import type { Database } from '../app/db.js';
import type { Locale } from '../app/errors.js';
import type { ExportRange } from '../modules/finance/exports.repository.js';
import { exportJournal, type JournalExportFormat } from '../modules/finance/exports.usecases.js';
import { encodeLatin1 } from '../modules/finance/gbat10.js';
import { currentFiscalYear } from '../modules/finance/reports.repository.js';
import { cliActor, type Out } from './commands.js';
import { UsageError } from './prompt.js';

// `allmenning journal export`: the journal of a fiscal year or a date range as CSV or
// GBAT10 (docs/finance-export.md), to a file or standard output.

export const FINANCE_EXPORT_HELP = `  journal export               The journal as CSV (UTF-8) or GBAT10 (ISO 8859-1),
      [--format csv|gbat10]    see docs/finance-export.md (default: csv).
      [--year YYYY | --from YYYY-MM-DD --to YYYY-MM-DD]
                               A fiscal year (default: the current one) or a range.
      [--out FILE]             Write to FILE instead of standard output.`;

export async function journalExportCommand(
  env: { database: Database; clock?: Clock },
  opts: {
    format: string | undefined;
    year: string | undefined;
    from: string | undefined;
    to: string | undefined;
    out: string | undefined;
    locale: Locale;
  },
  io: Out,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const deps = { db: env.database.db, clock: env.clock ?? systemClock };
  const format = (opts.format ?? 'csv') as JournalExportFormat;
  if (format !== 'csv' && format !== 'gbat10')
    throw new UsageError('--format takes csv or gbat10.');
  let range: ExportRange;
  if (opts.from !== undefined || opts.to !== undefined) {
    if (
      !opts.from ||
      !opts.to ||
      !isIsoDate(opts.from) ||
      !isIsoDate(opts.to) ||
      opts.from > opts.to
    )
      throw new UsageError('--from and --to take dates YYYY-MM-DD, from not after to.');
    range = { from: opts.from, to: opts.to };
  } else if (opts.year !== undefined) {
    if (!/^\d{4}$/.test(opts.year)) throw new UsageError('--year takes a year, e.g. --year 2025.');
    range = { year: Number(opts.year) };
  } else {
    range = { year: (await currentFiscalYear(deps.db, deps.clock.now())).year };
  }
  const { filename, chunks } = await exportJournal(deps, { actor: cliActor(), range, format });
  const target = opts.out ? createWriteStream(opts.out) : stdout;
  for await (const chunk of chunks) {
    const bytes = format === 'csv' ? Buffer.from(chunk, 'utf8') : encodeLatin1(chunk);
    if (!target.write(bytes)) await once(target, 'drain');
  }
  if (opts.out) {
    (target as ReturnType<typeof createWriteStream>).end();
    await once(target, 'finish');
    io.err(
      opts.locale === 'nb'
        ? `Skrev ${opts.out} (${filename}).`
        : `Wrote ${opts.out} (${filename}).`,
    );
  }
  return 0;
}
