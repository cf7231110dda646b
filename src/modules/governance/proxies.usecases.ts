import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { ProxyErrors } from './proxies.errors.js';
import {
  countHeldProxies,
  findProxyById,
  findProxyOf,
  findRegisterPerson,
  holdsProxy,
  listHeldProxies,
  revokeProxyOf,
  upsertProxy,
  type Proxy,
  type RegisterPerson,
} from './proxies.repository.js';
import { findRegister, isPresent } from './register.repository.js';
import { loadMeetingRow, requireOfficer, type MeetingRow } from './register.usecases.js';
import { VoteErrors } from './votes.errors.js';

// Proxies (fullmakt), when the association allows them (governance_settings.proxies_enabled):
// a member on the meeting's register lets another member on it, who is present, vote for
// them. Rules: a holder holds at most `proxy_cap` proxies; a grantor has one proxy in force;
// nobody holds a proxy while giving one; the grantor may revoke it until they check in —
// checking in revokes it (they then vote themselves).

type Deps = Pick<AppContext, 'db' | 'clock' | 'dialect'>;
type Locale = 'nb' | 'en';

function requireNotOver(meeting: MeetingRow): void {
  if (meeting.status === 'closed' || meeting.status === 'cancelled')
    throw VoteErrors.meetingClosed();
}

async function grantIn(
  tx: Db,
  opts: {
    meeting: MeetingRow;
    grantor: RegisterPerson;
    holderNumber: number;
    actor: Actor;
    now: Date;
    dialect: Deps['dialect'];
    written: boolean;
  },
): Promise<Proxy> {
  const { meeting, grantor } = opts;
  const holder = await findRegisterPerson(tx, meeting.id, { memberNumber: opts.holderNumber });
  if (!holder) throw ProxyErrors.holderNotOnRegister({ number: opts.holderNumber });
  if (holder.memberId === grantor.memberId) throw ProxyErrors.toSelf();
  // Two grants racing (to the same holder, or A→B while B→A): the register rows of both
  // people are locked in a fixed order, so the checks below see each other's result.
  if (opts.dialect === 'postgres')
    await tx
      .selectFrom('voter_register_entries')
      .select('member_id')
      .where('meeting_id', '=', meeting.id)
      .where('member_id', 'in', [grantor.memberId, holder.memberId])
      .orderBy('member_id')
      .forUpdate()
      .execute();
  if (await isPresent(tx, meeting.id, grantor.memberId))
    throw ProxyErrors.grantorPresent({ name: grantor.name });
  const given = await findProxyOf(tx, meeting.id, grantor.memberId);
  if (given && !given.revokedAt)
    throw ProxyErrors.alreadyGiven({ name: grantor.name, holder: given.holderName });
  if ((await countHeldProxies(tx, meeting.id, grantor.memberId)) > 0)
    throw ProxyErrors.grantorHolds({ name: grantor.name });
  const holderGave = await findProxyOf(tx, meeting.id, holder.memberId);
  if (holderGave && !holderGave.revokedAt) throw ProxyErrors.holderGave({ name: holder.name });
  const { proxyCap } = await getGovernanceSettings(tx);
  if ((await countHeldProxies(tx, meeting.id, holder.memberId)) >= proxyCap)
    throw ProxyErrors.overCap({ name: holder.name, cap: proxyCap });
  const id = await upsertProxy(tx, {
    id: newId(opts.now.getTime()),
    meetingId: meeting.id,
    grantorId: grantor.memberId,
    holderId: holder.memberId,
    createdBy: opts.actor.label,
    now: opts.now,
  });
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'governance.proxy_given',
    entityType: 'meeting',
    entityId: meeting.id,
    after: {
      proxyId: id,
      grantorMemberId: grantor.memberId,
      holderMemberId: holder.memberId,
      written: opts.written,
    },
    at: opts.now,
  });
  return (await findProxyById(tx, meeting.id, id))!;
}

async function preconditions(tx: Db, meeting: MeetingRow): Promise<void> {
  if (!(await getGovernanceSettings(tx)).proxiesEnabled) throw ProxyErrors.disabled();
  requireNotOver(meeting);
  if (!(await findRegister(tx, meeting.id))) throw ProxyErrors.registerNotFrozen();
}

/** A member on the register gives their proxy to another member on it (by member number). */
export async function giveProxy(
  deps: Deps,
  input: {
    actor: Actor;
    memberId: string | null;
    meetingId: string;
    holderNumber: number;
    locale: Locale;
  },
): Promise<{ proxy: Proxy }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    if (!input.memberId) throw VoteErrors.notAMember();
    const meeting = await loadMeetingRow(tx, input.meetingId);
    await preconditions(tx, meeting);
    const grantor = await findRegisterPerson(tx, meeting.id, { memberId: input.memberId });
    if (!grantor)
      throw VoteErrors.notOnRegister({
        date: meeting.qualifyingOn ? formatDate(meeting.qualifyingOn, input.locale) : '–',
      });
    const proxy = await grantIn(tx, {
      meeting,
      grantor,
      holderNumber: input.holderNumber,
      actor: input.actor,
      now,
      dialect: deps.dialect,
      written: false,
    });
    return { proxy };
  });
}

