import type { Kysely } from 'kysely';
import type { DB } from '../../src/app/database.js';
import { nextNumber } from '../../src/app/counters.js';
import { newId } from '../../src/app/ids.js';
import { hashPassword } from '../../src/app/passwords.js';
import { insertUser } from '../../src/modules/accounts/accounts.repository.js';
import {
  findMembershipTypeByCode,
  insertMember,
  insertOfficeTerm,
  insertStatusChange,
} from '../../src/modules/members/members.repository.js';
import type { MemberStatus, Office } from '../../src/modules/members/members.tables.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const PASSWORD = 'a long enough password';

/** A verified account, written straight to the database (the sign-up flow has its own tests). */
export async function createUser(
  db: Kysely<DB>,
  opts: {
    email?: string;
    name?: string;
    handle?: string;
    password?: string;
    isAdmin?: boolean;
  } = {},
) {
  const id = newId();
  const u = unique();
  const user = {
    id,
    email: opts.email ?? `user-${u}@example.org`,
    name: opts.name ?? `User ${u}`,
    handle: opts.handle ?? `user-${u}`,
    password: opts.password ?? PASSWORD,
  };
  await insertUser(
    db,
    {
      id,
      email: user.email,
      passwordHash: await hashPassword(user.password),
      name: user.name,
      handle: user.handle,
      locale: 'nb',
      isAdmin: !!opts.isAdmin,
      emailVerifiedAt: new Date().toISOString(),
    },
    new Date(),
  );
  return user;
}

/** A member (with an account unless `userId: null`), in any status, holding any offices. */
export async function createMember(
  db: Kysely<DB>,
  opts: {
    userId?: string | null;
    email?: string | null;
    name?: string;
    status?: MemberStatus;
    typeCode?: string;
    offices?: Office[];
  } = {},
) {
  const type = await findMembershipTypeByCode(db, opts.typeCode ?? 'ordinary');
  if (!type) throw new Error('run setup first: membership types missing');
  const id = newId();
  const now = new Date();
  const status = opts.status ?? 'active';
  const memberNumber = await db.transaction().execute((tx) => nextNumber(tx, 'member_number'));
  await insertMember(
    db,
    {
      id,
      memberNumber,
      userId: opts.userId ?? null,
      typeId: type.id,
      status,
      name: opts.name ?? `Member ${memberNumber}`,
      email: opts.email === undefined ? `member-${unique()}@example.org` : opts.email,
      phone: null,
      addressLine: null,
      postalCode: null,
      city: null,
      country: null,
      orgNumber: null,
      contactPerson: null,
      applicationNote: null,
      joinedOn: now.toISOString().slice(0, 10),
    },
    now,
  );
  await insertStatusChange(
    db,
    {
      id: newId(),
      memberId: id,
      from: null,
      to: status,
      actorUserId: null,
      actorLabel: 'fixture',
      reason: null,
    },
    now,
  );
  for (const office of opts.offices ?? []) {
    await insertOfficeTerm(
      db,
      {
        id: newId(),
        memberId: id,
        office,
        startsOn: '2000-01-01',
        endsOn: null,
        note: null,
        createdBy: null,
      },
      now,
    );
  }
  return { id, memberNumber };
}

/** An account with a membership, ready to log in. */
export async function createMemberUser(
  db: Kysely<DB>,
  opts: { status?: MemberStatus; offices?: Office[]; name?: string } = {},
) {
  const user = await createUser(db, opts.name ? { name: opts.name } : {});
  const member = await createMember(db, {
    userId: user.id,
    email: user.email,
    name: user.name,
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.offices ? { offices: opts.offices } : {}),
  });
  return { user, member };
}
