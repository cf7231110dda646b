import { formatInstant } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { pdfkit } from '../../app/lazy.js';

// The locked minutes as an A4 PDF, in the style of the invoice and the annual accounts
// (pdfkit, the standard Helvetica, whose WinAnsi encoding covers æ, ø and å): the text
// with its "#" headings and "- " lists, then who confirmed it and when, and the checksum.

const MARGIN = 56;
const GREY = '#4a5460';

export function renderMinutesPdf(opts: {
  associationName: string;
  title: string;
  body: string;
  confirmers: { name: string; confirmedAt: string | null }[];
  lockedAt: string | null;
  sha256: string | null;
  locale: Locale;
  timeZone: string;
}): Promise<Buffer> {
  const t = translator(opts.locale);
  const PDFDocument = pdfkit();
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: opts.title, Author: opts.associationName },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;
  const when = (iso: string) => formatInstant(iso, opts.timeZone, opts.locale);

  pdf
    .font('Helvetica')
    .fontSize(9)
    .fillColor(GREY)
    .text(`${opts.associationName} · ${t('minutes.title')}: ${opts.title}`, MARGIN, MARGIN, {
      width,
    });
  pdf.moveDown(1);

  // The flowing text API adds pages by itself.
  for (const line of opts.body.split('\n')) {
    if (line.trim() === '') {
      pdf.moveDown(0.5);
      continue;
    }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      if (level > 1) pdf.moveDown(0.3);
      pdf
        .font('Helvetica-Bold')
        .fontSize(level === 1 ? 16 : level === 2 ? 13 : 11)
        .fillColor('black')
        .text(heading[2]!, MARGIN, undefined, { width });
      continue;
    }
    pdf.font('Helvetica').fontSize(10).fillColor('black');
    if (line.startsWith('- '))
      pdf.text(`•  ${line.slice(2)}`, MARGIN + 12, undefined, { width: width - 12 });
    else pdf.text(line, MARGIN, undefined, { width });
  }

  pdf.moveDown(1.5);
  pdf
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor('black')
    .text(t('minutes.confirmed_by'), MARGIN, undefined, { width });
  pdf.font('Helvetica').fontSize(10);
  for (const c of opts.confirmers)
    pdf.text(
      c.confirmedAt
        ? t('minutes.pdf.confirmed', { name: c.name, when: when(c.confirmedAt) })
        : `${c.name}, ${t('minutes.confirmers.pending')}`,
      MARGIN,
      undefined,
      { width },
    );
  if (opts.lockedAt && opts.sha256) {
    pdf.moveDown(1);
    pdf
      .fontSize(8)
      .fillColor(GREY)
      .text(
        t('minutes.pdf.locked', { when: when(opts.lockedAt), sha: opts.sha256 }),
        MARGIN,
        undefined,
        { width },
      );
  }
  pdf.end();
  return done;
}
