import type { Db } from '../../app/db.js';
import {
  contactToRow,
  searchTextOf,
  type Member,
  type MemberContact,
} from './members.repository.js';

/** Writes contact fields and keeps the search text in step with them. */
export async function updateMemberContact(
  db: Db,
  member: Pick<Member, 'id' | 'memberNumber' | 'name' | 'email' | 'orgNumber'>,
  patch: Partial<MemberContact>,
  now: Date,
): Promise<void> {
  const next = { ...member, ...patch };
  await db
    .updateTable('members')
    .set({
      ...contactToRow(patch),
      search_text: searchTextOf({
        name: next.name,
        email: next.email,
        memberNumber: member.memberNumber,
        orgNumber: next.orgNumber,
      }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', member.id)
    .execute();
}

// --- what the data download gathers -------------------------------------------

export type PersonalAuditEntry = {
  at: string;
  action: string;
  entityType: string;
  entityId: string | null;
  actorLabel: string;
  before: unknown;
  after: unknown;
  ip: string | null;
};

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Audit entries about the user's account or membership, and those the user made. Of an
 * entry the user made about someone else only the fact is given, never the other
 * person's data; the IP address only when it was the user's own.
 */
export async function listAuditEntriesFor(
  db: Db,
  who: { userId: string; memberId: string | null },
): Promise<PersonalAuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('actor_user_id', '=', who.userId),
        eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', who.userId)]),
        ...(who.memberId
          ? [eb.and([eb('entity_type', '=', 'member'), eb('entity_id', '=', who.memberId)])]
          : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const aboutThem =
      (r.entity_type === 'user' && r.entity_id === who.userId) ||
      (r.entity_type === 'member' && r.entity_id === who.memberId);
    return {
      at: r.at,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      actorLabel: r.actor_label,
      before: aboutThem ? parseJson(r.before) : null,
      after: aboutThem ? parseJson(r.after) : null,
      ip: r.actor_user_id === who.userId ? r.ip : null,
    };
  });
}

/** Mail addressed to any of the addresses: subject and delivery state, not the body. */
export async function listEmailsTo(db: Db, addresses: string[]) {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom('outbox')
    .select(['recipient', 'payload', 'status', 'created_at', 'sent_at'])
    .where('kind', '=', 'email')
    .where('recipient', 'in', addresses)
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const payload = parseJson(r.payload) as { subject?: unknown } | null;
    return {
      to: r.recipient,
      subject: typeof payload?.subject === 'string' ? payload.subject : null,
      status: r.status,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    };
  });
}
