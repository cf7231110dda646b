import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { sha256 } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import { newId, newToken } from '../../app/ids.js';
import { enqueueEmail } from '../../app/outbox.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../app/passwords.js';
import { findAssociation } from '../association/association.repository.js';
import { findMemberByEmail, searchTextOf } from '../members/members.repository.js';
import { AccountErrors } from './accounts.errors.js';
import {
  clearLoginFailures,
  consumeUserToken,
  countLoginFailures,
  deleteSession,
  deleteUserSessions,
  findCredentials,
  findPasswordHash,
  findUserByEmail,
  findUserByHandle,
  findUserById,
  findUserToken,
  insertSession,
  insertUser,
  insertUserToken,
  invalidateUserTokens,
  normaliseEmail,
  recordLoginFailure,
  updateUser,
  type User,
} from './accounts.repository.js';
import {
  confirmEmailChangeMessage,
  emailChangedNoticeMessage,
  passwordChangedNoticeMessage,
  resetPasswordMessage,
  verifyEmailMessage,
} from './accounts.emails.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

const HOUR = 3600_000;
export const VERIFY_TTL_MS = 48 * HOUR;
export const RESET_TTL_MS = HOUR;

async function associationName(db: Db): Promise<string> {
  return (await findAssociation(db))?.name ?? 'Allmenning';
}

/** Creates a session; the raw token goes into the cookie, only its hash is stored. */
export async function createSession(
  deps: Deps,
  opts: { userId: string; ip: string | null; userAgent: string | null },
): Promise<{ token: string; idHash: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const token = newToken(32);
  const idHash = sha256(token);
  const expiresAt = new Date(now.getTime() + deps.config.sessionDays * 24 * HOUR);
  await insertSession(
    deps.db,
    {
      idHash,
      userId: opts.userId,
      expiresAt: expiresAt.toISOString(),
      ip: opts.ip,
      userAgent: opts.userAgent,
    },
    now,
  );
  return { token, idHash, expiresAt };
}

async function sendVerification(
  db: Db,
  deps: Deps,
  user: Pick<User, 'id' | 'email' | 'name' | 'locale'>,
  locale: Locale,
  now: Date,
) {
  await invalidateUserTokens(db, user.id, 'verify_email', now);
  const token = newToken(32);
  await insertUserToken(
    db,
    {
      id: newId(),
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: sha256(token),
      data: null,
      expiresAt: new Date(now.getTime() + VERIFY_TTL_MS).toISOString(),
    },
    now,
  );
  const link = `${deps.config.baseUrl}/verify-email?token=${encodeURIComponent(token)}`;
  await enqueueEmail(db, {
    message: verifyEmailMessage({
      to: user.email,
      name: user.name,
      link,
      association: await associationName(db),
      locale: user.locale ?? locale,
    }),
    at: now,
  });
}

export async function signUp(
  deps: Deps,
  input: {
    name: string;
    handle: string;
    email: string;
    password: string;
    locale: Locale;
    ip: string | null;
  },
): Promise<{ userId: string }> {
  const now = deps.clock.now();
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const result = await deps.db.transaction().execute(async (tx) => {
    if (await findUserByEmail(tx, email))
      throw AccountErrors.emailTaken(undefined, { email: AccountErrors.emailTaken().messages });
    if (await findUserByHandle(tx, input.handle))
      throw AccountErrors.handleTaken(undefined, { handle: AccountErrors.handleTaken().messages });
    const userId = newId();
    await insertUser(
      tx,
      {
        id: userId,
        email,
        passwordHash,
        name: input.name,
        handle: input.handle,
        locale: input.locale,
        isAdmin: false,
        emailVerifiedAt: null,
      },
      now,
    );
    await sendVerification(
      tx,
      deps,
      { id: userId, email, name: input.name, locale: input.locale },
      input.locale,
      now,
    );
    await recordAudit(tx, {
      actor: { userId, label: input.handle, ip: input.ip },
      action: 'accounts.signed_up',
      entityType: 'user',
      entityId: userId,
      after: { email, handle: input.handle, name: input.name },
      at: now,
    });
    return { userId };
  });
  deps.kickOutbox();
  return result;
}

