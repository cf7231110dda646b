import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppContext, AppEnv } from './context.js';
import { hmac, safeEqual, sha256 } from './crypto.js';
import { CommonErrors } from './errors.js';
import { isLocale, localeFromAcceptLanguage, translator } from './i18n.js';
import { newToken } from './ids.js';
import type { Permission } from './policy.js';
import { todayIn } from './dates.js';
import { readFlash } from './flash.js';
import { findAssociation } from '../modules/association/association.repository.js';
import { findSession, touchSession } from '../modules/accounts/accounts.repository.js';
import { loadCurrentUser } from '../modules/accounts/current-user.js';
import { authenticateApiToken } from '../modules/api/api-tokens.repository.js';

export const isApiPath = (path: string) => path.startsWith('/api/');
/** Incoming webhooks from the services: verified by their own signature, never cookies. */
export const isHookPath = (path: string) => path.startsWith('/hooks/');

/** Cookies are Secure when the site is served over TLS (directly or behind a trusted proxy). */
export function isSecureRequest(c: Context<AppEnv>): boolean {
  const { config } = c.get('ctx');
  if (config.baseUrl.startsWith('https://')) return true;
  return config.trustProxy && c.req.header('x-forwarded-proto') === 'https';
}

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-alm_session' : 'alm_session';
}
function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-alm_csrf' : 'alm_csrf';
}

function clientIp(c: Context<AppEnv>, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // requests made in-process (app.request) have no socket
  }
}

/** Puts the application context, client IP, association, locale and flash on the request. */
export function baseMiddleware(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('ctx', ctx);
    c.set('ip', clientIp(c, ctx.config.trustProxy));
    const association = await findAssociation(ctx.db);
    c.set('association', association);
    c.set('user', null);
    c.set('sessionId', null);
    c.set('csrfToken', '');
    c.set('flash', null);

    // Locale: ?lang= (remembered in a cookie), then the cookie, Accept-Language, the association's default.
    const asked = c.req.query('lang');
    let locale = isLocale(asked) ? asked : null;
    if (locale)
      setCookie(c, 'alm_lang', locale, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    locale ??= (() => {
      const v = getCookie(c, 'alm_lang');
      return isLocale(v) ? v : null;
    })();
    locale ??= localeFromAcceptLanguage(c.req.header('accept-language'));
    locale ??= association?.defaultLocale ?? 'nb';
    c.set('locale', locale);
    c.set('t', translator(locale));

    // A flash message is shown once, on the next page fetched.
    if (c.req.method === 'GET') c.set('flash', readFlash(c));
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    if (!isApiPath(c.req.path)) {
      c.header('X-Frame-Options', 'DENY');
      c.header(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
      );
    }
  };
}

/** Until setup has run, every page leads to /setup. */
export function setupGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (
      c.get('association') ||
      path === '/setup' ||
      path.startsWith('/static/') ||
      path === '/healthz'
    )
      return next();
    if (isApiPath(path)) throw CommonErrors.setupRequired();
    return c.redirect('/setup', 303);
  };
}

/** Loads the signed-in user from the session cookie, or from a bearer token on /api. */
export function authMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ctx = c.get('ctx');
    const now = ctx.clock.now();
    const association = c.get('association');
    const today = todayIn(association?.timeZone ?? 'Europe/Oslo', now);

    if (isApiPath(c.req.path)) {
      const header = c.req.header('authorization');
      if (header?.toLowerCase().startsWith('bearer ')) {
        const token = await authenticateApiToken(ctx.db, header.slice(7).trim(), now);
        if (!token) throw CommonErrors.unauthenticated();
        c.set(
          'user',
          await loadCurrentUser(ctx.db, {
            userId: token.userId,
            today,
            scopes: token.scopes,
            apiTokenId: token.id,
          }),
        );
      }
      return next();
    }

    const secure = isSecureRequest(c);
    const raw = getCookie(c, sessionCookieName(secure));
    if (raw) {
      const idHash = sha256(raw);
      const session = await findSession(ctx.db, idHash, now);
      if (session) {
        const user = await loadCurrentUser(ctx.db, { userId: session.userId, today });
        if (user) {
          c.set('user', user);
          c.set('sessionId', idHash);
          // Sliding expiry, written at most once an hour to keep reads cheap.
          if (now.getTime() - new Date(session.lastSeenAt).getTime() > 3600_000) {
            const expiresAt = new Date(
              now.getTime() + ctx.config.sessionDays * 86400_000,
            ).toISOString();
            await touchSession(ctx.db, idHash, now, expiresAt);
          }
        }
      }
    }
    return next();
  };
}

/**
 * CSRF: a random cookie, and in each form an HMAC of it bound to the session. A POST
 * whose token does not match is refused before any handler runs. The API is exempt: it
 * authenticates with bearer tokens, never cookies; so are /hooks/, signed by the service.
 */
export function csrfMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isApiPath(c.req.path) || isHookPath(c.req.path)) return next();
    const ctx = c.get('ctx');
    const secure = isSecureRequest(c);
    const name = csrfCookieName(secure);
    let seed = getCookie(c, name);
    if (!seed || seed.length < 20) {
      seed = newToken(24);
      setCookie(c, name, seed, { path: '/', httpOnly: true, sameSite: 'Lax', secure });
    }
    const expected = hmac(ctx.secret, `csrf:${seed}:${c.get('sessionId') ?? ''}`);
    c.set('csrfToken', expected);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      const type = c.req.header('content-type') ?? '';
      let sent = c.req.header('x-csrf-token') ?? '';
      if (
        !sent &&
        (type.startsWith('application/x-www-form-urlencoded') ||
          type.startsWith('multipart/form-data'))
      ) {
        const body = await c.req.parseBody();
        sent = typeof body['_csrf'] === 'string' ? body['_csrf'] : '';
      }
      if (!sent || !safeEqual(sent, expected)) throw CommonErrors.csrf();
    }
    return next();
  };
}

/** Declared next to each route: who may call it. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('user')) return next();
    if (isApiPath(c.req.path)) throw CommonErrors.unauthenticated();
    const back =
      c.req.method === 'GET'
        ? `?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`
        : '';
    return c.redirect(`/login${back}`, 303);
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user) return requireUser()(c, next);
    if (!user.permissions.has(permission)) throw CommonErrors.forbidden();
    return next();
  };
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  const secure = isSecureRequest(c);
  setCookie(c, sessionCookieName(secure), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = isSecureRequest(c);
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure });
}

/** The acting user as the audit log names them. */
export function actorOf(c: Context<AppEnv>) {
  const user = c.get('user');
  return user
    ? {
        userId: user.id,
        label: user.apiTokenId ? `${user.handle} (api)` : user.handle,
        ip: c.get('ip'),
      }
    : { userId: null, label: 'anonymous', ip: c.get('ip') };
}
