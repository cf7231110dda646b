import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../app/clock.js';
import type { Database } from '../app/db.js';
import type { Locale } from '../app/errors.js';
import { formatOre } from '../app/money.js';
import { fiscalYears, trialBalancePage } from '../modules/finance/journal-pages.usecases.js';
import { POSTING_KINDS, postAll } from '../modules/finance/posting.usecases.js';
import { exitCodeFor, localeOf, stdio, withDatabase } from './cli-support.js';
import { cliActor, type Out } from './commands.js';
import { FINANCE_EXPORT_HELP, journalExportCommand } from './finance-exports.js';
import { UsageError } from './prompt.js';

// `allmenning journal …`, `allmenning finance …`: posting, exports, reports.

export const FINANCE_HELP = `  journal post                 Post every invoice, credit note, payment, reversal and
                               expense claim not yet in the journal (the same as the
                               job that runs every ten minutes); prints the counts.
  journal trial-balance        Debit, credit and balance per account for a fiscal year.
      [--year YYYY]            The fiscal year (default: the current one).
${FINANCE_EXPORT_HELP}`;

const OPTIONS = {
  year: { type: 'string' },
  format: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Env = { database: Database; clock?: Clock };

const KIND_LABELS: Record<(typeof POSTING_KINDS)[number], { nb: string; en: string }> = {
  invoice: { nb: 'Fakturaer og kreditnotaer', en: 'Invoices and credit notes' },
  payment: { nb: 'Innbetalinger', en: 'Payments' },
  payment_reversal: { nb: 'Tilbakeførte innbetalinger', en: 'Payment reversals' },
  credit_transfer: { nb: 'Flytting av tilgodehavende', en: 'Member credit moved' },
  expense: { nb: 'Godkjente utlegg', en: 'Approved expense claims' },
  expense_payment: { nb: 'Utbetalte utlegg', en: 'Paid expense claims' },
};

export async function journalPostCommand(env: Env, locale: Locale, io: Out): Promise<number> {
  const started = Date.now();
  const counts = await postAll(
    { db: env.database.db, clock: env.clock ?? systemClock },
    { actor: cliActor() },
  );
  for (const kind of POSTING_KINDS) io.out(`${KIND_LABELS[kind][locale]}: ${counts.posted[kind]}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  io.out(
    locale === 'nb'
      ? `Bokført: ${counts.total} bilag i ${counts.batches} omganger (${seconds} s).`
      : `Posted: ${counts.total} entries in ${counts.batches} batches (${seconds} s).`,
  );
  if (counts.skipped > 0)
    io.err(
      locale === 'nb'
        ? `${counts.skipped} grunnlag kunne ikke bokføres; se loggen.`
        : `${counts.skipped} sources could not be posted; see the log.`,
    );
  return 0;
}

export async function trialBalanceCommand(
  env: Env,
  opts: { year: string | undefined; locale: Locale },
  io: Out,
): Promise<number> {
  const deps = { db: env.database.db, clock: env.clock ?? systemClock };
  if (opts.year !== undefined && !/^\d{4}$/.test(opts.year))
    throw new UsageError('--year takes a year, e.g. --year 2025.');
  const year = opts.year ? Number(opts.year) : (await fiscalYears(deps)).current;
  const tb = await trialBalancePage(deps, year);
  const nb = opts.locale === 'nb';
  const amount = (ore: number) => formatOre(ore, opts.locale).padStart(16);
  io.out(nb ? `Saldobalanse ${year}` : `Trial balance ${year}`);
  io.out(
    `${(nb ? 'Konto' : 'Account').padEnd(48)}${(nb ? 'Debet' : 'Debit').padStart(16)}${(nb ? 'Kredit' : 'Credit').padStart(16)}${'Saldo'.padStart(16)}`,
  );
  for (const r of tb.rows) {
    const name = (nb ? r.nameNb : r.nameEn) ?? '';
    io.out(
      `${`${r.account} ${name}`.slice(0, 47).padEnd(48)}${amount(r.debitOre)}${amount(r.creditOre)}${amount(r.balanceOre)}`,
    );
  }
  io.out(
    `${(nb ? 'Sum' : 'Total').padEnd(48)}${amount(tb.debitOre)}${amount(tb.creditOre)}${amount(tb.debitOre - tb.creditOre)}`,
  );
  if (tb.debitOre !== tb.creditOre) {
    io.err(nb ? 'Sum debet og sum kredit er ikke like!' : 'Total debit and credit differ!');
    return 1;
  }
  return 0;
}

/** Runs `journal …` on an open database; null when the command is not ours. */
export async function runFinanceCommand(env: Env, argv: string[], io: Out): Promise<number | null> {
  if (argv[0] !== 'journal') return null;
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${FINANCE_HELP}`);
    return 2;
  }
  const { values, positionals } = args;
  const [, sub] = positionals;
  const locale = localeOf(values.lang);
  try {
    if (values.help) {
      io.out(FINANCE_HELP);
      return 0;
    }
    switch (sub ?? '') {
      case 'post':
        return await journalPostCommand(env, locale, io);
      case 'trial-balance':
        return await trialBalanceCommand(env, { year: values.year, locale }, io);
      case 'export':
        return await journalExportCommand(
          env,
          {
            format: values.format,
            year: values.year,
            from: values.from,
            to: values.to,
            out: values.out,
            locale,
          },
          io,
        );
      default:
        throw new UsageError(
          'Use "journal post", "journal trial-balance [--year YYYY]" or "journal export".',
        );
    }
  } catch (err) {
    return exitCodeFor(err, { io, locale, usage: FINANCE_HELP });
  }
}

/** Runs the command if it is one of ours; undefined otherwise. */
export async function financeCli(argv: string[], io: Out = stdio): Promise<number | undefined> {
  if (argv[0] !== 'journal') return undefined;
  return withDatabase(async (database) => (await runFinanceCommand({ database }, argv, io)) ?? 2);
}
