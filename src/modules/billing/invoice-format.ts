import type { Locale } from '../../app/errors.js';

// Formatting shared by the invoice page, the PDF and the mail.

/** A Norwegian bank account the way it is printed: 4.2.5 digits ("1234.56.78903"). */
export function formatBankAccount(account: string | null): string {
  if (!account) return '–';
  if (!/^\d{11}$/.test(account)) return account;
  return `${account.slice(0, 4)}.${account.slice(4, 6)}.${account.slice(6)}`;
}

/** "25 %" / "25%": a VAT rate in basis points. */
export function formatVatRate(rateBp: number, locale: Locale): string {
  const whole = rateBp % 100 === 0;
  const value = whole
    ? String(rateBp / 100)
    : (rateBp / 100).toFixed(2).replace('.', locale === 'nb' ? ',' : '.');
  return locale === 'nb' ? `${value} %` : `${value}%`;
}

// Made once: an Intl formatter is costly to create, and a dues run formats 100 000 amounts.
const KRONER = {
  nb: new Intl.NumberFormat('nb-NO'),
  en: new Intl.NumberFormat('en-GB'),
};
const DATES = {
  nb: new Intl.DateTimeFormat('nb-NO', { timeZone: 'UTC', dateStyle: 'medium' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }),
};

/** "kr 600,00" / "NOK 600.00" (the same as formatOre, with the formatter kept). */
export function formatNok(ore: number, locale: Locale): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kr = KRONER[locale].format(Math.floor(abs / 100));
  const amount = `${sign}${kr}${locale === 'nb' ? ',' : '.'}${String(abs % 100).padStart(2, '0')}`;
  return locale === 'nb' ? `kr ${amount}` : `NOK ${amount}`;
}

/** A calendar date for people, as formatDate in dates.ts, with the formatter kept. */
export function formatInvoiceDate(date: string, locale: Locale): string {
  return DATES[locale].format(new Date(`${date}T00:00:00Z`));
}

/** An amount as people type it back into a form: no thousands separators. */
export function plainKroner(ore: number, locale: Locale): string {
  const kr = Math.floor(ore / 100);
  const rest = ore % 100;
  return rest === 0
    ? String(kr)
    : `${kr}${locale === 'nb' ? ',' : '.'}${String(rest).padStart(2, '0')}`;
}
