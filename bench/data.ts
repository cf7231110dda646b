import { sql, type SqlBool } from 'kysely';
import type { Db } from '../src/app/db.js';
import { associationYear, todayIn } from '../src/app/dates.js';
import { newId } from '../src/app/ids.js';
import { findAssociation } from '../src/modules/association/association.repository.js';
import { listMembershipTypes } from '../src/modules/members/members.repository.js';
import type { MemberStatus } from '../src/modules/members/members.tables.js';
import {
  insertImportedMembers,
  sortedIds,
  type ImportedMember,
} from '../src/modules/members/register-import.repository.js';
import { nextNumbers } from '../src/app/counters.js';

/** A small deterministic PRNG, so every run measures the same register. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_NAMES = [
  'Kari',
  'Ola',
  'Ingrid',
  'Lars',
  'Sigrid',
  'Øystein',
  'Åse',
  'Bjørn',
  'Nora',
  'Emil',
  'Sofie',
  'Jakob',
  'Astrid',
  'Henrik',
  'Maja',
  'Magnus',
  'Ragnhild',
  'Tor',
  'Live',
  'Sindre',
  'Frida',
  'Håkon',
  'Ylva',
  'Eirik',
  'Marit',
  'Knut',
  'Solveig',
  'Anders',
  'Tuva',
  'Even',
];
export const LAST_NAMES = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Lund',
  'Sæther',
  'Solberg',
  'Bakken',
  'Moen',
  'Strand',
  'Nordmann',
  'Ødegård',
];
const CITIES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromsø', 'Bodø', 'Ålesund', 'Drammen'];

function ascii(s: string): string {
  return s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a');
}

/** A valid Norwegian organisation number (MOD11) derived from `n`. */
export function orgNumber(n: number): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (let k = n; ; k++) {
    const base = String(80_000_000 + (k % 19_999_999)).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(base[i]) * weights[i]!;
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${base}${check}`;
  }
}

export type FakeMember = {
  name: string;
  email: string;
  type: string;
  status: MemberStatus;
  joinedOn: string;
  city: string;
  phone: string;
  orgNumber: string | null;
};

/** The i-th fake member of a series (`tag` keeps series apart: emails are unique). */
export function fakeMember(i: number, tag: string, next: () => number): FakeMember {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const first = pick(FIRST_NAMES);
  const last = pick(LAST_NAMES);
  const r = next();
  const type =
    r < 0.7 ? 'ordinary' : r < 0.85 ? 'reduced' : r < 0.95 ? 'supporter' : 'organisation';
  const s = next();
  const status: MemberStatus =
    s < 0.85 ? 'active' : s < 0.93 ? 'lapsed' : s < 0.97 ? 'resigned' : 'applied';
  const year = 2000 + Math.floor(next() * 26);
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  const isOrg = type === 'organisation';
  return {
    name: isOrg ? `${last} ${pick(['Data', 'IT', 'Nett'])} AS ${i}` : `${first} ${last}`,
    email: `${ascii(first)}.${ascii(last)}.${tag}${i}@example.org`,
    type,
    status,
    joinedOn: `${year}-${month}-${day}`,
    city: pick(CITIES),
    phone: `+47 9${String(Math.floor(next() * 1e7)).padStart(7, '0')}`,
    orgNumber: isOrg ? orgNumber(i * 7 + tag.length) : null,
  };
}

/**
 * Seeds `count` members straight through the import's batched insert (no CSV, no
 * checks), then marks 60 % of this year's periods paid and gives a few members offices.
 */
export async function seedMembers(db: Db, count: number): Promise<void> {
  const association = await findAssociation(db);
  if (!association) throw new Error('set up first');
  const now = new Date();
  const today = todayIn(association.timeZone, now);
  const year = associationYear(today, association.yearStartMonth);
  const types = await listMembershipTypes(db);
  const typeIds = new Map(types.map((t) => [t.code, t.id]));
  const next = random(42);
  await db.transaction().execute(async (tx) => {
    let number = await nextNumbers(tx, 'member_number', count);
    for (let start = 0; start < count; start += 500) {
      const batch: ImportedMember[] = [];
      const size = Math.min(count, start + 500) - start;
      const [ids, changeIds, periodIds] = [1, 2, 3].map(() => sortedIds(size, now.getTime()));
      for (let i = start; i < start + size; i++) {
        const m = fakeMember(i, 's', next);
        const k = i - start;
        batch.push({
          id: ids![k]!,
          statusChangeId: changeIds![k]!,
          memberNumber: number++,
          userId: null,
          typeId: typeIds.get(m.type)!,
          status: m.status,
          name: m.name,
          email: m.email,
          phone: m.phone,
          addressLine: null,
          postalCode: null,
          city: m.city,
          country: 'NO',
          orgNumber: m.orgNumber,
          contactPerson: null,
          applicationNote: null,
          joinedOn: m.joinedOn,
          period:
            m.status === 'active'
              ? {
                  id: periodIds![k]!,
                  year: year.year,
                  startsOn: year.startsOn,
                  endsOn: year.endsOn,
                }
              : null,
        });
      }
      await insertImportedMembers(tx, {
        members: batch,
        actor: { userId: null, label: 'bench' },
        now,
      });
    }
    await tx
      .updateTable('membership_periods')
      .set({ paid_at: now.toISOString() })
      .where('year', '=', year.year)
      // About 60 % paid: by a random character of the id.
      .where(sql<SqlBool>`substr(member_id, 26, 1) < 'm'`)
      .execute();
    const officers = await tx
      .selectFrom('members')
      .select('id')
      .where('status', '=', 'active')
      .orderBy('member_number')
      .limit(12)
      .execute();
    const offices = ['board_member', 'treasurer', 'moderator', 'sysadmin', 'auditor'] as const;
    await tx
      .insertInto('office_terms')
      .values(
        officers.map((o, i) => ({
          id: newId(),
          member_id: o.id,
          office: offices[i % offices.length]!,
          starts_on: '2020-01-01',
          ends_on: null,
          note: null,
          created_at: now.toISOString(),
          created_by: null,
        })),
      )
      .execute();
  });
}

/** A member CSV of `count` rows, as an association would export it from a spreadsheet. */
export function memberCsv(count: number, tag: string, firstNumber: number): Buffer {
  const next = random(7);
  const lines = ['member_number;name;email;type;status;joined_on;phone;city;country;org_number'];
  for (let i = 0; i < count; i++) {
    const m = fakeMember(i, tag, next);
    const number = i % 2 === 0 ? String(firstNumber + i) : '';
    lines.push(
      [
        number,
        m.name,
        m.email,
        m.type,
        m.status,
        m.joinedOn,
        m.phone,
        m.city,
        'NO',
        m.orgNumber ?? '',
      ].join(';'),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}
