import type { Locale } from './errors.js';
import { interpolate } from './errors.js';
import { dictionaries } from './messages.js';

export type MessageKey = keyof (typeof dictionaries)['nb'];
export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function isLocale(v: unknown): v is Locale {
  return v === 'nb' || v === 'en';
}

export function translator(locale: Locale): T {
  const dict = dictionaries[locale] as Record<string, string>;
  return (key, params) => interpolate(dict[key] ?? key, params ?? {});
}

/** Picks nb or en from an Accept-Language header; Norwegian (no, nn, nb) maps to nb. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (base === 'nb' || base === 'no' || base === 'nn') return 'nb';
    if (base === 'en') return 'en';
  }
  return null;
}
