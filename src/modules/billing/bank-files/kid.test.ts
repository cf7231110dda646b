import { describe, expect, it } from 'vitest';
import {
  isValidKid,
  isValidKidMod11,
  isValidOcrKid,
  kidCheckDigit,
  kidCheckDigitMod11,
  makeKid,
} from './kid.js';

describe('KID MOD10 (Luhn)', () => {
  it('computes known check digits', () => {
    // 1234567: from the right 7·2=14→5, 6, 5·2=10→1, 4, 3·2=6, 2, 1·2=2 → 26 → 4.
    expect(kidCheckDigit('1234567')).toBe('4');
    expect(makeKid('1234567')).toBe('12345674');
    // The classic Luhn example (ISO/IEC 7812): 7992739871 → 3.
    expect(kidCheckDigit('7992739871')).toBe('3');
    expect(kidCheckDigit('0')).toBe('0');
    expect(kidCheckDigit('100000')).toBe('9');
  });

  it('works on 24-digit bases, beyond what a double holds', () => {
    const base = '987654321098765432109876';
    const kid = makeKid(base);
    expect(kid).toHaveLength(25);
    expect(isValidKid(kid)).toBe(true);
    expect(isValidKid(`${base}${(Number(kid.at(-1)) + 1) % 10}`)).toBe(false);
  });

  it('refuses wrong digits, lengths and characters', () => {
    expect(isValidKid('12345674')).toBe(true);
    expect(isValidKid('12345675')).toBe(false);
    expect(isValidKid('21345674')).toBe(false); // swapped neighbours
    expect(isValidKid('4')).toBe(false);
    expect(isValidKid('1234567 4')).toBe(false);
    expect(isValidKid('12345678901234567890123456')).toBe(false);
    expect(() => kidCheckDigit('')).toThrow(RangeError);
    expect(() => kidCheckDigit('12a')).toThrow(RangeError);
  });
});

describe('KID MOD11', () => {
  it('computes check digits with weights 2–7 from the right', () => {
    // 1234567: 7·2+6·3+5·4+4·5+3·6+2·7+1·2 = 106; 106 mod 11 = 7; 11−7 = 4.
    expect(kidCheckDigitMod11('1234567')).toBe('4');
    // 12345: 5·2+4·3+3·4+2·5+1·6 = 50; 50 mod 11 = 6 → 5.
    expect(kidCheckDigitMod11('12345')).toBe('5');
    // 11: 1·2+1·3 = 5 → 11−5 = 6.
    expect(kidCheckDigitMod11('11')).toBe('6');
    // Remainder 0 gives 0 (not 11).
    expect(kidCheckDigitMod11('0')).toBe('0');
    // 5: 5·2 = 10, remainder 10 → 1.
    expect(kidCheckDigitMod11('5')).toBe('1');
    // 6: 6·2 = 12, remainder 1 → 10, written '-'.
    expect(kidCheckDigitMod11('6')).toBe('-');
  });

  it('accepts a MOD11 KID ending in "-" only as MOD11', () => {
    expect(isValidKidMod11('6-')).toBe(true);
    expect(isValidKid('6-')).toBe(false);
    expect(isValidOcrKid('6-')).toBe(true);
    expect(isValidOcrKid('123455')).toBe(true); // MOD11
    expect(isValidOcrKid('12345674')).toBe(true); // both
    expect(isValidOcrKid('12345670')).toBe(false);
  });
});
