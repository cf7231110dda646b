export type Locale = 'nb' | 'en';
export type Translations = Record<Locale, string>;

/**
 * The one error type. `code` is stable and dotted (`members.not_found`), the message is
 * user-facing in both languages, `fields` carries per-field messages for forms.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messages: Translations;
  readonly params: Record<string, string | number>;
  readonly fields: Record<string, Translations> | undefined;

  constructor(opts: {
    code: string;
    status: number;
    messages: Translations;
    params?: Record<string, string | number>;
    fields?: Record<string, Translations>;
  }) {
    super(`${opts.code}: ${interpolate(opts.messages.en, opts.params ?? {})}`);
    this.name = 'AppError';
    this.code = opts.code;
    this.status = opts.status;
    this.messages = opts.messages;
    this.params = opts.params ?? {};
    this.fields = opts.fields;
  }

  message_(locale: Locale): string {
    return interpolate(this.messages[locale], this.params);
  }
}

export function interpolate(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/**
 * Declares an error once, in a domain's `*.errors.ts`; calling the result makes a fresh
 * AppError (with optional message parameters and per-field messages).
 */
export function defineError(code: string, status: number, messages: Translations) {
  const make = (params?: Record<string, string | number>, fields?: Record<string, Translations>) =>
    new AppError({
      code,
      status,
      messages,
      ...(params ? { params } : {}),
      ...(fields ? { fields } : {}),
    });
  make.code = code;
  return make;
}

/** Errors every domain shares. */
export const CommonErrors = {
  validation: defineError('common.validation', 400, {
    nb: 'Noen felt må rettes.',
    en: 'Some fields need correcting.',
  }),
  invalidJson: defineError('common.invalid_json', 400, {
    nb: 'Innholdet er ikke gyldig JSON.',
    en: 'The request body is not valid JSON.',
  }),
  notFound: defineError('common.not_found', 404, {
    nb: 'Siden finnes ikke.',
    en: 'Page not found.',
  }),
  unauthenticated: defineError('common.unauthenticated', 401, {
    nb: 'Du må logge inn.',
    en: 'You need to log in.',
  }),
  forbidden: defineError('common.forbidden', 403, {
    nb: 'Du har ikke tilgang til dette.',
    en: 'You do not have access to this.',
  }),
  csrf: defineError('common.csrf', 403, {
    nb: 'Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen.',
    en: 'The form had expired or was invalid. Reload the page and try again.',
  }),
  conflict: defineError('common.conflict', 409, {
    nb: 'Dette finnes allerede.',
    en: 'This already exists.',
  }),
  tooLarge: defineError('common.too_large', 413, {
    nb: 'Forespørselen er for stor.',
    en: 'The request is too large.',
  }),
  internal: defineError('common.internal', 500, {
    nb: 'Noe gikk galt hos oss. Prøv igjen om litt.',
    en: 'Something went wrong on our side. Please try again shortly.',
  }),
  setupRequired: defineError('common.setup_required', 503, {
    nb: 'Allmenning er ikke satt opp ennå.',
    en: 'Allmenning has not been set up yet.',
  }),
};
