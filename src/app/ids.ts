import { randomBytes } from 'node:crypto';

export type IdGenerator = () => string;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Time-ordered ids (48-bit milliseconds + 80 random bits, Crockford base32, lower case),
 * so that ordering by id is ordering by creation without a second column.
 */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  return time + rand;
}

/** Many ids of the same instant at once (one call for the randomness): bulk inserts. */
export function newIds(count: number, now: number = Date.now()): string[] {
  const time = newId(now).slice(0, 10);
  const bytes = randomBytes(16 * count);
  const ids: string[] = new Array<string>(count);
  for (let k = 0; k < count; k++) {
    let rand = '';
    for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[16 * k + i]! % 32];
    ids[k] = time + rand;
  }
  return ids;
}

/** A random secret token, URL-safe. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
