import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { systemClock, type Clock } from '../app/clock.js';
import { loadConfig, type Config } from '../app/config.js';
import { formatDate } from '../app/dates.js';
import { type Database } from '../app/db.js';
import { type Locale } from '../app/errors.js';
import { translator } from '../app/i18n.js';
import type { DuesRun } from '../modules/billing/dues-run.repository.js';
import { runDues } from '../modules/billing/dues-run.usecases.js';
import { formatBankAccount, formatNok, formatVatRate } from '../modules/billing/invoice-format.js';
import { renderInvoicePdf } from '../modules/billing/invoice-pdf.js';
import { findInvoiceByNumber } from '../modules/billing/invoices.repository.js';
import { parseInvoiceNumber } from '../modules/billing/invoices.schemas.js';
import { loadInvoiceDetail, type InvoiceDetail } from '../modules/billing/invoices.usecases.js';
import { BillingErrors } from '../modules/billing/billing.errors.js';
import { cliActor, type Out } from './commands.js';
import { exitCodeFor, localeOf, stdio, withDatabase } from './cli-support.js';
import { UsageError } from './prompt.js';

// `allmenning dues run --year YYYY` and `allmenning invoices show NUMBER [--pdf FILE]`.

export const DUES_HELP = `  dues run --year YYYY         Create the year's dues invoices for every active member
                               whose type has a fee for the year (safe to run again).
  invoices show NUMBER         Print an invoice or credit note.
      [--pdf FILE]             Also write it as PDF to FILE.`;

