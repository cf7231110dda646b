import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './context.js';
import { dictionaries } from './messages.js';
import type { MessageKey } from './i18n.js';

const COOKIE = 'alm_flash';

/** A one-shot message for the next page, carried as a message key (never free text). */
export function setFlash(c: Context<AppEnv>, key: MessageKey): void {
  setCookie(c, COOKIE, key, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
}

export function readFlash(c: Context<AppEnv>): MessageKey | null {
  const value = getCookie(c, COOKIE);
  if (!value) return null;
  deleteCookie(c, COOKIE, { path: '/' });
  return value in dictionaries.nb ? (value as MessageKey) : null;
}

export function redirectWithFlash(c: Context<AppEnv>, location: string, key: MessageKey) {
  setFlash(c, key);
  return c.redirect(location, 303);
}
