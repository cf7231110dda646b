import { z } from 'zod';
import { checkbox } from '../../app/forms.js';
import { parseUriList, uriProblem } from './uri-rules.js';

/** The scopes a client may be given; each unlocks the claims of the same name. */
export const CLIENT_SCOPES = [
  'openid',
  'profile',
  'email',
  'groups',
  'membership',
  'offline_access',
] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export type ClientInput = {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scopes: ClientScope[];
  firstParty: boolean;
};

const uriList = (required: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const { uris, problem } = parseUriList(v ?? '');
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (required && uris.length === 0)
        ctx.addIssue({ code: 'custom', message: 'clients.uri.required' });
      else if (uris.length > 20) ctx.addIssue({ code: 'custom', message: 'clients.uri.too_many' });
      return uris;
    });

const clientFields = {
  name: z.string().trim().min(1).max(100),
  redirectUris: uriList(true),
  postLogoutRedirectUris: uriList(false),
  backchannelLogoutUri: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => (v ? v : null))
    .superRefine((v, ctx) => {
      const problem = v ? uriProblem(v) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  scopes: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',') : []))
    .pipe(z.array(z.enum(CLIENT_SCOPES)))
    .superRefine((v, ctx) => {
      if (!v.includes('openid'))
        ctx.addIssue({ code: 'custom', message: 'clients.field.openid_required' });
    }),
  firstParty: checkbox(),
};

/** The edit form (a client's type is chosen once, when it is made). */
export const clientEditSchema = z.object(clientFields);

/** The create form: the same, and confidential (a secret) or public (PKCE, no secret). */
export const clientCreateSchema = z.object({
  ...clientFields,
  type: z.enum(['confidential', 'public']),
});

/** Joins the form's scope checkboxes (scope_<name>) into one `scopes` value. */
export function withScopes(values: Record<string, string>): Record<string, string> {
  const ticked = CLIENT_SCOPES.filter((s) => values[`scope_${s}`] === 'on');
  return { ...values, scopes: ticked.join(',') };
}
