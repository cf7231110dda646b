import { sha256 } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';
import { API_SCOPE_NAMES, type ApiScope } from '../../app/policy.js';

export type ApiToken = {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export const TOKEN_PREFIX = 'alm_';

function parseScopes(json: string): ApiScope[] {
  const list = JSON.parse(json) as unknown;
  return Array.isArray(list)
    ? list.filter((s): s is ApiScope => API_SCOPE_NAMES.includes(s as ApiScope))
    : [];
}

/** Checks a bearer token; only its SHA-256 is stored, so a leaked table leaks no tokens. */
export async function authenticateApiToken(
  db: Db,
  raw: string,
  now: Date,
): Promise<{ id: string; userId: string; scopes: ApiScope[] } | null> {
  if (!raw.startsWith(TOKEN_PREFIX) || raw.length > 200) return null;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256(raw))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  if (row.expires_at && row.expires_at <= now.toISOString()) return null;
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return { id: row.id, userId: row.user_id, scopes: parseScopes(row.scopes) };
}

export async function insertApiToken(
  db: Db,
  t: {
    id: string;
    userId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: ApiScope[];
    createdBy: string | null;
    expiresAt: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
      token_prefix: t.prefix,
      scopes: JSON.stringify(t.scopes),
      created_by: t.createdBy,
      created_at: now.toISOString(),
      expires_at: t.expiresAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

const COLUMNS = [
  'id',
  'user_id',
  'name',
  'token_prefix',
  'scopes',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

export async function listApiTokens(db: Db, opts: { userId?: string } = {}): Promise<ApiToken[]> {
  let q = db.selectFrom('api_tokens').select(COLUMNS).orderBy('created_at', 'desc');
  if (opts.userId) q = q.where('user_id', '=', opts.userId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    name: r.name,
    prefix: r.token_prefix,
    scopes: parseScopes(r.scopes),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

export async function revokeApiToken(db: Db, id: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export type ApiTokenWithOwner = ApiToken & { ownerHandle: string };

/** Every token with its owner's handle, newest first (the administrators' list). */
export async function listApiTokensWithOwners(db: Db): Promise<ApiTokenWithOwner[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.user_id',
      't.name',
      't.token_prefix',
      't.scopes',
      't.created_at',
      't.expires_at',
      't.last_used_at',
      't.revoked_at',
      'u.handle',
    ])
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    name: r.name,
    prefix: r.token_prefix,
    scopes: parseScopes(r.scopes),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    ownerHandle: r.handle,
  }));
}

export async function findApiToken(db: Db, id: string): Promise<ApiToken | null> {
  const r = await db
    .selectFrom('api_tokens')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        userId: r.user_id,
        name: r.name,
        prefix: r.token_prefix,
        scopes: parseScopes(r.scopes),
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
      }
    : null;
}
