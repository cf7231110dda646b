import { z } from 'zod';
import { checkbox, optionalText } from '../../app/forms.js';
import { orgNumberField } from '../association/association.schemas.js';

/** Phone numbers as people write them: digits, spaces, dashes, brackets, a leading +. */
export const phoneField = z
  .string()
  .trim()
  .max(30)
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^\+?[0-9][0-9 ()-]{3,24}$/.test(v), {
    message: 'profile.phone_invalid',
  });

export const profileSchema = z.object({
  name: z.string().trim().min(1).max(120),
  phone: phoneField,
  address_line: optionalText(200),
  postal_code: optionalText(12),
  city: optionalText(80),
  country: optionalText(60),
  // Only organisation members see these two; the use-case ignores them for persons.
  org_number: orgNumberField,
  contact_person: optionalText(120),
});
export type ProfileInput = z.output<typeof profileSchema>;

export const eraseSchema = z.object({
  current_password: z.string().min(1).max(200),
  confirm: checkbox().refine((v) => v, { message: 'profile.erase.confirm_required' }),
});
