import { z } from 'zod';
import { parseKroner } from '../../app/money.js';
import { VAT_RATES_BP } from './vat.js';

const optionalInt = (min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): number | undefined => {
      if (!v) return undefined;
      const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: 'form.invalid_number' });
        return z.NEVER;
      }
      return n;
    });

export const INVOICE_PURPOSES = ['dues', 'reminder_fee', 'other'] as const;
export const INVOICE_STATUSES = ['open', 'paid', 'overdue', 'credited'] as const;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.enum(values).optional());

/** The invoice list's filters, from the query string (page and API alike). */
export const invoiceListQuery = z.object({
  year: optionalInt(2000, 2200),
  purpose: optionalEnum(INVOICE_PURPOSES),
  status: optionalEnum(INVOICE_STATUSES),
  member: optionalInt(1, 999_999_999),
  number: optionalInt(1, 999_999_999),
  page: optionalInt(1, 1_000_000),
});
export type InvoiceListQuery = z.output<typeof invoiceListQuery>;

export const creditSchema = z.object({ reason: z.string().trim().min(1).max(500) });

/** An invoice number in a path: digits only. */
export function parseInvoiceNumber(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}

/** Lines the one-off invoice form offers (fixed rows: it works without JavaScript). */
export const ADHOC_FORM_ROWS = 3;
export const ADHOC_MAX_LINES = 10;
const isVatRate = (v: number) => (VAT_RATES_BP as readonly number[]).includes(v);

export type AdHocLine = { description: string; grossOre: number; vatRateBp: number };

/**
 * The one-off invoice form: rows l0…l2 of description, amount in kroner (quantity 1) and
 * VAT rate. Empty rows are skipped; a half-filled row is an error on its fields.
 */
export const adHocInvoiceFormSchema = z
  .record(z.string(), z.string())
  .transform((v, ctx): AdHocLine[] => {
    const lines: AdHocLine[] = [];
    for (let i = 0; i < ADHOC_FORM_ROWS; i++) {
      const field = (name: string) => (v[`l${i}_${name}`] ?? '').trim();
      const description = field('description');
      const amount = field('amount');
      if (!description && !amount) continue;
      const issue = (name: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [`l${i}_${name}`], message });
      if (!description) issue('description', 'form.required');
      if (description.length > 200) issue('description', 'invoices.adhoc.description_too_long');
      const ore = amount ? parseKroner(amount) : null;
      if (!amount) issue('amount', 'form.required');
      else if (ore === null) issue('amount', 'invoices.amount_invalid');
      else if (ore <= 0 || ore > 100_000_000) issue('amount', 'invoices.adhoc.amount_range');
      const rate = Number(field('vat') || '0');
      if (!Number.isInteger(rate) || !isVatRate(rate)) issue('vat', 'form.invalid_choice');
      lines.push({ description, grossOre: ore ?? 0, vatRateBp: rate });
    }
    if (lines.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['l0_description'],
        message: 'invoices.adhoc.no_lines',
      });
    return lines;
  });

/** The same over the API: the member by number, lines in øre (quantity 1). */
export const adHocInvoiceApiSchema = z.object({
  member_number: z.number().int().min(1),
  lines: z
    .array(
      z.object({
        description: z.string().trim().min(1).max(200),
        amount_ore: z.number().int().min(1).max(100_000_000),
        vat_rate_bp: z
          .number()
          .int()
          .refine(isVatRate, { message: 'form.invalid_choice' })
          .default(0),
      }),
    )
    .min(1)
    .max(ADHOC_MAX_LINES),
});
