import { z } from 'zod';
import { checkbox, formText, optionalText } from '../../app/forms.js';
import { isIsoDate } from '../../app/dates.js';
import { compactDigits, isValidOrgNumber } from '../../app/norwegian.js';
import { MEMBER_STATUSES, OFFICES } from './members.tables.js';

/** A member id in a URL: 26 characters of the id alphabet; anything else is a 404. */
export const isMemberId = (id: string): boolean => /^[0-9a-z]{26}$/.test(id);

const orgNumber = z
  .string()
  .optional()
  .transform((v) => (v ? compactDigits(v) : ''))
  .refine((v) => v === '' || isValidOrgNumber(v), { message: 'members.org_number_invalid' })
  .transform((v) => (v === '' ? null : v));

const dateField = z
  .string()
  .trim()
  .refine((v) => isIsoDate(v), { message: 'form.invalid_date' });

const optionalDate = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || isIsoDate(v), { message: 'form.invalid_date' })
  .transform((v) => (v ? v : null));

/** Contact details a member gives and the board may correct. */
const contactFields = {
  name: formText(120),
  phone: z
    .string()
    .trim()
    .max(30)
    .optional()
    .refine((v) => !v || /^\+?[0-9 ()-]{5,}$/.test(v), { message: 'members.phone_invalid' })
    .transform((v) => (v ? v : null)),
  address_line: formText(200),
  postal_code: formText(10),
  city: formText(80),
  country: optionalText(80),
  org_number: orgNumber,
  contact_person: optionalText(120),
};

const mustAccept = checkbox().refine((v) => v, { message: 'members.apply.must_accept' });

export const applySchema = z.object({
  type: z
    .string({ error: 'members.apply.choose_type' })
    .trim()
    .min(1, { message: 'members.apply.choose_type' })
    .max(40),
  ...contactFields,
  note: optionalText(2000),
  accept_statutes: mustAccept,
  accept_aup: mustAccept,
  statutes_id: z.string().max(40).optional(),
  aup_id: z.string().max(40).optional(),
});
export type ApplyInput = z.output<typeof applySchema>;

export const editMemberSchema = z.object({
  type: z.string().trim().min(1).max(40),
  ...contactFields,
  address_line: optionalText(200),
  postal_code: optionalText(10),
  city: optionalText(80),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email().max(254).nullable()),
});
export type EditMemberInput = z.output<typeof editMemberSchema>;

/** Where a decision on an application was made, so an error re-renders that page. */
export const backField = z.enum(['applications', 'member']).catch('member');

export const approveSchema = z.object({ back: backField });
export const refuseSchema = z.object({ back: backField, reason: formText(2000) });

export const statusSchema = z.object({
  to: z.enum(MEMBER_STATUSES),
  reason: optionalText(2000),
});

export const resignSchema = z.object({
  confirm: checkbox().refine((v) => v, { message: 'members.resign.must_confirm' }),
  reason: optionalText(2000),
});

export const officeSchema = z
  .object({
    office: z.enum(OFFICES),
    starts_on: dateField,
    ends_on: optionalDate,
    note: optionalText(200),
  })
  .refine((v) => v.ends_on === null || v.ends_on >= v.starts_on, {
    message: 'members.office.ends_before_start',
    path: ['ends_on'],
  });

export const endTermSchema = z.object({ ends_on: dateField });

export const typeActiveSchema = z.object({
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});
