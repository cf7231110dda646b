/**
 * VAT arithmetic on integer øre. Rates are basis points (2500 = 25 %). Amounts in the fee
 * schedule are gross (what the member pays); the VAT inside a gross amount is
 * gross × rate / (1 + rate), rounded half up to whole øre.
 */
export function splitGross(grossOre: number, rateBp: number): { netOre: number; vatOre: number } {
  if (!Number.isSafeInteger(grossOre) || !Number.isSafeInteger(rateBp) || rateBp < 0)
    throw new RangeError('bad amount or rate');
  if (rateBp === 0) return { netOre: grossOre, vatOre: 0 };
  const sign = grossOre < 0 ? -1 : 1;
  const g = Math.abs(grossOre);
  const denominator = 10000 + rateBp;
  // round(g * rate / denominator), half up, in integers only
  const vat = Math.floor((2 * g * rateBp + denominator) / (2 * denominator));
  return { netOre: sign * (g - vat), vatOre: sign * vat };
}

/**
 * Pro rata for a member who joins mid-year: the share of whole months left in the
 * association year, the joining month included, rounded half up to whole kroner.
 */
export function proRata(amountOre: number, monthsLeft: number): number {
  if (monthsLeft >= 12) return amountOre;
  if (monthsLeft <= 0) return 0;
  const ore = Math.floor((2 * amountOre * monthsLeft + 12) / 24);
  return Math.floor((ore + 50) / 100) * 100;
}

/** Months left in the association year starting at `yearStart` (YYYY-MM-DD) on `date`, this month included. */
export function monthsLeftInYear(date: string, yearStart: string): number {
  const months =
    (Number(date.slice(0, 4)) - Number(yearStart.slice(0, 4))) * 12 +
    (Number(date.slice(5, 7)) - Number(yearStart.slice(5, 7)));
  return Math.max(0, Math.min(12, 12 - months));
}

export const VAT_RATES_BP = [0, 1200, 1500, 2500] as const;
