import type { AppContext } from '../../app/context.js';
import { diff, recordAudit, type Actor } from '../../app/audit.js';
import { newId } from '../../app/ids.js';
import { verifyPassword } from '../../app/passwords.js';
import {
  findPasswordHash,
  findUserById,
  listUserSessions,
} from '../accounts/accounts.repository.js';
import { AccountErrors } from '../accounts/accounts.errors.js';
import { listApiTokens } from '../api/api-tokens.repository.js';
import { findAssociation } from '../association/association.repository.js';
import {
  findMemberByUserId,
  insertStatusChange,
  type MemberContact,
} from './members.repository.js';
import type { MemberStatus } from './members.tables.js';
import { ProfileErrors } from './profile.errors.js';
import {
  collectPastEmails,
  countAdministrators,
  deleteLoginAttempts,
  deleteUser,
  eraseMemberRow,
  ERASED,
  redactAuditLog,
  redactOutbox,
  redactStatusChangeActors,
} from './profile-erasure.repository.js';
import { pseudonymiseOnErasure } from '../finance/retention.usecases.js';
import { listAuditEntriesFor, listEmailsTo, updateMemberContact } from './profile.repository.js';
import {
  listAcceptances,
  listOfficeTerms,
  listPeriods,
  listStatusChanges,
} from './member-history.repository.js';
import { findMembershipTypeById } from './members.repository.js';
import type { ProfileInput } from './profile.schemas.js';
import { onAccountErased } from '../sso/revocation.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** Version of the shape of the personal data download; raise it when fields change. */
export const PERSONAL_DATA_SCHEMA = 'allmenning.personal-data/1';

/** The member edits their own contact details; email is the account's, changed on /account. */
export async function updateOwnProfile(
  deps: Deps,
  input: { actor: Actor; userId: string; profile: ProfileInput },
): Promise<{ changed: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const member = await findMemberByUserId(tx, input.userId);
    if (!member) throw ProfileErrors.noMembership();
    const type = await findMembershipTypeById(tx, member.typeId);
    const p = input.profile;
    const patch: Partial<MemberContact> = {
      name: p.name,
      phone: p.phone,
      addressLine: p.address_line,
      postalCode: p.postal_code,
      city: p.city,
      country: p.country,
      ...(type?.isOrganisation ? { orgNumber: p.org_number, contactPerson: p.contact_person } : {}),
    };
    const change = diff<Partial<MemberContact>>(member, patch);
    if (Object.keys(change.after).length === 0) return { changed: false };
    await updateMemberContact(tx, member, patch, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.profile_updated',
      entityType: 'member',
      entityId: member.id,
      before: change.before,
      after: change.after,
      at: now,
    });
    return { changed: true };
  });
}

/**
 * Everything held about the signed-in user, for the "download my data" file. Secrets
 * (password hash, session ids, token hashes) are never part of it, nor other people's data.
 */
export async function exportMyData(deps: Deps, input: { actor: Actor; userId: string }) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const account = await findUserById(tx, input.userId);
    if (!account) throw AccountErrors.invalidCredentials();
    const member = await findMemberByUserId(tx, account.id);
    const type = member ? await findMembershipTypeById(tx, member.typeId) : null;
    const addresses = [...new Set([account.email, ...(member?.email ? [member.email] : [])])];
    const tokens = await listApiTokens(tx, { userId: account.id });
    const data = {
      schema: PERSONAL_DATA_SCHEMA,
      generatedAt: now.toISOString(),
      account,
      member: member
        ? {
            ...member,
            type: type ? { code: type.code, nameNb: type.nameNb, nameEn: type.nameEn } : null,
          }
        : null,
      // The member pages' history reads, oldest first and without internal ids.
      statusHistory: member
        ? (await listStatusChanges(tx, member.id))
            .reverse()
            .map(({ from, to, at, actorLabel, reason }) => ({ from, to, at, actorLabel, reason }))
        : [],
      membershipPeriods: member
        ? (await listPeriods(tx, member.id))
            .reverse()
            .map(({ year, startsOn, endsOn, paidAt, createdAt }) => ({
              year,
              startsOn,
              endsOn,
              paidAt,
              createdAt,
            }))
        : [],
      documentAcceptances: member
        ? (await listAcceptances(tx, member.id))
            .reverse()
            .map(({ kind, version, title, acceptedAt }) => ({ kind, version, title, acceptedAt }))
        : [],
      officeTerms: member
        ? (await listOfficeTerms(tx, member.id))
            .reverse()
            .map(({ office, startsOn, endsOn, note }) => ({ office, startsOn, endsOn, note }))
        : [],
      sessions: await listUserSessions(tx, account.id),
      apiTokens: tokens.map((tok) => ({
        name: tok.name,
        prefix: tok.prefix,
        scopes: tok.scopes,
        createdAt: tok.createdAt,
        expiresAt: tok.expiresAt,
        lastUsedAt: tok.lastUsedAt,
        revokedAt: tok.revokedAt,
      })),
      auditLog: await listAuditEntriesFor(tx, { userId: account.id, memberId: member?.id ?? null }),
      emails: await listEmailsTo(tx, addresses),
    };
    await recordAudit(tx, {
      actor: input.actor,
      action: 'accounts.data_exported',
      entityType: 'user',
      entityId: account.id,
      at: now,
    });
    return { data, handle: account.handle };
  });
}

