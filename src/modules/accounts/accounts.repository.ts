import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import type { UsersTable, UserTokensTable } from './accounts.tables.js';

export type User = {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
  handle: string;
  locale: Locale | null;
  isAdmin: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};

// Every column but the password hash: it never leaves the repository.
const USER_COLUMNS = [
  'id',
  'email',
  'email_verified_at',
  'name',
  'handle',
  'locale',
  'is_admin',
  'created_at',
  'last_login_at',
] as const;

function toUser(row: Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>): User {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    name: row.name,
    handle: row.handle,
    locale: row.locale === 'nb' || row.locale === 'en' ? row.locale : null,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserById(db: Db, id: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByHandle(db: Db, handle: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('handle', '=', handle)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

/** For login only: the hash is returned to the caller that checks it, nowhere else. */
export async function findCredentials(
  db: Db,
  email: string,
): Promise<{ userId: string; passwordHash: string } | null> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return row ? { userId: row.id, passwordHash: row.password_hash } : null;
}

export async function findPasswordHash(db: Db, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.password_hash ?? null;
}

export async function insertUser(
  db: Db,
  u: {
    id: string;
    email: string;
    passwordHash: string;
    name: string;
    handle: string;
    locale: Locale | null;
    isAdmin: boolean;
    emailVerifiedAt: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      email: normaliseEmail(u.email),
      email_verified_at: u.emailVerifiedAt,
      password_hash: u.passwordHash,
      name: u.name,
      handle: u.handle,
      locale: u.locale,
      is_admin: u.isAdmin ? 1 : 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      last_login_at: null,
    })
    .execute();
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<{
    email: string;
    emailVerifiedAt: string | null;
    passwordHash: string;
    name: string;
    locale: Locale | null;
    lastLoginAt: string;
  }>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(patch.email !== undefined ? { email: normaliseEmail(patch.email) } : {}),
      ...(patch.emailVerifiedAt !== undefined ? { email_verified_at: patch.emailVerifiedAt } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.lastLoginAt !== undefined ? { last_login_at: patch.lastLoginAt } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

// --- sessions -------------------------------------------------------------

export type SessionRow = { id: string; userId: string; expiresAt: string; lastSeenAt: string };

export async function insertSession(
  db: Db,
  s: {
    idHash: string;
    userId: string;
    expiresAt: string;
    ip: string | null;
    userAgent: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.idHash,
      user_id: s.userId,
      created_at: now.toISOString(),
      expires_at: s.expiresAt,
      last_seen_at: now.toISOString(),
      ip: s.ip,
      user_agent: s.userAgent ? s.userAgent.slice(0, 300) : null,
    })
    .execute();
}

export async function findSession(db: Db, idHash: string, now: Date): Promise<SessionRow | null> {
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'expires_at', 'last_seen_at'])
    .where('id', '=', idHash)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row
    ? { id: row.id, userId: row.user_id, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at }
    : null;
}

export async function touchSession(
  db: Db,
  idHash: string,
  now: Date,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now.toISOString(), expires_at: expiresAt })
    .where('id', '=', idHash)
    .execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', idHash).execute();
}

export async function deleteUserSessions(
  db: Db,
  userId: string,
  exceptIdHash?: string,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) q = q.where('id', '!=', exceptIdHash);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function listUserSessions(db: Db, userId: string) {
  const rows = await db
    .selectFrom('sessions')
    .select(['created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

// --- one-time tokens (email verification, password reset, email change) ---

export type UserTokenPurpose = UserTokensTable['purpose'];

export async function insertUserToken(
  db: Db,
  t: {
    id: string;
    userId: string;
    purpose: UserTokenPurpose;
    tokenHash: string;
    data: unknown;
    expiresAt: string;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('user_tokens')
    .values({
      id: t.id,
      user_id: t.userId,
      purpose: t.purpose,
      token_hash: t.tokenHash,
      data: t.data === undefined ? null : JSON.stringify(t.data),
      created_at: now.toISOString(),
      expires_at: t.expiresAt,
      used_at: null,
    })
    .execute();
}

export async function findUserToken(db: Db, tokenHash: string, purpose: UserTokenPurpose) {
  const row = await db
    .selectFrom('user_tokens')
    .select(['id', 'user_id', 'data', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        userId: row.user_id,
        data: row.data ? (JSON.parse(row.data) as unknown) : null,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    : null;
}

/** Marks a token used; false when another request used it first. */
export async function consumeUserToken(db: Db, id: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('user_tokens')
    .set({ used_at: now.toISOString() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Earlier unused tokens of the same purpose stop working when a new one is sent. */
export async function invalidateUserTokens(
  db: Db,
  userId: string,
  purpose: UserTokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .updateTable('user_tokens')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

// --- login attempts ---------------------------------------------------------

export async function recordLoginFailure(
  db: Db,
  keys: string[],
  id: () => string,
  now: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('login_attempts')
    .values(keys.map((key) => ({ id: id(), key, at: now.toISOString() })))
    .execute();
}

export async function countLoginFailures(db: Db, key: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .where('at', '>', since.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}
