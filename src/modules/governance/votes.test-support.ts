// Helpers shared by the vote tests (imported by *.test.ts only).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../app/database.js';
import { sha256 } from '../../app/crypto.js';
import { newId } from '../../app/ids.js';
import { insertUser } from '../accounts/accounts.repository.js';
import type { MemberStatus } from '../members/members.tables.js';
import { TestClient } from '../../../test/helpers/app.js';
import { createMember } from '../../../test/helpers/fixtures.js';

/**
 * A member with an account and a signed-in client, made without argon2 (the password is
 * never used): the session is written straight to the sessions table.
 */
export async function quickMember(
  db: Kysely<DB>,
  baseUrl: string,
  opts: { joinedOn?: string; status?: MemberStatus; name?: string } = {},
) {
  const userId = newId();
  const tag = randomBytes(5).toString('hex');
  const now = new Date();
  const name = opts.name ?? `Voter ${tag}`;
  await insertUser(
    db,
    {
      id: userId,
      email: `voter-${tag}@example.org`,
      passwordHash: 'not-a-hash',
      name,
      handle: `voter-${tag}`,
      locale: 'nb',
      isAdmin: false,
      emailVerifiedAt: now.toISOString(),
    },
    now,
  );
  const member = await createMember(db, {
    userId,
    name,
    email: `voter-${tag}@example.org`,
    ...(opts.status ? { status: opts.status } : {}),
  });
  if (opts.joinedOn)
    await db
      .updateTable('members')
      .set({ joined_on: opts.joinedOn })
      .where('id', '=', member.id)
      .execute();
  const token = randomBytes(24).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: '2099-01-01T00:00:00.000Z',
      last_seen_at: '2099-01-01T00:00:00.000Z',
      ip: null,
      user_agent: null,
    })
    .execute();
  const client = new TestClient(baseUrl);
  client.cookies.set('alm_session', token);
  return { userId, memberId: member.id, memberNumber: member.memberNumber, name, client };
}
