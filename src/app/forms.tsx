import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { AppEnv } from './context.js';
import { AppError, type Locale } from './errors.js';
import type { MessageKey, T } from './i18n.js';
import { dictionaries } from './messages.js';

/** What a form shows again after a failed submit: the input kept, messages per field. */
export type FormState = {
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string | undefined;
};

export const emptyForm = (values: Record<string, string> = {}): FormState => ({
  values,
  errors: {},
});

/** Translates one zod issue. A custom refinement may carry a message key as its message. */
export function issueMessage(issue: z.core.$ZodIssue, t: T): string {
  if (issue.message && issue.message in dictionaries.nb) return t(issue.message as MessageKey);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1
          ? t('form.required')
          : t('form.too_short', { min: Number(issue.minimum) });
      return t('form.invalid_number');
    case 'too_big':
      if (issue.origin === 'string') return t('form.too_long', { max: Number(issue.maximum) });
      return t('form.invalid_number');
    case 'invalid_format':
      return issue.format === 'email' ? t('form.invalid_email') : t('form.invalid');
    case 'invalid_value':
      return t('form.invalid_choice');
    case 'invalid_type':
      return issue.input === undefined ? t('form.required') : t('form.invalid');
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return t('form.invalid');
  }
}

export function zodFieldErrors(error: z.ZodError, t: T): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    errors[key] ??= issueMessage(issue, t);
  }
  return errors;
}

/** Reads an urlencoded or multipart body into plain strings (files are left out). */
export async function formValues(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true });
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') values[k] = first;
  }
  return values;
}

/**
 * The shape of every form POST: validate, run the use-case, and on a validation or
 * domain error render the form again with the messages and the user's input.
 */
export async function handleForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  opts: {
    schema: S;
    values?: Record<string, string>;
    render: (state: FormState, status: number) => Response | Promise<Response>;
    run: (data: z.output<S>) => Promise<Response>;
  },
): Promise<Response> {
  const t = c.get('t');
  const locale: Locale = c.get('locale');
  const values = opts.values ?? (await formValues(c));
  const parsed = opts.schema.safeParse(values);
  if (!parsed.success) {
    return opts.render(
      { values, errors: zodFieldErrors(parsed.error, t), message: t('form.errors_heading') },
      400,
    );
  }
  try {
    return await opts.run(parsed.data);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      const errors: Record<string, string> = {};
      for (const [field, messages] of Object.entries(err.fields ?? {}))
        errors[field] = messages[locale];
      return opts.render({ values, errors, message: err.message_(locale) }, err.status);
    }
    throw err;
  }
}

// --- components --------------------------------------------------------------

export function Csrf(props: { c: Context<AppEnv> }) {
  return <input type="hidden" name="_csrf" value={props.c.get('csrfToken')} />;
}

export function FormErrors(props: { state: FormState }) {
  const { state } = props;
  if (!state.message && Object.keys(state.errors).length === 0) return null;
  return (
    <div class="alert" role="alert" tabindex={-1} id="form-errors">
      <p>
        <strong>{state.message}</strong>
      </p>
      {Object.keys(state.errors).length > 0 ? (
        <ul>
          {Object.entries(state.errors).map(([field, msg]) => (
            <li>
              <a href={`#f-${field}`}>{msg}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Field(props: {
  state: FormState;
  name: string;
  label: string;
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  value?: string;
  inputmode?: 'numeric' | 'email' | 'tel' | 'decimal' | 'text';
  /** Keeps ids unique when the same form appears several times on a page (queue cards). */
  idPrefix?: string;
}) {
  const { state, name } = props;
  const error = state.errors[name];
  const id = `f-${props.idPrefix ?? ''}${name}`;
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const type = props.type ?? 'text';
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        value={type === 'password' ? '' : (state.values[name] ?? props.value ?? '')}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextArea(props: {
  state: FormState;
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  rows?: number;
}) {
  const { state, name } = props;
  const error = state.errors[name];
  const id = `f-${name}`;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <textarea
        id={id}
        name={name}
        rows={props.rows ?? 4}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : props.hint ? `${id}-hint` : undefined}
      >
        {state.values[name] ?? ''}
      </textarea>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Select(props: {
  state: FormState;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  hint?: string;
  value?: string;
}) {
  const { state, name } = props;
  const error = state.errors[name];
  const id = `f-${name}`;
  const selected = state.values[name] ?? props.value ?? '';
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <select
        id={id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === selected}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Checkbox(props: {
  state: FormState;
  name: string;
  label: Child;
  checked?: boolean;
}) {
  const { state, name } = props;
  const error = state.errors[name];
  const id = `f-${name}`;
  // Once the form holds any values (a resubmission or a prefilled edit), they decide;
  // an unchecked box is simply absent from them.
  const checked =
    Object.keys(state.values).length > 0
      ? state.values[name] === 'on' || state.values[name] === 'true'
      : !!props.checked;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <div class="checkbox">
        <input
          id={id}
          type="checkbox"
          name={name}
          checked={checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label for={id}>{props.label}</label>
      </div>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** zod helpers for HTML forms, where every value arrives as a string. */
export const formText = (max = 200) => z.string().trim().min(1).max(max);
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));
export const checkbox = () =>
  z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === 'true' || v === '1');