/**
 * Confirms an email address. If the board already registered a member with this address
 * (an import, say) and no account holds it, the membership is linked to the account.
 */
export async function verifyEmail(
  deps: Deps,
  input: { token: string },
): Promise<{ userId: string }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const token = await findUserToken(tx, sha256(input.token), 'verify_email');
    if (!token || token.usedAt || token.expiresAt <= now.toISOString())
      throw AccountErrors.tokenInvalid();
    if (!(await consumeUserToken(tx, token.id, now))) throw AccountErrors.tokenInvalid();
    const user = await findUserById(tx, token.userId);
    if (!user) throw AccountErrors.tokenInvalid();
    await updateUser(tx, user.id, { emailVerifiedAt: now.toISOString() }, now);
    const member = await findMemberByEmail(tx, user.email);
    if (member && member.userId === null) {
      await tx
        .updateTable('members')
        .set({ user_id: user.id, updated_at: now.toISOString() })
        .where('id', '=', member.id)
        .execute();
      await recordAudit(tx, {
        actor: { userId: user.id, label: user.handle },
        action: 'members.account_linked',
        entityType: 'member',
        entityId: member.id,
        after: { userId: user.id },
        at: now,
      });
    }
    await recordAudit(tx, {
      actor: { userId: user.id, label: user.handle },
      action: 'accounts.email_verified',
      entityType: 'user',
      entityId: user.id,
      after: { email: user.email },
      at: now,
    });
    return { userId: user.id };
  });
}

export async function resendVerification(
  deps: Deps,
  input: { email: string; locale: Locale },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    if (!user || user.emailVerified) return; // say nothing about which addresses exist
    await sendVerification(tx, deps, user, input.locale, now);
  });
  deps.kickOutbox();
}

/**
 * Password login with rate limits per account and per IP address. Failures are counted
 * in the database, so every app instance sees the same count.
 */
export async function logIn(
  deps: Deps,
  input: {
    email: string;
    password: string;
    ip: string | null;
    userAgent: string | null;
    locale: Locale;
  },
): Promise<{ userId: string; token: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const { config } = deps;
  const email = normaliseEmail(input.email);
  const since = new Date(now.getTime() - config.loginWindowMinutes * 60_000);
  const accountKey = `acct:${email}`;
  const ipKey = input.ip ? `ip:${input.ip}` : null;
  const limited =
    (await countLoginFailures(deps.db, accountKey, since)) >= config.loginMaxPerAccount ||
    (ipKey !== null && (await countLoginFailures(deps.db, ipKey, since)) >= config.loginMaxPerIp);
  if (limited) throw AccountErrors.rateLimited({ minutes: config.loginWindowMinutes });

  const credentials = await findCredentials(deps.db, email);
  const ok = await verifyPassword(
    credentials?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );
  if (!credentials || !ok) {
    await recordLoginFailure(deps.db, [accountKey, ...(ipKey ? [ipKey] : [])], newId, now);
    throw AccountErrors.invalidCredentials();
  }
  const user = await findUserById(deps.db, credentials.userId);
  if (!user) throw AccountErrors.invalidCredentials();
  if (!user.emailVerified) {
    await resendVerification(deps, { email, locale: input.locale });
    throw AccountErrors.emailNotVerified();
  }
  const session = await deps.db.transaction().execute(async (tx) => {
    await clearLoginFailures(tx, accountKey);
    await updateUser(tx, user.id, { lastLoginAt: now.toISOString() }, now);
    const s = await createSession(
      { ...deps, db: tx },
      { userId: user.id, ip: input.ip, userAgent: input.userAgent },
    );
    await recordAudit(tx, {
      actor: { userId: user.id, label: user.handle, ip: input.ip },
      action: 'accounts.logged_in',
      entityType: 'user',
      entityId: user.id,
      at: now,
    });
    return s;
  });
  return { userId: user.id, token: session.token, expiresAt: session.expiresAt };
}

