import type { Kysely } from 'kysely';
import type { DB } from '../../src/app/database.js';
import { sha256 } from '../../src/app/crypto.js';
import { newId, newToken } from '../../src/app/ids.js';
import type { ApiScope } from '../../src/app/policy.js';
import { insertApiToken, TOKEN_PREFIX } from '../../src/modules/api/api-tokens.repository.js';

/** Issues an API token straight into the database (the admin page has its own tests). */
export async function issueToken(
  db: Kysely<DB>,
  userId: string,
  scopes: ApiScope[],
): Promise<string> {
  const token = `${TOKEN_PREFIX}${newToken(32)}`;
  await insertApiToken(
    db,
    {
      id: newId(),
      userId,
      name: 'test',
      tokenHash: sha256(token),
      prefix: token.slice(4, 12),
      scopes,
      createdBy: userId,
      expiresAt: null,
    },
    new Date(),
  );
  return token;
}

export async function apiGet(baseUrl: string, path: string, token?: string) {
  const res = await fetch(new URL(`/api/v1${path}`, baseUrl), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json() : await res.text();
  return { status: res.status, body, res };
}

export async function apiSend(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
  contentType = 'application/json',
) {
  const res = await fetch(new URL(`/api/v1${path}`, baseUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await res.json() : await res.text();
  return { status: res.status, body: parsed, res };
}