const OPTIONS = {
  year: { type: 'string' },
  pdf: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Env = { database: Database; config: Config; clock?: Clock };

function progressLine(run: DuesRun): string {
  const done = run.createdCount + run.skippedCount;
  return `  ${done}/${run.dueCount} members: ${run.createdCount} invoices created, ${run.skippedCount} skipped`;
}

export async function duesRunCommand(env: Env, opts: { year: string | undefined }, io: Out) {
  const year = Number(opts.year);
  if (!opts.year || !Number.isInteger(year) || year < 2000 || year > 2200)
    throw new UsageError('Which year? allmenning dues run --year YYYY');
  const started = Date.now();
  let lastPrinted = 0;
  const run = await runDues(
    {
      db: env.database.db,
      clock: env.clock ?? systemClock,
      config: env.config,
      logger: pino({ level: 'silent' }),
      kickOutbox: () => undefined,
    },
    {
      actor: cliActor(),
      year,
      onProgress: (r) => {
        // One line a second is enough to see it move.
        if (Date.now() - lastPrinted < 1000) return;
        lastPrinted = Date.now();
        io.out(progressLine(r));
      },
    },
  );
  io.out(progressLine(run));
  io.out(
    `Dues run ${run.year} done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${run.createdCount} invoices created (${formatNok(run.totalOre, 'en')}), ${run.skippedCount} members already invoiced.`,
  );
  if (run.createdCount > 0)
    io.out('The invoice emails are queued; the server sends them (with the PDF) from its outbox.');
  return 0;
}

/** An invoice as plain text, the same content as its page. */
export function invoiceText(detail: InvoiceDetail, locale: Locale): string {
  const t = translator(locale);
  const { invoice } = detail;
  const money = (ore: number) => formatNok(ore, locale);
  const party = (p: typeof invoice.buyer, seller: boolean) =>
    [
      p.name,
      p.contactPerson ? `${t('invoices.doc.attention')} ${p.contactPerson}` : null,
      p.addressLine,
      [p.postalCode, p.city].filter(Boolean).join(' ') || null,
      p.orgNumber
        ? `${t('invoices.doc.org_number')} ${p.orgNumber}${seller && invoice.vatRegistered ? ' MVA' : ''}`
        : null,
      !seller && p.memberNumber !== undefined
        ? `${t('invoices.doc.member_number')} ${p.memberNumber}`
        : null,
    ]
      .filter((l): l is string => !!l)
      .map((l) => `  ${l}`)
      .join('\n');
  const isCredit = invoice.kind === 'credit_note';
  const out: string[] = [
    `${isCredit ? t('invoices.doc.credit_note') : t('invoices.doc.invoice')} ${invoice.number}`,
    `${t('invoices.doc.issue_date')}: ${formatDate(invoice.issueDate, locale)}`,
    isCredit
      ? `${t('invoices.doc.credits_invoice')}: ${detail.creditedNumber ?? '–'}`
      : `${t('invoices.doc.due_date')}: ${formatDate(invoice.dueDate, locale)}`,
    '',
    `${t('invoices.doc.from')}:`,
    party(invoice.seller, true),
    `${t('invoices.doc.to')}:`,
    party(invoice.buyer, false),
    '',
  ];
  for (const l of detail.lines)
    out.push(
      invoice.vatRegistered
        ? `  ${l.description}: ${money(l.grossOre)} (${t('invoices.doc.vat')} ${formatVatRate(l.vatRateBp, locale)}: ${money(l.vatOre)})`
        : `  ${l.description}: ${money(l.grossOre)}`,
    );
  out.push('');
  if (invoice.vatRegistered) {
    out.push(`${t('invoices.doc.net_total')}: ${money(invoice.netOre)}`);
    out.push(`${t('invoices.doc.vat_total')}: ${money(invoice.vatOre)}`);
  }
  out.push(`${t('invoices.doc.total')}: ${money(invoice.totalOre)}`);
  if (!isCredit) {
    out.push(`${t('invoices.doc.bank_account')}: ${formatBankAccount(invoice.bankAccount)}`);
    out.push(`${t('invoices.doc.kid')}: ${invoice.kid ?? '–'}`);
    if (invoice.orMore) out.push(t('invoices.doc.or_more_note'));
    out.push(
      `${t('invoices.payment.paid')}: ${money(invoice.paidOre)}; ${t('invoices.payment.outstanding')}: ${money(detail.outstandingOre)}`,
    );
  }
  if (detail.creditNotes.length > 0)
    out.push(
      `${t('invoices.payment.credit_notes')} ${detail.creditNotes.map((n) => n.number).join(', ')}`,
    );
  if (detail.note) out.push('', detail.note);
  return out.join('\n');
}

export async function invoiceShowCommand(
  env: Env,
  opts: { number: string | undefined; pdf: string | undefined; locale: Locale },
  io: Out,
) {
  const number = parseInvoiceNumber(opts.number);
  if (number === null) throw new UsageError('Which invoice? allmenning invoices show NUMBER');
  const invoice = await findInvoiceByNumber(env.database.db, number);
  if (!invoice) throw BillingErrors.invoiceNotFound();
  const detail = await loadInvoiceDetail(env.database.db, invoice);
  io.out(invoiceText(detail, opts.locale));
  if (opts.pdf) {
    await writeFile(opts.pdf, await renderInvoicePdf(detail, opts.locale));
    io.err(`Wrote ${opts.pdf}.`);
  }
  return 0;
}

/** Runs `dues …` / `invoices …` on an open database; null when the command is not ours. */
export async function runBillingCommand(env: Env, argv: string[], io: Out): Promise<number | null> {
  const [command] = argv;
  if (command !== 'dues' && command !== 'invoices') return null;
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${DUES_HELP}`);
    return 2;
  }
  const { values, positionals } = args;
  const [, sub, arg] = positionals;
  const locale = localeOf(values.lang);
  try {
    if (values.help) {
      io.out(DUES_HELP);
      return 0;
    }
    if (command === 'dues' && sub === 'run')
      return await duesRunCommand(env, { year: values.year }, io);
    if (command === 'invoices' && sub === 'show')
      return await invoiceShowCommand(env, { number: arg, pdf: values.pdf, locale }, io);
    throw new UsageError(`Use "dues run --year YYYY" or "invoices show NUMBER [--pdf FILE]".`);
  } catch (err) {
    return exitCodeFor(err, { io, locale, usage: DUES_HELP });
  }
}

/** The CLI entry for the dues commands: opens the configured database; null if not ours. */
export async function billingCli(argv: string[], io: Out = stdio): Promise<number | null> {
  if (argv[0] !== 'dues' && argv[0] !== 'invoices') return null;
  const config = loadConfig();
  return withDatabase((database) => runBillingCommand({ database, config }, argv, io));
}
