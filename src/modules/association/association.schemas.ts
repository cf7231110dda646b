import { z } from 'zod';
import { checkbox, optionalText } from '../../app/forms.js';
import { compactDigits, isValidOrgNumber } from '../../app/norwegian.js';
import { emailField, handleField, nameField, passwordField } from '../accounts/accounts.schemas.js';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const orgNumberField = z
  .string()
  .optional()
  .transform((v) => (v ? compactDigits(v) : ''))
  .refine((v) => v === '' || isValidOrgNumber(v), { message: 'association.org_number_invalid' })
  .transform((v) => (v === '' ? null : v));

export const associationFields = {
  name: z.string().trim().min(2).max(120),
  org_number: orgNumberField,
  address_line: optionalText(200),
  postal_code: optionalText(10),
  city: optionalText(80),
  email: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email().nullable()),
  year_start_month: z.coerce.number().int().min(1).max(12),
  time_zone: z
    .string()
    .trim()
    .min(1)
    .refine(isTimeZone, { message: 'association.time_zone_invalid' }),
  default_locale: z.enum(['nb', 'en']),
  vat_registered: checkbox(),
  require_approval: checkbox(),
};

export const settingsSchema = z.object(associationFields);

export const setupSchema = z.object({
  ...associationFields,
  admin_name: nameField,
  admin_handle: handleField,
  admin_email: emailField,
  admin_password: passwordField,
  admin_is_member: checkbox(),
});
export type SetupInput = z.output<typeof setupSchema>;
