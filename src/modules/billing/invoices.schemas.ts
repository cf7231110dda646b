import { z } from 'zod';

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
