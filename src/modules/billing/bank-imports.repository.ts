import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { BankImportsTable } from './billing.tables.js';

/** One imported bank file: what it held and what became of it. */
export type BankImport = {
  id: string;
  fileSha256: string;
  format: string;
  fileId: string | null;
  filename: string | null;
  transactionCount: number;
  totalOre: number;
  matchedCount: number;
  unmatchedCount: number;
  duplicateCount: number;
  importedAt: string;
  importedBy: string | null;
};

export type BankImportCounts = Pick<
  BankImport,
  | 'fileSha256'
  | 'format'
  | 'fileId'
  | 'transactionCount'
  | 'totalOre'
  | 'matchedCount'
  | 'unmatchedCount'
  | 'duplicateCount'
>;

function toBankImport(row: Selectable<BankImportsTable>): BankImport {
  return {
    id: row.id,
    fileSha256: row.file_sha256,
    format: row.format,
    fileId: row.file_id,
    filename: row.filename,
    transactionCount: row.transaction_count,
    totalOre: row.total_ore,
    matchedCount: row.matched_count,
    unmatchedCount: row.unmatched_count,
    duplicateCount: row.duplicate_count,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}

/**
 * The row an import's payments point to, written first (the payments reference it) with
 * a placeholder hash; finishBankImport sets the real hash once the file has been read.
 */
export async function startBankImport(
  db: Db,
  row: { id: string; filename: string | null; importedAt: string; importedBy: string | null },
): Promise<void> {
  await db
    .insertInto('bank_imports')
    .values({
      id: row.id,
      file_sha256: `pending:${row.id}`,
      format: 'pending',
      file_id: null,
      filename: row.filename,
      transaction_count: 0,
      total_ore: 0,
      matched_count: 0,
      unmatched_count: 0,
      duplicate_count: 0,
      imported_at: row.importedAt,
      imported_by: row.importedBy,
    })
    .execute();
}

/** Sets hash and counts. The unique hash makes a second import of the same file fail here. */
export async function finishBankImport(db: Db, id: string, c: BankImportCounts): Promise<void> {
  await db
    .updateTable('bank_imports')
    .set({
      file_sha256: c.fileSha256,
      format: c.format,
      file_id: c.fileId,
      transaction_count: c.transactionCount,
      total_ore: c.totalOre,
      matched_count: c.matchedCount,
      unmatched_count: c.unmatchedCount,
      duplicate_count: c.duplicateCount,
    })
    .where('id', '=', id)
    .execute();
}

export async function findBankImportBySha(db: Db, sha256: string): Promise<BankImport | null> {
  const row = await db
    .selectFrom('bank_imports')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .executeTakeFirst();
  return row ? toBankImport(row) : null;
}

export async function listBankImports(db: Db, limit = 50): Promise<BankImport[]> {
  const rows = await db
    .selectFrom('bank_imports')
    .selectAll()
    .where('format', '!=', 'pending')
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toBankImport);
}
