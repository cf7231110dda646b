import { formatDate } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { translator, type MessageKey } from '../../app/i18n.js';
import { pdfkit } from '../../app/lazy.js';
import { formatOre } from '../../app/money.js';
import type { Pair, StatementGroup, StatementLine } from './reports.statements.js';
import type { AnnualReport } from './reports.usecases.js';

// The annual accounts as an A4 PDF for the auditor and the general assembly: the income
// statement and the balance sheet with last year's figures, in the style of the invoice
// PDF (Helvetica, whose WinAnsi encoding covers æ, ø and å).

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const RIGHT = A4.width - MARGIN;
const GREY = '#4a5460';
const COL_CURRENT = 360;
const COL_PREVIOUS = 460;

export function renderAnnualPdf(
  report: AnnualReport,
  opts: {
    associationName: string;
    locale: Locale;
    printedOn: string;
    yearLabel: (y: number) => string;
  },
): Promise<Buffer> {
  const t = translator(opts.locale);
  const money = (ore: number) => formatOre(ore, opts.locale);
  const PDFDocument = pdfkit();
  const year = report.bounds.year;
  const title = `${t('finance.reports.income_statement')} / ${t('finance.reports.balance_sheet')} ${opts.yearLabel(year)}`;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: title, Author: opts.associationName },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const label = (l: StatementLine) => {
    if (l.account === 'result_of_year') return t('finance.reports.result_of_year');
    if (l.account === 'earlier_results') return t('finance.reports.earlier_results');
    return l.name ? `${l.account} ${l.name[opts.locale]}` : l.account;
  };
  let y = MARGIN;
  const ensure = (h: number) => {
    if (y + h > A4.height - MARGIN) {
      pdf.addPage();
      y = MARGIN;
    }
  };
  const row = (text: string, amount: Pair | null, bold = false, indent = 0) => {
    ensure(16);
    pdf
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10)
      .fillColor('black');
    pdf.text(text, MARGIN + indent, y, { width: COL_CURRENT - MARGIN - indent - 10 });
    const h = Math.max(14, pdf.y - y);
    if (amount) {
      pdf.text(money(amount.current), COL_CURRENT, y, {
        width: COL_PREVIOUS - COL_CURRENT - 10,
        align: 'right',
      });
      pdf.text(money(amount.previous), COL_PREVIOUS, y, {
        width: RIGHT - COL_PREVIOUS,
        align: 'right',
      });
    }
    y += h + 2;
  };
  const rule = () => {
    pdf.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor(GREY).stroke();
    y += 4;
  };
  const heading = (text: string) => {
    ensure(60);
    y += 10;
    pdf.font('Helvetica-Bold').fontSize(14).fillColor('black').text(text, MARGIN, y);
    y = pdf.y + 4;
    pdf.font('Helvetica').fontSize(9).fillColor(GREY);
    pdf.text(opts.yearLabel(year), COL_CURRENT, y, {
      width: COL_PREVIOUS - COL_CURRENT - 10,
      align: 'right',
    });
    pdf.text(opts.yearLabel(year - 1), COL_PREVIOUS, y, {
      width: RIGHT - COL_PREVIOUS,
      align: 'right',
    });
    y = pdf.y + 4;
    rule();
  };
  const group = (titleText: string, g: StatementGroup) => {
    row(titleText, null, true);
    for (const l of g.lines) row(label(l), l.amount, false, 10);
    row(t('finance.reports.sum'), g.total, true, 10);
    y += 4;
  };

  pdf.font('Helvetica-Bold').fontSize(18).fillColor('black').text(opts.associationName, MARGIN, y);
  y = pdf.y + 2;
  pdf.font('Helvetica').fontSize(10).fillColor(GREY);
  pdf.text(
    t('finance.reports.period', {
      from: formatDate(report.bounds.startsOn, opts.locale),
      to: formatDate(report.bounds.endsOn, opts.locale),
    }),
    MARGIN,
    y,
    { width: RIGHT - MARGIN },
  );
  y = pdf.y + 2;
  pdf.text(
    t('finance.reports.printed', { date: formatDate(opts.printedOn, opts.locale) }),
    MARGIN,
    y,
  );
  y = pdf.y + 6;

  const s = report.incomeStatement;
  heading(t('finance.reports.income_statement'));
  group(t('finance.reports.income'), s.income);
  for (const g of s.costs) group(t(`finance.reports.class.${g.key}` as MessageKey), g);
  rule();
  row(t('finance.reports.total_income'), s.totalIncome);
  row(t('finance.reports.total_costs'), s.totalCosts);
  row(t('finance.reports.result'), s.result, true);

  const b = report.balanceSheet;
  heading(t('finance.reports.balance_sheet'));
  row(t('finance.reports.assets'), null, true);
  for (const g of b.assets) group(t(`finance.reports.group.${g.key}` as MessageKey), g);
  row(t('finance.reports.total_assets'), b.totalAssets, true);
  y += 8;
  row(t('finance.reports.equity_and_liabilities'), null, true);
  group(t('finance.reports.equity'), b.equity);
  for (const g of b.liabilities) group(t(`finance.reports.group.${g.key}` as MessageKey), g);
  row(t('finance.reports.total_equity_and_liabilities'), b.totalEquityAndLiabilities, true);
  if (!b.balanced) {
    y += 8;
    row(t('finance.reports.unbalanced'), null, true);
  }

  pdf.end();
  return done;
}
