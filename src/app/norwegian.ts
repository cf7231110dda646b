/** Norwegian identifiers, checked on digit strings. */

/** Organisation number: 9 digits, MOD11 with weights 3 2 7 6 5 4 3 2. */
export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * weights[i]!;
  const rem = sum % 11;
  const check = rem === 0 ? 0 : 11 - rem;
  if (check === 10) return false;
  return check === Number(value[8]);
}

/** Bank account number: 11 digits, MOD11 with weights 5 4 3 2 7 6 5 4 3 2. */
export function isValidBankAccount(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(value[i]) * weights[i]!;
  const rem = sum % 11;
  const check = rem === 0 ? 0 : 11 - rem;
  if (check === 10) return false;
  return check === Number(value[10]);
}

/** Strips the spaces and dots people type in numbers ("923 609 016", "1234.56.78903"). */
export function compactDigits(value: string): string {
  return value.replace(/[\s.]/g, '');
}
