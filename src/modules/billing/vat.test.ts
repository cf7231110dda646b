import { describe, expect, it } from 'vitest';
import { monthsLeftInYear, proRata, splitGross } from './vat.js';

describe('VAT on gross amounts', () => {
  it('takes 25 % VAT out of 450 kr as 90 kr', () => {
    expect(splitGross(45000, 2500)).toEqual({ netOre: 36000, vatOre: 9000 });
  });
  it('rounds half up to whole øre and keeps net + VAT = gross', () => {
    for (const gross of [1, 2, 3, 5, 99, 101, 12345, 999999]) {
      const { netOre, vatOre } = splitGross(gross, 2500);
      expect(netOre + vatOre).toBe(gross);
      expect(vatOre).toBe(Math.round((gross * 2500) / 12500));
    }
    expect(splitGross(5000, 1500)).toEqual({ netOre: 4348, vatOre: 652 });
  });
  it('has no VAT outside the VAT scope, and handles credit notes (negative)', () => {
    expect(splitGross(15000, 0)).toEqual({ netOre: 15000, vatOre: 0 });
    expect(splitGross(-45000, 2500)).toEqual({ netOre: -36000, vatOre: -9000 });
  });
});

describe('pro rata', () => {
  it('charges whole months left, this month included, to whole kroner', () => {
    // Year from 1 July: joining on 15 January leaves January–June, 6 months.
    expect(monthsLeftInYear('2026-01-15', '2025-07-01')).toBe(6);
    expect(proRata(60000, 6)).toBe(30000);
    expect(monthsLeftInYear('2025-07-01', '2025-07-01')).toBe(12);
    expect(proRata(60000, 12)).toBe(60000);
    expect(monthsLeftInYear('2026-06-30', '2025-07-01')).toBe(1);
    expect(proRata(45000, 1)).toBe(3800); // 37.50 kr rounds up to 38 kr
    expect(proRata(15000, 7)).toBe(8800); // 87.50 → 88 kr
  });
});
