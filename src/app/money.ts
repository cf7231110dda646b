/** Money is integer øre. Parsing never goes through floating point. */
export function parseKroner(input: string): number | null {
  const s = input
    .trim()
    .replace(/\s/g, '')
    .replace(/^kr\.?/i, '');
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const kr = Number(m[1]);
  const ore = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  return kr * 100 + ore;
}

export function formatOre(ore: number, locale: 'nb' | 'en' = 'nb'): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kr = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  const krText = new Intl.NumberFormat(locale === 'nb' ? 'nb-NO' : 'en-GB').format(kr);
  return `${sign}${krText}${locale === 'nb' ? ',' : '.'}${rest}`;
}
