import { z } from 'zod';

/** The longest text the minutes may have (a long general assembly is some 50 000). */
export const MAX_MINUTES_LENGTH = 200_000;

const revision = z.coerce.number().int().min(1).max(1_000_000);

export const editMinutesSchema = z.object({
  body: z
    .string()
    .max(MAX_MINUTES_LENGTH)
    .refine((v) => v.trim().length > 0, { message: 'form.required' }),
  revision,
});

export const confirmersSchema = z.object({
  first: z.string().trim().min(1).max(40),
  second: z.string().trim().min(1).max(40),
});

export const revisionSchema = z.object({ revision });

export const emptySchema = z.object({});