/** The secretary (or the board, or the chair) records a written proxy handed in. */
export async function recordWrittenProxy(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    grantorNumber: number;
    holderNumber: number;
  },
): Promise<{ proxy: Proxy }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    await preconditions(tx, meeting);
    const grantor = await findRegisterPerson(tx, meeting.id, { memberNumber: input.grantorNumber });
    if (!grantor) throw VoteErrors.memberNotOnRegister({ number: input.grantorNumber });
    const proxy = await grantIn(tx, {
      meeting,
      grantor,
      holderNumber: input.holderNumber,
      actor: input.actor,
      now,
      dialect: deps.dialect,
      written: true,
    });
    return { proxy };
  });
}

async function revokeIn(
  tx: Db,
  opts: { meetingId: string; grantorId: string; actor: Actor; now: Date; reason: string },
): Promise<boolean> {
  const revoked = await revokeProxyOf(tx, opts);
  if (revoked)
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'governance.proxy_revoked',
      entityType: 'meeting',
      entityId: opts.meetingId,
      after: { grantorMemberId: opts.grantorId, reason: opts.reason },
      at: opts.now,
    });
  return revoked;
}

/** The grantor takes their proxy back (until they check in, which also revokes it). */
export async function revokeOwnProxy(
  deps: Deps,
  input: { actor: Actor; memberId: string | null; meetingId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    if (!input.memberId) throw VoteErrors.notAMember();
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireNotOver(meeting);
    const ok = await revokeIn(tx, {
      meetingId: meeting.id,
      grantorId: input.memberId,
      actor: input.actor,
      now,
      reason: 'grantor',
    });
    if (!ok) throw ProxyErrors.noProxy();
  });
}

/** An officer revokes a proxy (a grantor who says so in the room, a mistake). */
export async function revokeProxyAsOfficer(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; proxyId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    requireNotOver(meeting);
    const proxy = await findProxyById(tx, meeting.id, input.proxyId);
    if (!proxy || proxy.revokedAt) throw ProxyErrors.noProxy();
    await revokeIn(tx, {
      meetingId: meeting.id,
      grantorId: proxy.grantorId,
      actor: input.actor,
      now,
      reason: 'officer',
    });
  });
}

/** Checking in revokes the member's own proxy, inside the check-in's transaction. */
export async function revokeOnCheckIn(
  tx: Db,
  opts: { meetingId: string; memberId: string; actor: Actor; now: Date },
): Promise<void> {
  await revokeIn(tx, {
    meetingId: opts.meetingId,
    grantorId: opts.memberId,
    actor: opts.actor,
    now: opts.now,
    reason: 'checked_in',
  });
}

/**
 * For a ballot cast on behalf of another member: the caller must hold that member's proxy,
 * in force, while proxies are allowed. Returns the member the ballot counts for.
 */
export async function requireProxyHeld(
  tx: Db,
  opts: { meetingId: string; holderId: string; grantorId: string },
): Promise<string> {
  if (!(await getGovernanceSettings(tx)).proxiesEnabled) throw ProxyErrors.disabled();
  if (!(await holdsProxy(tx, opts))) throw ProxyErrors.notHeld();
  return opts.grantorId;
}

/** What the proxy page shows a member: their own proxy and the ones they hold. */
export async function proxyStateOf(
  db: Db,
  meetingId: string,
  memberId: string,
): Promise<{ onRegister: boolean; given: Proxy | null; held: Proxy[] }> {
  const onRegister = !!(await findRegisterPerson(db, meetingId, { memberId }));
  const given = await findProxyOf(db, meetingId, memberId);
  return {
    onRegister,
    given: given && !given.revokedAt ? given : null,
    held: await listHeldProxies(db, meetingId, memberId),
  };
}

/** On a vote's page, for a holder: each grantor, and whether their vote has been cast. */
export async function heldBallots(
  db: Db,
  opts: { meetingId: string; voteId: string; holderId: string },
): Promise<{ memberId: string; name: string; voted: boolean }[]> {
  if (!(await getGovernanceSettings(db)).proxiesEnabled) return [];
  const held = await listHeldProxies(db, opts.meetingId, opts.holderId);
  const voted = new Set(
    held.length
      ? (
          await db
            .selectFrom('vote_participation')
            .select('member_id')
            .where('vote_id', '=', opts.voteId)
            .where(
              'member_id',
              'in',
              held.map((p) => p.grantorId),
            )
            .execute()
        ).map((r) => r.member_id)
      : [],
  );
  return held.map((p) => ({
    memberId: p.grantorId,
    name: p.grantorName,
    voted: voted.has(p.grantorId),
  }));
}
