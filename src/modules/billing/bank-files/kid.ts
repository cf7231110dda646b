/**
 * KID (kundeidentifikasjon), the customer reference on Norwegian giros and in bank files.
 * Up to 25 digits, the last one a check digit in MOD10 (Luhn) or MOD11. Our own KIDs use
 * MOD10; MOD11 is accepted when reading bank files because payees can choose either.
 * Always computed on digit strings: a 25-digit KID does not fit in a double.
 */

const DIGITS = /^\d+$/;

/** MOD10 (Luhn) check digit for `digits` (1–24 digits). */
export function kidCheckDigit(digits: string): string {
  assertBase(digits);
  let sum = 0;
  // The digit next to the check digit gets weight 2, then 1, 2, 1 … leftwards.
  for (let i = digits.length - 1, weight = 2; i >= 0; i--, weight = 3 - weight) {
    const product = (digits.charCodeAt(i) - 48) * weight;
    sum += product > 9 ? product - 9 : product;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * MOD11 check digit for `digits` (1–24 digits), weights 2 3 4 5 6 7 repeated from the
 * right. Returns '-' when the remainder gives 10, as Nets prints it.
 */
export function kidCheckDigitMod11(digits: string): string {
  assertBase(digits);
  let sum = 0;
  for (let i = digits.length - 1, weight = 2; i >= 0; i--, weight = weight === 7 ? 2 : weight + 1) {
    sum += (digits.charCodeAt(i) - 48) * weight;
  }
  const check = 11 - (sum % 11);
  if (check === 11) return '0';
  if (check === 10) return '-';
  return String(check);
}

/** A new KID: `base` followed by its MOD10 check digit. */
export function makeKid(base: string): string {
  return base + kidCheckDigit(base);
}

/** A KID as we issue them: 2–25 digits with a valid MOD10 check digit. */
export function isValidKid(kid: string): boolean {
  if (kid.length < 2 || kid.length > 25 || !DIGITS.test(kid)) return false;
  return kidCheckDigit(kid.slice(0, -1)) === kid.slice(-1);
}

/** A MOD11 KID: 2–25 characters, digits with a last character that may be '-'. */
export function isValidKidMod11(kid: string): boolean {
  if (kid.length < 2 || kid.length > 25) return false;
  const base = kid.slice(0, -1);
  if (!DIGITS.test(base)) return false;
  return kidCheckDigitMod11(base) === kid.slice(-1);
}

/** Any KID the OCR giro service accepts: valid in MOD10 or in MOD11. */
export function isValidOcrKid(kid: string): boolean {
  return isValidKid(kid) || isValidKidMod11(kid);
}

function assertBase(digits: string): void {
  if (digits.length < 1 || digits.length > 24 || !DIGITS.test(digits)) {
    throw new RangeError('A KID base must be 1–24 digits.');
  }
}
