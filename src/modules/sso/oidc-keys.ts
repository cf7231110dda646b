import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { secretBox } from '../../app/secret-box.js';

// The provider's signing keys live in the database (so every instance and the failover
// machine sign with the same keys), the private half sealed under the app secret. The
// newest active key signs; retired keys stay published in the JWKS until tokens signed
// with them have expired, then `pruneRetiredKeys` removes them.

export const SIGNING_ALG = 'RS256';

export type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };
export type PublicJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

function generate(): { kid: string; privateJwk: PrivateJwk; publicJwk: PublicJwk } {
  const kid = newId();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const meta = { kid, alg: SIGNING_ALG, use: 'sig' as const };
  return {
    kid,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...meta },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), ...meta },
  };
}

async function insertKey(db: Db, secret: string, now: Date): Promise<string> {
  const key = generate();
  await db
    .insertInto('oidc_keys')
    .values({
      kid: key.kid,
      alg: SIGNING_ALG,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk_enc: secretBox(secret).seal(JSON.stringify(key.privateJwk)),
      status: 'active',
      created_at: now.toISOString(),
      retired_at: null,
    })
    .execute();
  return key.kid;
}

/** Creates the first signing key if there is none (at start). */
export async function ensureSigningKey(db: Db, opts: { secret: string; now: Date }): Promise<void> {
  const any = await db
    .selectFrom('oidc_keys')
    .select('kid')
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (!any) await insertKey(db, opts.secret, opts.now);
}

/**
 * Every key the provider signs or verifies with, newest first: the first one signs.
 * Retired keys are included so that tokens they signed stay verifiable until pruned.
 */
export async function signingKeys(db: Db, secret: string): Promise<PrivateJwk[]> {
  const rows = await db
    .selectFrom('oidc_keys')
    .select(['private_jwk_enc', 'status'])
    .orderBy('status') // active before retired
    .orderBy('created_at', 'desc')
    .execute();
  const box = secretBox(secret);
  return rows.map((r) => JSON.parse(box.open(r.private_jwk_enc)) as PrivateJwk);
}

/** The key that signs now (the newest active one). */
export async function activeSigningKey(db: Db, secret: string): Promise<PrivateJwk> {
  const row = await db
    .selectFrom('oidc_keys')
    .select('private_jwk_enc')
    .where('status', '=', 'active')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error('no active signing key: run ensureSigningKey first');
  return JSON.parse(secretBox(secret).open(row.private_jwk_enc)) as PrivateJwk;
}

/** The public JWKS. */
export async function publicJwks(db: Db): Promise<{ keys: PublicJwk[] }> {
  const rows = await db
    .selectFrom('oidc_keys')
    .select('public_jwk')
    .orderBy('status')
    .orderBy('created_at', 'desc')
    .execute();
  return { keys: rows.map((r) => JSON.parse(r.public_jwk) as PublicJwk) };
}

/**
 * Rotation: a new key becomes the signing key and the previous active keys are retired
 * (still published, still verifying). Run inside a transaction.
 */
export async function rotateSigningKeys(
  db: Db,
  opts: { secret: string; now: Date },
): Promise<{ kid: string; retired: string[] }> {
  const previous = await db
    .selectFrom('oidc_keys')
    .select('kid')
    .where('status', '=', 'active')
    .execute();
  await db
    .updateTable('oidc_keys')
    .set({ status: 'retired', retired_at: opts.now.toISOString() })
    .where('status', '=', 'active')
    .execute();
  const kid = await insertKey(db, opts.secret, opts.now);
  return { kid, retired: previous.map((p) => p.kid) };
}

/** Removes keys retired before `before` (longer ago than the longest token lifetime). */
export async function pruneRetiredKeys(db: Db, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('oidc_keys')
    .where('status', '=', 'retired')
    .where('retired_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
