import { describe, expect, it } from 'vitest';
import { isValidBankAccount, isValidOrgNumber } from './norwegian.js';

describe('organisation number (MOD11)', () => {
  it('accepts real numbers', () => {
    // Brønnøysundregistrene and DNB, public numbers.
    expect(isValidOrgNumber('974760673')).toBe(true);
    expect(isValidOrgNumber('984851006')).toBe(true);
  });
  it('refuses a wrong check digit, wrong length and non-digits', () => {
    expect(isValidOrgNumber('974760674')).toBe(false);
    expect(isValidOrgNumber('97476067')).toBe(false);
    expect(isValidOrgNumber('97476067a')).toBe(false);
  });
  it('refuses numbers whose check digit would be 10', () => {
    // 1+... chosen so the remainder is 1: no valid check digit exists.
    const base = '10000000';
    let sum = 0;
    const w = [3, 2, 7, 6, 5, 4, 3, 2];
    for (let i = 0; i < 8; i++) sum += Number(base[i]) * w[i]!;
    expect(sum % 11).toBe(3);
    for (let d = 0; d <= 9; d++) {
      const valid = isValidOrgNumber(`${base}${d}`);
      expect(valid).toBe(d === 8);
    }
  });
});

describe('bank account (MOD11)', () => {
  it('accepts a valid account and refuses a changed digit', () => {
    expect(isValidBankAccount('86011117947')).toBe(true);
    expect(isValidBankAccount('86011117948')).toBe(false);
    expect(isValidBankAccount('8601111794')).toBe(false);
  });
});
