import { pdfkit } from '../../app/lazy.js';
import { formatDate } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { formatBankAccount, formatNok, formatVatRate } from './invoice-format.js';
import type { Invoice, InvoiceLine, Party } from './invoices.repository.js';

/** What an invoice document shows: the invoice as issued, and what it refers to. */
export type InvoiceDocument = {
  invoice: Invoice;
  lines: InvoiceLine[];
  /** For a credit note: the number of the invoice it credits. */
  creditedNumber: number | null;
  /** The note from the billing settings printed on every invoice. */
  note: string | null;
};

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const RIGHT = A4.width - MARGIN;
const GREY = '#4a5460';

function addressLines(p: Party): string[] {
  const place = [p.postalCode, p.city].filter(Boolean).join(' ');
  return [p.addressLine, place, p.country].filter((l): l is string => !!l && l !== 'NO');
}

/**
 * Renders an invoice or credit note as an A4 PDF with the standard Helvetica font
 * (WinAnsi covers æ, ø and å). The same content as the HTML view; A4, one page for
 * any ordinary number of lines (more lines flow onto further pages).
 */
export function renderInvoicePdf(doc: InvoiceDocument, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { invoice, lines } = doc;
  const isCredit = invoice.kind === 'credit_note';
  const money = (ore: number) => formatNok(ore, locale);
  const PDFDocument = pdfkit();
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `${isCredit ? t('invoices.doc.credit_note') : t('invoices.doc.invoice')} ${invoice.number}`,
      Author: invoice.seller.name,
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  // Seller, top left.
  const seller = invoice.seller;
  pdf.font('Helvetica-Bold').fontSize(16).fillColor('black').text(seller.name, MARGIN, MARGIN, {
    width: 280,
  });
  pdf.font('Helvetica').fontSize(10);
  for (const line of addressLines(seller)) pdf.text(line, { width: 280 });
  if (seller.orgNumber)
    pdf.text(
      `${t('invoices.doc.org_number')} ${seller.orgNumber}${invoice.vatRegistered ? ' MVA' : ''}`,
      { width: 280 },
    );
  if (seller.email) pdf.text(seller.email, { width: 280 });
  const sellerBottom = pdf.y;

  // Title and facts, top right.
  const title = isCredit ? t('invoices.doc.credit_note') : t('invoices.doc.invoice');
  pdf
    .font('Helvetica-Bold')
    .fontSize(22)
    .text(title.toUpperCase(), 340, MARGIN, {
      width: RIGHT - 340,
      align: 'right',
    });
  const facts: [string, string][] = [
    [t('invoices.doc.number'), String(invoice.number)],
    [t('invoices.doc.issue_date'), formatDate(invoice.issueDate, locale)],
  ];
  if (!isCredit) facts.push([t('invoices.doc.due_date'), formatDate(invoice.dueDate, locale)]);
  if (invoice.buyer.memberNumber !== undefined)
    facts.push([t('invoices.doc.member_number'), String(invoice.buyer.memberNumber)]);
  if (invoice.kid) facts.push([t('invoices.doc.kid'), invoice.kid]);
  if (doc.creditedNumber !== null)
    facts.push([t('invoices.doc.credits_invoice'), String(doc.creditedNumber)]);
  let y = pdf.y + 6;
  pdf.fontSize(10);
  for (const [label, value] of facts) {
    pdf.font('Helvetica').fillColor(GREY).text(label, 340, y, { width: 100 });
    pdf
      .font('Helvetica')
      .fillColor('black')
      .text(value, 440, y, { width: RIGHT - 440, align: 'right' });
    y += 15;
  }

  // Buyer.
  y = Math.max(sellerBottom, y) + 25;
  const buyer = invoice.buyer;
  pdf.font('Helvetica').fontSize(9).fillColor(GREY).text(t('invoices.doc.to'), MARGIN, y);
  pdf.font('Helvetica-Bold').fontSize(11).fillColor('black').text(buyer.name, { width: 280 });
  pdf.font('Helvetica').fontSize(10);
  if (buyer.contactPerson) pdf.text(`${t('invoices.doc.attention')} ${buyer.contactPerson}`);
  for (const line of addressLines(buyer)) pdf.text(line, { width: 280 });
  if (buyer.orgNumber) pdf.text(`${t('invoices.doc.org_number')} ${buyer.orgNumber}`);

  // Lines.
  y = pdf.y + 25;
  const vat = invoice.vatRegistered;
  const cols = vat
    ? { desc: MARGIN, net: 265, rate: 345, vat: 405, gross: 475 }
    : { desc: MARGIN, net: 0, rate: 0, vat: 0, gross: 445 };
  const descWidth = (vat ? cols.net : cols.gross) - MARGIN - 10;
  const head = (text: string, x: number, right = true) =>
    pdf.text(text, x, y, { width: right ? RIGHT - x : descWidth, align: right ? 'right' : 'left' });
  const cell = (text: string, x: number, to: number) =>
    pdf.text(text, x, y, { width: to - x, align: 'right' });
  pdf.font('Helvetica-Bold').fontSize(9).fillColor('black');
  head(t('invoices.doc.description'), cols.desc, false);
  if (vat) {
    cell(t('invoices.doc.net'), cols.net, cols.rate - 5);
    cell(t('invoices.doc.vat_rate'), cols.rate, cols.vat - 5);
    cell(t('invoices.doc.vat'), cols.vat, cols.gross - 5);
  }
  head(t('invoices.doc.amount'), cols.gross);
  y += 14;
  pdf.moveTo(MARGIN, y).lineTo(RIGHT, y).strokeColor('#999999').lineWidth(0.5).stroke();
  y += 6;
  pdf.font('Helvetica').fontSize(10);
  for (const line of lines) {
    if (y > A4.height - 200) {
      pdf.addPage();
      y = MARGIN;
    }
    const height = pdf.heightOfString(line.description, { width: descWidth });
    pdf.text(line.description, cols.desc, y, { width: descWidth });
    if (vat) {
      cell(money(line.netOre), cols.net, cols.rate - 5);
      cell(formatVatRate(line.vatRateBp, locale), cols.rate, cols.vat - 5);
      cell(money(line.vatOre), cols.vat, cols.gross - 5);
    }
    cell(money(line.grossOre), cols.gross, RIGHT);
    y += Math.max(height, 12) + 6;
  }
  pdf.moveTo(MARGIN, y).lineTo(RIGHT, y).stroke();
  y += 8;

  // Totals.
  const total = (label: string, value: string, bold = false) => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 12 : 10);
    pdf.text(label, 300, y, { width: 170 });
    pdf.text(value, 470, y, { width: RIGHT - 470, align: 'right' });
    y += bold ? 18 : 14;
  };
  if (vat) {
    total(t('invoices.doc.net_total'), money(invoice.netOre));
    total(t('invoices.doc.vat_total'), money(invoice.vatOre));
  }
  total(t('invoices.doc.total'), money(invoice.totalOre), true);

  // Payment.
  y += 20;
  pdf.font('Helvetica').fontSize(10).fillColor('black');
  if (!isCredit) {
    const box = 70 + (invoice.orMore ? 14 : 0);
    pdf
      .rect(MARGIN, y, RIGHT - MARGIN, box)
      .strokeColor('#1d5c4d')
      .lineWidth(1)
      .stroke();
    let py = y + 10;
    const pay = (label: string, value: string) => {
      pdf
        .font('Helvetica')
        .fillColor(GREY)
        .text(label, MARGIN + 10, py, { width: 140 });
      pdf
        .font('Helvetica-Bold')
        .fillColor('black')
        .text(value, MARGIN + 150, py, { width: 300 });
      py += 15;
    };
    pay(t('invoices.doc.bank_account'), formatBankAccount(invoice.bankAccount));
    pay(t('invoices.doc.kid'), invoice.kid ?? '–');
    pay(
      t('invoices.doc.to_pay'),
      `${money(invoice.totalOre)} – ${formatDate(invoice.dueDate, locale)}`,
    );
    if (invoice.orMore)
      pdf
        .font('Helvetica')
        .fillColor('black')
        .text(t('invoices.doc.or_more_note'), MARGIN + 10, py, {
          width: RIGHT - MARGIN - 20,
        });
    y += box + 15;
  } else {
    pdf.text(t('invoices.doc.credit_note_text', { number: doc.creditedNumber ?? '–' }), MARGIN, y, {
      width: RIGHT - MARGIN,
    });
    y = pdf.y + 15;
  }
  if (!vat) {
    pdf
      .font('Helvetica')
      .fontSize(9)
      .fillColor(GREY)
      .text(t('invoices.doc.no_vat'), MARGIN, y, {
        width: RIGHT - MARGIN,
      });
    y = pdf.y + 8;
  }
  if (doc.note) {
    pdf
      .font('Helvetica')
      .fontSize(10)
      .fillColor('black')
      .text(doc.note, MARGIN, y, {
        width: RIGHT - MARGIN,
      });
  }

  // Footer.
  const footer = [
    seller.name,
    seller.orgNumber
      ? `${t('invoices.doc.org_number')} ${seller.orgNumber}${invoice.vatRegistered ? ' MVA' : ''}`
      : null,
    seller.email,
  ]
    .filter(Boolean)
    .join(' · ');
  pdf
    .font('Helvetica')
    .fontSize(8)
    .fillColor(GREY)
    .text(footer, MARGIN, A4.height - MARGIN - 12, {
      width: RIGHT - MARGIN,
      align: 'center',
      lineBreak: false,
    });
  pdf.end();
  return done;
}
