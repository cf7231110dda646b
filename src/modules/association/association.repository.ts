import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import type { AssociationTable, DocumentsTable } from './association.tables.js';

export type Association = {
  name: string;
  orgNumber: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  email: string | null;
  yearStartMonth: number;
  timeZone: string;
  defaultLocale: Locale;
  vatRegistered: boolean;
  requireApproval: boolean;
};

export type DocumentKind = DocumentsTable['kind'];
export type AssociationDocument = {
  id: string;
  kind: DocumentKind;
  version: number;
  title: string;
  bodyNb: string;
  bodyEn: string | null;
  adoptedOn: string | null;
  adoptedNote: string | null;
  publishedAt: string;
};

const ROW_ID = 'main';

function toAssociation(row: Selectable<AssociationTable>): Association {
  return {
    name: row.name,
    orgNumber: row.org_number,
    addressLine: row.address_line,
    postalCode: row.postal_code,
    city: row.city,
    email: row.email,
    yearStartMonth: row.year_start_month,
    timeZone: row.time_zone,
    defaultLocale: row.default_locale === 'en' ? 'en' : 'nb',
    vatRegistered: row.vat_registered === 1,
    requireApproval: row.require_approval === 1,
  };
}

export async function findAssociation(db: Db): Promise<Association | null> {
  const row = await db
    .selectFrom('association')
    .selectAll()
    .where('id', '=', ROW_ID)
    .executeTakeFirst();
  return row ? toAssociation(row) : null;
}

export async function insertAssociation(db: Db, a: Association, now: Date): Promise<void> {
  await db
    .insertInto('association')
    .values({
      id: ROW_ID,
      ...toRow(a),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}

export async function updateAssociation(db: Db, a: Association, now: Date): Promise<void> {
  await db
    .updateTable('association')
    .set({ ...toRow(a), updated_at: now.toISOString() })
    .where('id', '=', ROW_ID)
    .execute();
}

function toRow(a: Association) {
  return {
    name: a.name,
    org_number: a.orgNumber,
    address_line: a.addressLine,
    postal_code: a.postalCode,
    city: a.city,
    email: a.email,
    year_start_month: a.yearStartMonth,
    time_zone: a.timeZone,
    default_locale: a.defaultLocale,
    vat_registered: a.vatRegistered ? 1 : 0,
    require_approval: a.requireApproval ? 1 : 0,
  };
}

function toDocument(row: Selectable<DocumentsTable>): AssociationDocument {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    title: row.title,
    bodyNb: row.body_nb,
    bodyEn: row.body_en,
    adoptedOn: row.adopted_on,
    adoptedNote: row.adopted_note,
    publishedAt: row.published_at,
  };
}

export async function findCurrentDocument(
  db: Db,
  kind: DocumentKind,
): Promise<AssociationDocument | null> {
  const row = await db
    .selectFrom('documents')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toDocument(row) : null;
}

export async function listDocumentVersions(
  db: Db,
  kind: DocumentKind,
): Promise<AssociationDocument[]> {
  const rows = await db
    .selectFrom('documents')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toDocument);
}

export async function findDocument(
  db: Db,
  kind: DocumentKind,
  version: number,
): Promise<AssociationDocument | null> {
  const row = await db
    .selectFrom('documents')
    .selectAll()
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? toDocument(row) : null;
}

export async function insertDocument(
  db: Db,
  doc: Omit<AssociationDocument, 'version'> & { createdBy: string | null },
): Promise<AssociationDocument> {
  const last = await findCurrentDocument(db, doc.kind);
  const version = (last?.version ?? 0) + 1;
  await db
    .insertInto('documents')
    .values({
      id: doc.id,
      kind: doc.kind,
      version,
      title: doc.title,
      body_nb: doc.bodyNb,
      body_en: doc.bodyEn,
      adopted_on: doc.adoptedOn,
      adopted_note: doc.adoptedNote,
      published_at: doc.publishedAt,
      created_by: doc.createdBy,
    })
    .execute();
  return { ...doc, version };
}

/** App-level key/value settings (the generated app secret lives here). */
export async function getSetting(db: Db, key: string): Promise<string | null> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value ?? null;
}

export async function putSettingIfAbsent(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
