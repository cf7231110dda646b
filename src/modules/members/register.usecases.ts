import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import type { Db } from '../../app/db.js';
import { associationYear, todayIn } from '../../app/dates.js';
import type { Association } from '../association/association.repository.js';
import { csvHead, csvRows } from './csv-export.js';
import { listMembershipTypes, type MembershipType } from './members.repository.js';
import { RegisterErrors } from './register.errors.js';
import {
  exportRegister,
  findRegisterPage,
  type RegisterFilter,
  type RegisterPageResult,
  type RegisterScope,
} from './register.repository.js';
import type { RegisterQuery } from './register.schemas.js';

type Deps = Pick<AppContext, 'db' | 'dialect' | 'clock'>;

function scopeOf(deps: Deps, association: Association): RegisterScope {
  const today = todayIn(association.timeZone, deps.clock.now());
  return {
    today,
    year: associationYear(today, association.yearStartMonth).year,
    dialect: deps.dialect,
  };
}

/** Query-string filters to repository filters; an unknown type code is a bad query. */
async function filterOf(
  db: Db,
  query: Pick<RegisterQuery, 'q' | 'status' | 'type' | 'office' | 'paid'>,
): Promise<{ filter: RegisterFilter; types: MembershipType[] }> {
  const types = await listMembershipTypes(db);
  const type = query.type ? types.find((t) => t.code === query.type) : undefined;
  if (query.type && !type) throw RegisterErrors.unknownType({ code: query.type });
  return {
    types,
    filter: {
      q: query.q,
      status: query.status,
      typeId: type?.id ?? null,
      office: query.office,
      paid: query.paid,
    },
  };
}

export type RegisterPage = RegisterPageResult & { types: MembershipType[] };

/** The register list: one page of the filtered, sorted members and the total count. */
export async function listMembers(
  deps: Deps,
  input: { association: Association; query: RegisterQuery },
): Promise<RegisterPage> {
  const { db } = deps;
  const { query } = input;
  const { filter, types } = await filterOf(db, query);
  const result = await findRegisterPage(db, {
    filter,
    scope: scopeOf(deps, input.association),
    sort: query.sort,
    dir: query.dir,
    page: query.page,
  });
  return { ...result, types };
}

/**
 * The filtered register as CSV text chunks (BOM and header first). Personal data is
 * leaving the system, so the export is audited, with its filter, before the first byte.
 */
export async function exportMembers(
  deps: Deps,
  input: { actor: Actor; association: Association; query: RegisterQuery },
): Promise<{ chunks: AsyncGenerator<string> }> {
  const { db } = deps;
  const now = deps.clock.now();
  const scope = scopeOf(deps, input.association);
  const { filter, types } = await filterOf(db, input.query);
  await db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: input.actor,
      action: 'members.exported',
      entityType: 'member',
      entityId: null,
      after: {
        filter: {
          q: input.query.q,
          status: input.query.status,
          type: input.query.type,
          office: input.query.office,
          paid: input.query.paid,
        },
      },
      at: now,
    }),
  );
  const codes = new Map(types.map((t) => [t.id, t.code]));
  async function* chunks(): AsyncGenerator<string> {
    yield csvHead();
    for await (const members of exportRegister(db, { filter, scope })) {
      yield csvRows(
        members.map((m) => ({
          member_number: m.memberNumber,
          name: m.name,
          email: m.email,
          type: codes.get(m.typeId) ?? '',
          status: m.status,
          joined_on: m.joinedOn,
          phone: m.phone,
          address_line: m.addressLine,
          postal_code: m.postalCode,
          city: m.city,
          country: m.country,
          org_number: m.orgNumber,
          contact_person: m.contactPerson,
        })),
      );
    }
  }
  return { chunks: chunks() };
}
