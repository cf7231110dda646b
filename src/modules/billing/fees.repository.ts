import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { upsertMembershipFee } from '../members/members.repository.js';
import type { FeeComponentsTable } from './billing.tables.js';

/** One part of a membership type's fee for a year, with its own VAT treatment. */
export type FeeComponent = {
  id: string;
  typeId: string;
  year: number;
  position: number;
  nameNb: string;
  nameEn: string;
  /** Gross: what the member pays, VAT included. */
  amountOre: number;
  /** Basis points: 2500 = 25 %, 0 = outside VAT. */
  vatRateBp: number;
  /** The member may pay more than this amount. */
  orMore: boolean;
};

export type NewFeeComponent = Omit<FeeComponent, 'id' | 'typeId' | 'year' | 'position'>;

function toFeeComponent(row: Selectable<FeeComponentsTable>): FeeComponent {
  return {
    id: row.id,
    typeId: row.type_id,
    year: row.year,
    position: row.position,
    nameNb: row.name_nb,
    nameEn: row.name_en,
    amountOre: row.amount_ore,
    vatRateBp: row.vat_rate_bp,
    orMore: row.or_more === 1,
  };
}

/** Every component of a year, by type and position. */
export async function listFeeComponents(db: Db, year: number): Promise<FeeComponent[]> {
  const rows = await db
    .selectFrom('fee_components')
    .selectAll()
    .where('year', '=', year)
    .orderBy('type_id')
    .orderBy('position')
    .execute();
  return rows.map(toFeeComponent);
}

/** The years that have a fee schedule, newest first. */
export async function listFeeYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('fee_components')
    .select('year')
    .distinct()
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => r.year);
}

/** Replaces a type's components for a year (the schedule is edited as a whole). */
export async function replaceFeeComponents(
  db: Db,
  opts: { typeId: string; year: number; components: NewFeeComponent[]; now: Date },
): Promise<void> {
  await db
    .deleteFrom('fee_components')
    .where('type_id', '=', opts.typeId)
    .where('year', '=', opts.year)
    .execute();
  if (opts.components.length === 0) return;
  await db
    .insertInto('fee_components')
    .values(
      opts.components.map((c, i) => ({
        id: newId(opts.now.getTime()),
        type_id: opts.typeId,
        year: opts.year,
        position: i + 1,
        name_nb: c.nameNb,
        name_en: c.nameEn,
        amount_ore: c.amountOre,
        vat_rate_bp: c.vatRateBp,
        or_more: c.orMore ? 1 : 0,
      })),
    )
    .execute();
}

/**
 * Keeps the membership's one-amount fee (shown on the application page and the
 * membership types page) equal to the sum of the components, or unset without any.
 */
export async function syncMembershipFee(
  db: Db,
  opts: { typeId: string; year: number; amountOre: number | null; now: Date },
): Promise<void> {
  if (opts.amountOre === null) {
    await db
      .deleteFrom('membership_fees')
      .where('type_id', '=', opts.typeId)
      .where('year', '=', opts.year)
      .execute();
    return;
  }
  await upsertMembershipFee(db, {
    id: newId(opts.now.getTime()),
    typeId: opts.typeId,
    year: opts.year,
    amountOre: opts.amountOre,
  });
}
