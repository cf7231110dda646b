import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, Field, FormErrors, Select, type FormState } from '../../app/forms.js';

export function SignupPage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('accounts.signup.title')}</h1>
      <p>{t('accounts.signup.intro')}</p>
      <FormErrors state={state} />
      <form method="post" action="/signup" class="stack">
        <Csrf c={c} />
        <Field
          state={state}
          name="name"
          label={t('accounts.field.name')}
          autocomplete="name"
          required
        />
        <Field
          state={state}
          name="handle"
          label={t('accounts.field.handle')}
          hint={t('accounts.field.handle_hint')}
          autocomplete="username"
          required
        />
        <Field
          state={state}
          name="email"
          type="email"
          label={t('accounts.field.email')}
          autocomplete="email"
          required
        />
        <Field
          state={state}
          name="password"
          type="password"
          label={t('accounts.field.password')}
          hint={t('accounts.field.password_hint')}
          autocomplete="new-password"
          required
        />
        <button type="submit">{t('accounts.signup.submit')}</button>
      </form>
    </section>
  );
}

export function SignupDonePage(props: { c: Context<AppEnv>; email: string }) {
  const t = props.c.get('t');
  return (
    <section>
      <h1>{t('accounts.signup.done_title')}</h1>
      <p role="status">{t('accounts.signup.done', { email: props.email })}</p>
    </section>
  );
}

export function LoginPage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('accounts.login.title')}</h1>
      <FormErrors state={state} />
      <form method="post" action="/login" class="stack">
        <Csrf c={c} />
        <input type="hidden" name="next" value={state.values['next'] ?? ''} />
        <Field
          state={state}
          name="email"
          type="email"
          label={t('accounts.field.email')}
          autocomplete="username"
          required
        />
        <Field
          state={state}
          name="password"
          type="password"
          label={t('accounts.field.password')}
          autocomplete="current-password"
          required
        />
        <p class="actions">
          <button type="submit">{t('accounts.login.submit')}</button>
          <a href="/forgot-password">{t('accounts.login.forgot')}</a>
        </p>
      </form>
      <p>
        {t('accounts.login.no_account')} <a href="/signup">{t('nav.signup')}</a>
      </p>
    </section>
  );
}

export function ForgotPage(props: { c: Context<AppEnv>; state: FormState; sent?: boolean }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('accounts.forgot.title')}</h1>
      {props.sent ? (
        <p class="notice" role="status">
          {t('accounts.forgot.sent')}
        </p>
      ) : (
        <>
          <p>{t('accounts.forgot.intro')}</p>
          <FormErrors state={state} />
          <form method="post" action="/forgot-password" class="stack">
            <Csrf c={c} />
            <Field
              state={state}
              name="email"
              type="email"
              label={t('accounts.field.email')}
              autocomplete="email"
              required
            />
            <button type="submit">{t('accounts.forgot.submit')}</button>
          </form>
        </>
      )}
    </section>
  );
}

export function ResetPage(props: { c: Context<AppEnv>; state: FormState; token: string }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('accounts.reset.title')}</h1>
      <FormErrors state={state} />
      <form method="post" action="/reset-password" class="stack">
        <Csrf c={c} />
        <input type="hidden" name="token" value={props.token} />
        <Field
          state={state}
          name="password"
          type="password"
          label={t('accounts.field.new_password')}
          hint={t('accounts.field.password_hint')}
          autocomplete="new-password"
          required
        />
        <button type="submit">{t('accounts.reset.submit')}</button>
      </form>
    </section>
  );
}

export function AccountPage(props: {
  c: Context<AppEnv>;
  prefs: FormState;
  password: FormState;
  email: FormState;
  sessions: {
    createdAt: string;
    lastSeenAt: string;
    ip: string | null;
    userAgent: string | null;
  }[];
}) {
  const { c } = props;
  const t = c.get('t');
  const user = c.get('user')!;
  return (
    <section>
      <h1>{t('accounts.account.title')}</h1>
      <p>{t('accounts.account.handle', { handle: user.handle })}</p>
      <div class="card">
        <h2>{t('accounts.account.preferences')}</h2>
        <FormErrors state={props.prefs} />
        <form method="post" action="/account/preferences" class="stack">
          <Csrf c={c} />
          <Field
            state={props.prefs}
            name="name"
            label={t('accounts.field.name')}
            autocomplete="name"
            required
          />
          <Select
            state={props.prefs}
            name="locale"
            label={t('accounts.field.locale')}
            options={[
              { value: 'nb', label: t('locale.nb') },
              { value: 'en', label: t('locale.en') },
            ]}
          />
          <button type="submit">{t('form.save')}</button>
        </form>
      </div>
      <div class="card">
        <h2>{t('accounts.account.email')}</h2>
        <p>{t('accounts.account.email_current', { email: user.email })}</p>
        <FormErrors state={props.email} />
        <form method="post" action="/account/email" class="stack">
          <Csrf c={c} />
          <Field
            state={props.email}
            name="email"
            type="email"
            label={t('accounts.field.new_email')}
            autocomplete="email"
            required
          />
          <Field
            state={props.email}
            name="current_password"
            type="password"
            label={t('accounts.field.current_password')}
            autocomplete="current-password"
            required
          />
          <button type="submit">{t('form.save')}</button>
        </form>
      </div>
      <div class="card">
        <h2>{t('accounts.account.password')}</h2>
        <FormErrors state={props.password} />
        <form method="post" action="/account/password" class="stack">
          <Csrf c={c} />
          <Field
            state={props.password}
            name="current_password"
            type="password"
            label={t('accounts.field.current_password')}
            autocomplete="current-password"
            required
          />
          <Field
            state={props.password}
            name="password"
            type="password"
            label={t('accounts.field.new_password')}
            hint={t('accounts.field.password_hint')}
            autocomplete="new-password"
            required
          />
          <button type="submit">{t('form.save')}</button>
        </form>
      </div>
      <div class="card">
        <h2>{t('accounts.account.sessions')}</h2>
        <ul>
          {props.sessions.map((s) => (
            <li>
              {s.lastSeenAt.slice(0, 16).replace('T', ' ')} UTC · {s.ip ?? '?'} ·{' '}
              <span class="muted">{s.userAgent ?? ''}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