export async function logOut(deps: Deps, input: { sessionIdHash: string }): Promise<void> {
  await deleteSession(deps.db, input.sessionIdHash);
}

/** Always answers the same, whether or not the address has an account. */
export async function requestPasswordReset(
  deps: Deps,
  input: { email: string; locale: Locale },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    if (!user) return;
    await invalidateUserTokens(tx, user.id, 'reset_password', now);
    const token = newToken(32);
    await insertUserToken(
      tx,
      {
        id: newId(),
        userId: user.id,
        purpose: 'reset_password',
        tokenHash: sha256(token),
        data: null,
        expiresAt: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
      },
      now,
    );
    const link = `${deps.config.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await enqueueEmail(tx, {
      message: resetPasswordMessage({
        to: user.email,
        name: user.name,
        link,
        association: await associationName(tx),
        locale: user.locale ?? input.locale,
      }),
      at: now,
    });
    await recordAudit(tx, {
      actor: { userId: null, label: 'anonymous' },
      action: 'accounts.password_reset_requested',
      entityType: 'user',
      entityId: user.id,
      at: now,
    });
  });
  deps.kickOutbox();
}

export async function checkResetToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
): Promise<boolean> {
  const row = await findUserToken(deps.db, sha256(token), 'reset_password');
  return !!row && !row.usedAt && row.expiresAt > deps.clock.now().toISOString();
}

/** A used, expired or unknown link is refused; success logs out every session. */
export async function resetPassword(
  deps: Deps,
  input: { token: string; password: string },
): Promise<{ userId: string }> {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  const result = await deps.db.transaction().execute(async (tx) => {
    const token = await findUserToken(tx, sha256(input.token), 'reset_password');
    if (!token || token.usedAt || token.expiresAt <= now.toISOString())
      throw AccountErrors.tokenInvalid();
    if (!(await consumeUserToken(tx, token.id, now))) throw AccountErrors.tokenInvalid();
    const user = await findUserById(tx, token.userId);
    if (!user) throw AccountErrors.tokenInvalid();
    // Receiving the link proves the address, so an unverified account becomes verified.
    await updateUser(
      tx,
      user.id,
      { passwordHash, ...(user.emailVerified ? {} : { emailVerifiedAt: now.toISOString() }) },
      now,
    );
    await deleteUserSessions(tx, user.id);
    await clearLoginFailures(tx, `acct:${user.email}`);
    await enqueueEmail(tx, {
      message: passwordChangedNoticeMessage({
        to: user.email,
        name: user.name,
        association: await associationName(tx),
        locale: user.locale ?? 'nb',
      }),
      at: now,
    });
    await recordAudit(tx, {
      actor: { userId: user.id, label: user.handle },
      action: 'accounts.password_reset',
      entityType: 'user',
      entityId: user.id,
      at: now,
    });
    return { userId: user.id };
  });
  deps.kickOutbox();
  return result;
}

export async function changePassword(
  deps: Deps,
  input: {
    actor: Actor;
    userId: string;
    currentPassword: string;
    password: string;
    keepSessionIdHash: string | null;
  },
): Promise<void> {
  const now = deps.clock.now();
  const hash = await findPasswordHash(deps.db, input.userId);
  if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
    throw AccountErrors.wrongPassword(undefined, {
      current_password: AccountErrors.wrongPassword().messages,
    });
  }
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction().execute(async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user) throw AccountErrors.invalidCredentials();
    await updateUser(tx, user.id, { passwordHash }, now);
    await deleteUserSessions(tx, user.id, input.keepSessionIdHash ?? undefined);
    await enqueueEmail(tx, {
      message: passwordChangedNoticeMessage({
        to: user.email,
        name: user.name,
        association: await associationName(tx),
        locale: user.locale ?? 'nb',
      }),
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'accounts.password_changed',
      entityType: 'user',
      entityId: user.id,
      at: now,
    });
  });
  deps.kickOutbox();
}

/** The new address must be confirmed from its own inbox before it takes effect. */
export async function requestEmailChange(
  deps: Deps,
  input: { actor: Actor; userId: string; email: string; currentPassword: string; locale: Locale },
): Promise<void> {
  const now = deps.clock.now();
  const hash = await findPasswordHash(deps.db, input.userId);
  if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
    throw AccountErrors.wrongPassword(undefined, {
      current_password: AccountErrors.wrongPassword().messages,
    });
  }
  const email = normaliseEmail(input.email);
  await deps.db.transaction().execute(async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user) throw AccountErrors.invalidCredentials();
    const other = await findUserByEmail(tx, email);
    if (other)
      throw AccountErrors.emailTaken(undefined, { email: AccountErrors.emailTaken().messages });
    await invalidateUserTokens(tx, user.id, 'change_email', now);
    const token = newToken(32);
    await insertUserToken(
      tx,
      {
        id: newId(),
        userId: user.id,
        purpose: 'change_email',
        tokenHash: sha256(token),
        data: { email },
        expiresAt: new Date(now.getTime() + VERIFY_TTL_MS).toISOString(),
      },
      now,
    );
    const link = `${deps.config.baseUrl}/confirm-email?token=${encodeURIComponent(token)}`;
    await enqueueEmail(tx, {
      message: confirmEmailChangeMessage({
        to: email,
        name: user.name,
        link,
        association: await associationName(tx),
        locale: user.locale ?? input.locale,
      }),
      at: now,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'accounts.email_change_requested',
      entityType: 'user',
      entityId: user.id,
      after: { email },
      at: now,
    });
  });
  deps.kickOutbox();
}

export async function confirmEmailChange(
  deps: Deps,
  input: { token: string },
): Promise<{ userId: string }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    const token = await findUserToken(tx, sha256(input.token), 'change_email');
    if (!token || token.usedAt || token.expiresAt <= now.toISOString())
      throw AccountErrors.tokenInvalid();
    const data = token.data as { email?: unknown } | null;
    const email = typeof data?.email === 'string' ? data.email : null;
    if (!email || !(await consumeUserToken(tx, token.id, now))) throw AccountErrors.tokenInvalid();
    const user = await findUserById(tx, token.userId);
    if (!user) throw AccountErrors.tokenInvalid();
    if (await findUserByEmail(tx, email)) throw AccountErrors.emailTaken();
    await updateUser(tx, user.id, { email, emailVerifiedAt: now.toISOString() }, now);
    // The member register follows the account's address.
    const member = await tx
      .selectFrom('members')
      .select(['id', 'name', 'member_number', 'org_number'])
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (member) {
      await tx
        .updateTable('members')
        .set({
          email,
          search_text: searchTextOf({
            name: member.name,
            email,
            memberNumber: member.member_number,
            orgNumber: member.org_number,
          }),
          updated_at: now.toISOString(),
        })
        .where('id', '=', member.id)
        .execute();
    }
    await enqueueEmail(tx, {
      message: emailChangedNoticeMessage({
        to: user.email,
        name: user.name,
        newEmail: email,
        association: await associationName(tx),
        locale: user.locale ?? 'nb',
      }),
      at: now,
    });
    await recordAudit(tx, {
      actor: { userId: user.id, label: user.handle },
      action: 'accounts.email_changed',
      entityType: 'user',
      entityId: user.id,
      before: { email: user.email },
      after: { email },
      at: now,
    });
    return { userId: user.id };
  });
  deps.kickOutbox();
  return result;
}

export async function updatePreferences(
  deps: Deps,
  input: { actor: Actor; userId: string; name: string; locale: Locale },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user) throw AccountErrors.invalidCredentials();
    await updateUser(tx, user.id, { name: input.name, locale: input.locale }, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'accounts.preferences_updated',
      entityType: 'user',
      entityId: user.id,
      before: { name: user.name, locale: user.locale },
      after: { name: input.name, locale: input.locale },
      at: now,
    });
  });
}