const RESIGN_ON_ERASURE: readonly MemberStatus[] = ['active', 'applied', 'lapsed'];

/**
 * The right to erasure, in one transaction: the member row keeps only its number, type,
 * dates and status (the accounting records need them); the account, its sessions and
 * tokens are deleted; the audit log and the outbox are redacted. See docs/privacy.md.
 */
export async function eraseMyself(
  deps: Deps,
  input: { userId: string; currentPassword: string },
): Promise<{ memberNumber: number | null }> {
  const now = deps.clock.now();
  const hash = await findPasswordHash(deps.db, input.userId);
  if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
    throw AccountErrors.wrongPassword(undefined, {
      current_password: AccountErrors.wrongPassword().messages,
    });
  }
  return deps.db.transaction().execute(async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user) throw AccountErrors.invalidCredentials();
    if (user.isAdmin && (await countAdministrators(tx)) <= 1)
      throw ProfileErrors.lastAdministrator();
    const member = await findMemberByUserId(tx, user.id);
    const association = await findAssociation(tx);

    const pastEmails = await collectPastEmails(tx, {
      userId: user.id,
      memberId: member?.id ?? null,
    });
    const emails = [
      ...new Set([user.email, member?.email, ...pastEmails].filter((e): e is string => !!e)),
    ];
    // Full names only: a short string would blank unrelated words.
    const names = [user.name, member?.name, member?.contactPerson].filter(
      (n): n is string => !!n && n.length >= 4,
    );
    const needles = [...new Set([...emails, ...names, ...(member?.phone ? [member.phone] : [])])];
    const anonymous: Actor = { userId: null, label: ERASED };

    let statusAfter: MemberStatus | null = null;
    if (member) {
      statusAfter = RESIGN_ON_ERASURE.includes(member.status) ? 'resigned' : member.status;
      const placeholder =
        association?.defaultLocale === 'en'
          ? `Erased member #${member.memberNumber}`
          : `Slettet medlem #${member.memberNumber}`;
      // Accounting records are kept five years after their fiscal year: those past it are
      // pseudonymised now, younger ones stay for the daily retention job (docs/finance.md).
      await pseudonymiseOnErasure(tx, { memberId: member.id, names, now });
      await eraseMemberRow(tx, member, placeholder, statusAfter, now);
      if (statusAfter !== member.status) {
        await insertStatusChange(
          tx,
          {
            id: newId(now.getTime()),
            memberId: member.id,
            from: member.status,
            to: statusAfter,
            actorUserId: null,
            actorLabel: anonymous.label,
            reason: 'erasure',
          },
          now,
        );
      }
    }
    // Every service lets go of the account too (tokens, sessions, connectors, webhooks).
    await onAccountErased(tx, { userId: user.id, memberId: member?.id ?? null, now });
    await redactStatusChangeActors(tx, user.id);
    const auditEntries = await redactAuditLog(tx, {
      userId: user.id,
      memberId: member?.id ?? null,
      needles,
      emails,
    });
    const outboxRows = await redactOutbox(tx, { emails, needles: [...emails, ...names] });
    await deleteLoginAttempts(tx, emails);
    await deleteUser(tx, user.id);
    await recordAudit(tx, {
      actor: anonymous,
      action: 'members.erased',
      entityType: member ? 'member' : 'user',
      entityId: member?.id ?? user.id,
      before: member ? { status: member.status } : undefined,
      after: {
        memberNumber: member?.memberNumber ?? null,
        status: statusAfter,
        auditEntriesRedacted: auditEntries,
        outboxRowsRedacted: outboxRows,
      },
      at: now,
    });
    return { memberNumber: member?.memberNumber ?? null };
  });
}
