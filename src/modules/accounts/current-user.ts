import type { CurrentUser } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { permissionsFor, type ApiScope } from '../../app/policy.js';
import { currentOffices, findMemberByUserId } from '../members/members.repository.js';
import { findUserById } from './accounts.repository.js';

/**
 * Builds the request's user: the account, its membership, and the permissions of the
 * offices it holds today. Offices count only while the membership is active.
 */
export async function loadCurrentUser(
  db: Db,
  opts: { userId: string; today: string; scopes?: ApiScope[] | null; apiTokenId?: string | null },
): Promise<CurrentUser | null> {
  const user = await findUserById(db, opts.userId);
  if (!user) return null;
  const member = await findMemberByUserId(db, user.id);
  const offices =
    member && member.status === 'active' ? await currentOffices(db, member.id, opts.today) : [];
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    handle: user.handle,
    isAdmin: user.isAdmin,
    emailVerified: user.emailVerified,
    locale: user.locale,
    memberId: member?.id ?? null,
    memberStatus: member?.status ?? null,
    offices,
    permissions: permissionsFor({ isAdmin: user.isAdmin, offices, scopes: opts.scopes ?? null }),
    apiTokenId: opts.apiTokenId ?? null,
  };
}
