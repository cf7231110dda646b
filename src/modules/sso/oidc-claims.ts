import type { Db } from '../../app/db.js';
import {
  decideAccess,
  membershipStanding,
  servicesWithAccess,
  type AccountView,
  type ServiceView,
  type Standing,
} from '../services/access.js';
import type { Office } from '../members/members.tables.js';

// The claims Allmenning gives relying parties, per scope:
//   openid     sub (the account id: stable, never reused)
//   profile    name, preferred_username (the handle chosen at sign-up, immutable)
//   email      email, email_verified
//   groups     groups: "members" (active and paid), "board" (board member), each office
//              held today, and "service:<slug>" for every service the member may use now
//   membership membership: { status, type, paid_until } (null without a membership)

export const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'groups', 'membership'];

export const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
  membership: ['membership'],
};

export type MembershipClaim = {
  status: string;
  type: string | null;
  paid_until: string | null;
} | null;

export type AccountClaims = {
  sub: string;
  name: string;
  preferred_username: string;
  email: string;
  email_verified: boolean;
  groups: string[];
  membership: MembershipClaim;
};

async function activeServices(db: Db, memberId: string): Promise<ServiceView[]> {
  const rows = await servicesWithAccess(db, memberId)
    .where('services.status', '=', 'active')
    .orderBy('services.slug')
    .execute();
  return rows.map((s) => ({
    id: s.id,
    slug: s.slug,
    status: s.status,
    accessPolicy: s.access_policy,
    offices: JSON.parse(s.offices) as Office[],
    access: s.access_status ? { status: s.access_status } : null,
  }));
}

/** The groups of a member in good standing (or none), including per-service access groups. */
export async function groupsOf(db: Db, standing: Standing): Promise<string[]> {
  const groups: string[] = [];
  if (!standing.member) return groups;
  if (standing.refusal === null) groups.push('members');
  const offices: Office[] = standing.offices;
  if (offices.includes('board_member')) groups.push('board');
  groups.push(...offices);
  if (standing.refusal !== null) return groups;
  // The gate's statement read them with the standing (checkServiceAccess); otherwise now.
  const services = standing.services ?? (await activeServices(db, standing.member.id));
  for (const s of services) {
    if (s.status !== 'active') continue;
    const decision = decideAccess({ standing, service: s, access: s.access });
    if (decision.allowed) groups.push(`service:${s.slug}`);
  }
  return groups;
}

async function accountView(db: Db, userId: string): Promise<AccountView | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['name', 'handle', 'email', 'email_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return user
    ? {
        name: user.name,
        handle: user.handle,
        email: user.email,
        emailVerified: user.email_verified_at !== null,
      }
    : undefined;
}

/** Every claim of the account `userId` now, or null when the account does not exist. */
export async function accountClaims(
  db: Db,
  opts: { userId: string; now: Date; standing?: Standing | undefined },
): Promise<AccountClaims | null> {
  // The gate has usually just read the standing, with the account's row, in the same
  // request (checkServiceAccess with `account`).
  const account = opts.standing?.account ?? (await accountView(db, opts.userId));
  if (!account) return null;
  const standing =
    opts.standing ?? (await membershipStanding(db, { userId: opts.userId, now: opts.now }));
  let membership: MembershipClaim = null;
  if (standing.member) {
    membership = {
      status: standing.member.status,
      type: standing.typeCode,
      paid_until: standing.paidUntil,
    };
  }
  return {
    sub: opts.userId,
    name: account.name,
    preferred_username: account.handle,
    email: account.email,
    email_verified: account.emailVerified,
    groups: await groupsOf(db, standing),
    membership,
  };
}
