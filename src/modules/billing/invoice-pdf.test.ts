import { describe, expect, it } from 'vitest';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf.js';
import type { Invoice, InvoiceLine } from './invoices.repository.js';
import { formatBankAccount, formatVatRate } from './invoice-format.js';

function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: '01jbxxxxxxxxxxxxxxxxxxxxxx',
    number: 42,
    kind: 'invoice',
    creditedInvoiceId: null,
    memberId: 'm1',
    purpose: 'dues',
    year: 2026,
    duesKey: null,
    duesRunId: null,
    issueDate: '2026-03-02',
    dueDate: '2026-03-16',
    kid: '000420000426',
    bankAccount: '86011117947',
    seller: {
      name: 'Æ Ø Å Datafellesskap',
      addressLine: 'Storgata 1',
      postalCode: '0155',
      city: 'Oslo',
      orgNumber: '974760673',
      email: 'styret@example.org',
    },
    buyer: {
      name: 'Åse Ødegård Ærlig',
      addressLine: 'Bjørnstjerne Bjørnsons gate 2',
      postalCode: '3044',
      city: 'Drammen',
      orgNumber: null,
      memberNumber: 42,
      contactPerson: null,
    },
    vatRegistered: true,
    orMore: false,
    netOre: 51000,
    vatOre: 9000,
    totalOre: 60000,
    paidOre: 0,
    creditedOre: 0,
    settledAt: null,
    createdAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

const lines: InvoiceLine[] = [
  {
    position: 1,
    description: 'Medlemskontingent 2026',
    grossOre: 15000,
    vatRateBp: 0,
    vatOre: 0,
    netOre: 15000,
  },
  {
    position: 2,
    description: 'Tjenesteavgift 2026 – æøå ÆØÅ',
    grossOre: 45000,
    vatRateBp: 2500,
    vatOre: 9000,
    netOre: 36000,
  },
];

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('invoice PDF', () => {
  it("renders 'Æ Ø Å' with the standard Helvetica without throwing, on one A4 page", async () => {
    const doc: InvoiceDocument = {
      invoice: invoice(),
      lines,
      creditedNumber: null,
      note: 'Æ Ø Å – spørsmål?',
    };
    for (const locale of ['nb', 'en'] as const) {
      const pdf = await renderInvoicePdf(doc, locale);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pages(pdf)).toBe(1);
      expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
      expect(pdf.toString('latin1')).toContain('/BaseFont /Helvetica');
    }
  });

  it('renders without VAT, a credit note, "or more", characters outside WinAnsi, and many lines', async () => {
    const plain = await renderInvoicePdf(
      {
        invoice: invoice({ vatRegistered: false, orMore: true }),
        lines,
        creditedNumber: null,
        note: null,
      },
      'nb',
    );
    expect(plain.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const credit = await renderInvoicePdf(
      {
        invoice: invoice({ kind: 'credit_note', kid: null, totalOre: -60000 }),
        lines,
        creditedNumber: 41,
        note: null,
      },
      'en',
    );
    expect(credit.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const odd = await renderInvoicePdf(
      {
        invoice: invoice({ buyer: { ...invoice().buyer, name: 'Łukasz 中文 😀' } }),
        lines,
        creditedNumber: null,
        note: null,
      },
      'nb',
    );
    expect(odd.length).toBeGreaterThan(500);
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...lines[0]!,
      position: i + 1,
      description: `Linje ${i + 1}`,
    }));
    const long = await renderInvoicePdf(
      { invoice: invoice(), lines: many, creditedNumber: null, note: null },
      'nb',
    );
    expect(pages(long)).toBeGreaterThan(1);
  });

  it('formats the bank account 4.2.5 and VAT rates', () => {
    expect(formatBankAccount('86011117947')).toBe('8601.11.17947');
    expect(formatVatRate(2500, 'nb')).toBe('25 %');
    expect(formatVatRate(1200, 'en')).toBe('12%');
  });
});
