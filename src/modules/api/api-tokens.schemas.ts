import { z } from 'zod';
import { optionalText } from '../../app/forms.js';
import { API_SCOPE_NAMES, type ApiScope } from '../../app/policy.js';

/** Each scope is its own checkbox; the field name avoids the colon. */
export function scopeField(scope: ApiScope): string {
  return `scope_${scope.replace(/[^a-z]/g, '_')}`;
}

/** The checked scopes, gathered into one comma-separated `scopes` value before parsing. */
export function withScopes(values: Record<string, string>): Record<string, string> {
  const chosen = API_SCOPE_NAMES.filter((s) => {
    const v = values[scopeField(s)];
    return v === 'on' || v === 'true';
  });
  return { ...values, scopes: chosen.join(',') };
}

export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(80),
  owner: optionalText(254),
  scopes: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '').split(',').filter((s): s is ApiScope => API_SCOPE_NAMES.includes(s as ApiScope)),
    )
    .refine((list) => list.length > 0, { message: 'admin.tokens.scopes_required' }),
  expires_days: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 3650), {
      message: 'admin.tokens.expiry_invalid',
    })
    .transform((v) => (v ? Number(v) : null)),
});
export type CreateTokenInput = z.output<typeof createTokenSchema>;
