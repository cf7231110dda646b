import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { AppError } from '../../app/errors.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import {
  actorOf,
  clearSessionCookie,
  requireUser,
  setSessionCookie,
} from '../../app/middleware.js';
import { listUserSessions } from './accounts.repository.js';
import {
  changeEmailSchema,
  changePasswordSchema,
  forgotSchema,
  loginSchema,
  preferencesSchema,
  resetSchema,
  signupSchema,
} from './accounts.schemas.js';
import {
  changePassword,
  checkResetToken,
  confirmEmailChange,
  logIn,
  logOut,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  signUp,
  updatePreferences,
  verifyEmail,
} from './accounts.usecases.js';
import {
  AccountPage,
  ForgotPage,
  LoginPage,
  ResetPage,
  SignupDonePage,
  SignupPage,
} from './accounts.views.js';
import { AccountErrors } from './accounts.errors.js';

/** Only same-site paths are followed after login. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/membership';
}

async function renderAccount(
  c: Context<AppEnv>,
  forms: { prefs?: FormState; password?: FormState; email?: FormState },
  status = 200,
) {
  const user = c.get('user')!;
  const sessions = await listUserSessions(c.get('ctx').db, user.id);
  return page(c, {
    title: c.get('t')('accounts.account.title'),
    status,
    body: (
      <AccountPage
        c={c}
        prefs={
          forms.prefs ?? emptyForm({ name: user.name, locale: user.locale ?? c.get('locale') })
        }
        password={forms.password ?? emptyForm()}
        email={forms.email ?? emptyForm()}
        sessions={sessions}
      />
    ),
  });
}

export function accountsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/signup', (c) =>
    page(c, {
      title: c.get('t')('accounts.signup.title'),
      body: <SignupPage c={c} state={emptyForm()} />,
    }),
  );
  app.post('/signup', async (c) =>
    handleForm(c, {
      schema: signupSchema,
      render: (state, status) =>
        page(c, {
          title: c.get('t')('accounts.signup.title'),
          body: <SignupPage c={c} state={state} />,
          status,
        }),
      run: async (input) => {
        await signUp(c.get('ctx'), { ...input, locale: c.get('locale'), ip: c.get('ip') });
        return page(c, {
          title: c.get('t')('accounts.signup.done_title'),
          body: <SignupDonePage c={c} email={input.email} />,
        });
      },
    }),
  );

  app.get('/verify-email', async (c) => {
    try {
      await verifyEmail(c.get('ctx'), { token: c.req.query('token') ?? '' });
    } catch (err) {
      if (err instanceof AppError) {
        return page(c, {
          title: c.get('t')('accounts.verify.title'),
          status: err.status,
          body: (
            <p class="alert" role="alert">
              {err.message_(c.get('locale'))}
            </p>
          ),
        });
      }
      throw err;
    }
    return redirectWithFlash(c, c.get('user') ? '/membership' : '/login', 'accounts.verified');
  });

  app.get('/login', (c) => {
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 303);
    return page(c, {
      title: c.get('t')('accounts.login.title'),
      body: <LoginPage c={c} state={emptyForm({ next: c.req.query('next') ?? '' })} />,
    });
  });
  app.post('/login', async (c) =>
    handleForm(c, {
      schema: loginSchema,
      render: (state, status) =>
        page(c, {
          title: c.get('t')('accounts.login.title'),
          body: <LoginPage c={c} state={state} />,
          status,
        }),
      run: async (input) => {
        const ctx = c.get('ctx');
        const { token, expiresAt } = await logIn(ctx, {
          email: input.email,
          password: input.password,
          ip: c.get('ip'),
          userAgent: c.req.header('user-agent') ?? null,
          locale: c.get('locale'),
        });
        // A fresh session on every login (no fixation); the old one, if any, ends.
        const old = c.get('sessionId');
        if (old) await logOut(ctx, { sessionIdHash: old });
        setSessionCookie(c, token, expiresAt);
        return c.redirect(safeNext(input.next), 303);
      },
    }),
  );

  app.post('/logout', async (c) => {
    const sessionId = c.get('sessionId');
    if (sessionId) await logOut(c.get('ctx'), { sessionIdHash: sessionId });
    clearSessionCookie(c);
    return redirectWithFlash(c, '/', 'accounts.logged_out');
  });

  app.get('/forgot-password', (c) =>
    page(c, {
      title: c.get('t')('accounts.forgot.title'),
      body: <ForgotPage c={c} state={emptyForm()} />,
    }),
  );
  app.post('/forgot-password', async (c) =>
    handleForm(c, {
      schema: forgotSchema,
      render: (state, status) =>
        page(c, {
          title: c.get('t')('accounts.forgot.title'),
          body: <ForgotPage c={c} state={state} />,
          status,
        }),
      run: async (input) => {
        await requestPasswordReset(c.get('ctx'), { email: input.email, locale: c.get('locale') });
        return page(c, {
          title: c.get('t')('accounts.forgot.title'),
          body: <ForgotPage c={c} state={emptyForm()} sent />,
        });
      },
    }),
  );

  app.get('/reset-password', async (c) => {
    const token = c.req.query('token') ?? '';
    const t = c.get('t');
    if (!(await checkResetToken(c.get('ctx'), token))) {
      const err = AccountErrors.tokenInvalid();
      return page(c, {
        title: t('accounts.reset.title'),
        status: 400,
        body: (
          <p class="alert" role="alert">
            {err.message_(c.get('locale'))}{' '}
            <a href="/forgot-password">{t('accounts.login.forgot')}</a>
          </p>
        ),
      });
    }
    return page(c, {
      title: t('accounts.reset.title'),
      body: <ResetPage c={c} state={emptyForm()} token={token} />,
    });
  });
  app.post('/reset-password', async (c) => {
    const values: Record<string, string> = {};
    const body = await c.req.parseBody();
    for (const k of ['token', 'password']) if (typeof body[k] === 'string') values[k] = body[k];
    return handleForm(c, {
      schema: resetSchema,
      values,
      render: (state, status) =>
        page(c, {
          title: c.get('t')('accounts.reset.title'),
          body: <ResetPage c={c} state={state} token={values['token'] ?? ''} />,
          status,
        }),
      run: async (input) => {
        await resetPassword(c.get('ctx'), input);
        clearSessionCookie(c);
        return redirectWithFlash(c, '/login', 'accounts.reset.done');
      },
    });
  });

  app.get('/confirm-email', async (c) => {
    try {
      await confirmEmailChange(c.get('ctx'), { token: c.req.query('token') ?? '' });
    } catch (err) {
      if (err instanceof AppError) {
        return page(c, {
          title: c.get('t')('accounts.verify.title'),
          status: err.status,
          body: (
            <p class="alert" role="alert">
              {err.message_(c.get('locale'))}
            </p>
          ),
        });
      }
      throw err;
    }
    return redirectWithFlash(
      c,
      c.get('user') ? '/account' : '/login',
      'accounts.account.email_changed',
    );
  });

  app.get('/account', requireUser(), (c) => renderAccount(c, {}));
  app.post('/account/preferences', requireUser(), async (c) =>
    handleForm(c, {
      schema: preferencesSchema,
      render: (state, status) => renderAccount(c, { prefs: state }, status),
      run: async (input) => {
        const user = c.get('user')!;
        await updatePreferences(c.get('ctx'), {
          actor: actorOf(c),
          userId: user.id,
          name: input.name,
          locale: input.locale,
        });
        return redirectWithFlash(c, `/account?lang=${input.locale}`, 'flash.saved');
      },
    }),
  );
  app.post('/account/password', requireUser(), async (c) =>
    handleForm(c, {
      schema: changePasswordSchema,
      render: (state, status) => renderAccount(c, { password: state }, status),
      run: async (input) => {
        const user = c.get('user')!;
        await changePassword(c.get('ctx'), {
          actor: actorOf(c),
          userId: user.id,
          currentPassword: input.current_password,
          password: input.password,
          keepSessionIdHash: c.get('sessionId'),
        });
        return redirectWithFlash(c, '/account', 'accounts.account.password_changed');
      },
    }),
  );
  app.post('/account/email', requireUser(), async (c) =>
    handleForm(c, {
      schema: changeEmailSchema,
      render: (state, status) => renderAccount(c, { email: state }, status),
      run: async (input) => {
        const user = c.get('user')!;
        await requestEmailChange(c.get('ctx'), {
          actor: actorOf(c),
          userId: user.id,
          email: input.email,
          currentPassword: input.current_password,
          locale: c.get('locale'),
        });
        return redirectWithFlash(c, '/account', 'accounts.account.email_sent');
      },
    }),
  );

  return app;
}
