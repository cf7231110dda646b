import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { nextNumbers, raiseCounter } from '../../app/counters.js';
import { sha256 } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { findAssociation } from '../association/association.repository.js';
import {
  decodeCsv,
  mergeBadRows,
  readMembersCsv,
  validateMembersCsv,
  type BadRow,
  type CandidateRow,
} from './csv-import.js';
import { listMembershipTypes } from './members.repository.js';
import { RegisterErrors } from './register.errors.js';
import {
  findImportedFile,
  findTakenEmails,
  findTakenNames,
  findTakenNumbers,
  findTakenOrgNumbers,
  IMPORT_AUDIT_ENTITY,
  insertImportedMembers,
  sortedIds,
  type ImportedMember,
} from './register-import.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

export type ImportReport = {
  totalRows: number;
  goodRows: number;
  badRows: BadRow[];
  /** When exactly this file was imported before (it is then refused as a whole). */
  alreadyImportedAt: string | null;
  committed: boolean;
  imported: number;
  /** The member numbers given to rows that had none. */
  assigned: { first: number; last: number } | null;
};

const INSERT_BATCH = 500;

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Checked rows as members: numbers for rows without one, ids, this year's period. */
function toImportedMembers(
  rows: CandidateRow[],
  opts: {
    firstNumber: number;
    year: { year: number; startsOn: string; endsOn: string };
    ms: number;
  },
): ImportedMember[] {
  const { year } = opts;
  const ids = sortedIds(rows.length, opts.ms);
  const changeIds = sortedIds(rows.length, opts.ms);
  const periodIds = sortedIds(rows.length, opts.ms);
  let next = opts.firstNumber;
  return rows.map((r, i) => ({
    id: ids[i]!,
    memberNumber: r.memberNumber ?? next++,
    userId: null,
    typeId: r.type.id,
    status: r.status,
    name: r.name,
    email: r.email,
    phone: r.phone,
    addressLine: r.addressLine,
    postalCode: r.postalCode,
    city: r.city,
    country: r.country,
    orgNumber: r.orgNumber,
    contactPerson: r.contactPerson,
    applicationNote: null,
    joinedOn: r.joinedOn,
    statusChangeId: changeIds[i]!,
    period:
      r.status === 'active'
        ? {
            id: periodIds[i]!,
            year: year.year,
            // A member who joined during the year is a member from that day.
            startsOn: r.joinedOn && r.joinedOn > year.startsOn ? r.joinedOn : year.startsOn,
            endsOn: year.endsOn,
          }
        : null,
  }));
}

/** Rows whose member the register already has: same email, number, org. number or name. */
async function registerConflicts(db: Db, rows: CandidateRow[]): Promise<BadRow[]> {
  const emails = await findTakenEmails(
    db,
    rows.flatMap((r) => (r.email ? [r.email] : [])),
  );
  const numbers = await findTakenNumbers(
    db,
    rows.flatMap((r) => (r.memberNumber !== null ? [r.memberNumber] : [])),
  );
  const orgs = await findTakenOrgNumbers(
    db,
    rows.flatMap((r) => (r.orgNumber ? [r.orgNumber] : [])),
  );
  // A row without email, member number or organisation number can only be recognised
  // by its name; without this, importing such a row twice would make two members.
  const anonymous = (r: CandidateRow) => !r.email && r.memberNumber === null && !r.orgNumber;
  const names = await findTakenNames(
    db,
    rows.filter(anonymous).map((r) => r.name),
  );
  const bad: BadRow[] = [];
  for (const r of rows) {
    const problems: BadRow['problems'] = [];
    const emailHolder = r.email ? emails.get(r.email) : undefined;
    if (emailHolder !== undefined)
      problems.push({ key: 'register.import.p.email_exists', params: { number: emailHolder } });
    if (r.memberNumber !== null && numbers.has(r.memberNumber))
      problems.push({ key: 'register.import.p.number_exists', params: { number: r.memberNumber } });
    const orgHolder = r.orgNumber ? orgs.get(r.orgNumber) : undefined;
    if (orgHolder !== undefined)
      problems.push({ key: 'register.import.p.org_exists', params: { number: orgHolder } });
    const nameHolder = anonymous(r) ? names.get(r.name) : undefined;
    if (nameHolder !== undefined)
      problems.push({ key: 'register.import.p.name_exists', params: { number: nameHolder } });
    if (problems.length > 0) bad.push({ line: r.line, problems });
  }
  return bad;
}

/**
 * Checks a member CSV and, with `commit`, imports it: all rows in one transaction or
 * none. A dry run (the default) reports every bad row and changes nothing. Importing
 * the same file again finds every member already there and imports nothing.
 */
export async function importMembers(
  deps: Deps,
  input: { actor: Actor; bytes: Uint8Array; commit: boolean; fileName?: string | null },
): Promise<ImportReport> {
  const { db } = deps;
  const now = deps.clock.now();
  const association = await findAssociation(db);
  if (!association) throw RegisterErrors.notSetUp();
  const today = todayIn(association.timeZone, now);
  const text = decodeCsv(input.bytes);
  const fileHash = sha256(text);
  const { records, bad: shapeBad } = readMembersCsv(text);
  const types = await listMembershipTypes(db, { activeOnly: true });
  const { rows, bad: cellBad } = validateMembersCsv(records, { types, today });
  const totalRows = records.length + shapeBad.length;

  const check = async (tx: Db) => {
    const badRows = mergeBadRows(shapeBad, cellBad, await registerConflicts(tx, rows));
    const previous = await findImportedFile(tx, fileHash);
    return {
      totalRows,
      goodRows: totalRows - badRows.length,
      badRows,
      alreadyImportedAt: previous?.at ?? null,
      committed: false,
      imported: 0,
      assigned: null,
    } satisfies ImportReport;
  };
  if (!input.commit) return check(db);

  return db.transaction().execute(async (tx) => {
    const report = await check(tx);
    if (report.badRows.length > 0 || report.alreadyImportedAt) return report;

    const given = rows.flatMap((r) => (r.memberNumber !== null ? [r.memberNumber] : []));
    if (given.length > 0)
      await raiseCounter(
        tx,
        'member_number',
        given.reduce((a, b) => Math.max(a, b), 0),
      );
    const missing = rows.length - given.length;
    const first = missing > 0 ? await nextNumbers(tx, 'member_number', missing) : 0;
    const members = toImportedMembers(rows, {
      firstNumber: first,
      year: associationYear(today, association.yearStartMonth),
      ms: now.getTime(),
    });
    // Inserted in id order (see sortedIds), in batches well inside the parameter limits.
    const inIdOrder = [...members].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = 0; i < inIdOrder.length; i += INSERT_BATCH) {
      await insertImportedMembers(tx, {
        members: inIdOrder.slice(i, i + INSERT_BATCH),
        actor: input.actor,
        now,
      });
    }
    const assigned = missing > 0 ? { first, last: first + missing - 1 } : null;
    // One entry for the whole import; each member's own record of it is its first status
    // change (reason "imported", same actor and instant).
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.imported',
      entityType: IMPORT_AUDIT_ENTITY,
      entityId: fileHash,
      after: {
        file: input.fileName ?? null,
        rows: totalRows,
        imported: members.length,
        givenNumbers: given.length,
        assigned,
        byStatus: countBy(members.map((m) => m.status)),
      },
      at: now,
    });
    return { ...report, committed: true, imported: members.length, assigned };
  });
}
