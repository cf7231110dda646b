import { z } from 'zod';
import { parseKroner } from '../../app/money.js';
import type { NewFeeComponent } from './fees.repository.js';
import { VAT_RATES_BP } from './vat.js';

/** Rows the fee form offers (it works without JavaScript, so the rows are fixed). */
export const FEE_FORM_ROWS = 6;
export const MAX_FEE_COMPONENTS = 10;

export const feeYear = z.coerce
  .number()
  .int()
  .min(2000, { message: 'invoices.fees.year_invalid' })
  .max(2200, { message: 'invoices.fees.year_invalid' });

const isVatRate = (v: number) => (VAT_RATES_BP as readonly number[]).includes(v);

/**
 * The fee form: rows c0…c5 of name (nb, en), amount in kroner, VAT rate and "or more".
 * Empty rows are skipped; a row half filled is an error on its fields.
 */
export const feeFormSchema = z
  .record(z.string(), z.string())
  .transform((v, ctx): NewFeeComponent[] => {
    const components: NewFeeComponent[] = [];
    for (let i = 0; i < FEE_FORM_ROWS; i++) {
      const field = (name: string) => (v[`c${i}_${name}`] ?? '').trim();
      const nameNb = field('name_nb');
      const nameEn = field('name_en');
      const amount = field('amount');
      if (!nameNb && !nameEn && !amount) continue;
      const issue = (name: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [`c${i}_${name}`], message });
      if (!nameNb) issue('name_nb', 'form.required');
      if (nameNb.length > 100) issue('name_nb', 'invoices.fees.name_too_long');
      if (nameEn.length > 100) issue('name_en', 'invoices.fees.name_too_long');
      const ore = amount ? parseKroner(amount) : null;
      if (!amount) issue('amount', 'form.required');
      else if (ore === null) issue('amount', 'invoices.amount_invalid');
      else if (ore === 0) issue('amount', 'invoices.fees.amount_zero');
      const rate = Number(field('vat') || '0');
      if (!Number.isInteger(rate) || !isVatRate(rate)) issue('vat', 'form.invalid_choice');
      components.push({
        nameNb,
        nameEn: nameEn || nameNb,
        amountOre: ore ?? 0,
        vatRateBp: rate,
        orMore: field('or_more') === 'on',
      });
    }
    return components;
  });

/** The API's body for one type's components in a year. */
export const feeComponentsBody = z.object({
  components: z
    .array(
      z.object({
        nameNb: z.string().trim().min(1).max(100),
        nameEn: z.string().trim().max(100).optional(),
        amountOre: z.number().int().min(1).max(100_000_000),
        vatRateBp: z.number().int().refine(isVatRate, { message: 'form.invalid_choice' }),
        orMore: z.boolean().optional(),
      }),
    )
    .max(MAX_FEE_COMPONENTS),
});

export const copyFeesSchema = z.object({ from: feeYear, to: feeYear });
