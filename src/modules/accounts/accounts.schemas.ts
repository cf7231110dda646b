import { z } from 'zod';

export const RESERVED_HANDLES = new Set([
  'admin',
  'administrator',
  'root',
  'system',
  'support',
  'styret',
  'board',
  'postmaster',
  'abuse',
  'noreply',
  'security',
  'api',
  'oidc',
]);

export const emailField = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordField = z.string().min(10).max(200);
export const handleField = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, { message: 'accounts.handle_invalid' })
  .refine((h) => !RESERVED_HANDLES.has(h), { message: 'accounts.handle_reserved' });
export const nameField = z.string().trim().min(1).max(120);

export const signupSchema = z.object({
  name: nameField,
  handle: handleField,
  email: emailField,
  password: passwordField,
});

export const loginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  next: z.string().optional(),
});

export const forgotSchema = z.object({ email: emailField });
export const resetSchema = z.object({
  token: z.string().min(10).max(200),
  password: passwordField,
});
export const changePasswordSchema = z.object({
  current_password: z.string().min(1).max(200),
  password: passwordField,
});
export const changeEmailSchema = z.object({
  email: emailField,
  current_password: z.string().min(1).max(200),
});
export const preferencesSchema = z.object({ name: nameField, locale: z.enum(['nb', 'en']) });
