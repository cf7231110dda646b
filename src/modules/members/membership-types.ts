import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { insertMembershipType, upsertMembershipFee } from './members.repository.js';

/** The four membership types every association starts with, and their first fees. */
export const DEFAULT_MEMBERSHIP_TYPES = [
  {
    code: 'ordinary',
    nameNb: 'Ordinært medlem',
    nameEn: 'Ordinary member',
    isOrganisation: false,
    feeOre: 60000,
  },
  {
    code: 'reduced',
    nameNb: 'Redusert kontingent',
    nameEn: 'Reduced fee',
    isOrganisation: false,
    feeOre: 10000,
  },
  {
    code: 'supporter',
    nameNb: 'Støttemedlem',
    nameEn: 'Supporting member',
    isOrganisation: false,
    feeOre: 30000,
  },
  {
    code: 'organisation',
    nameNb: 'Organisasjonsmedlem',
    nameEn: 'Organisation member',
    isOrganisation: true,
    feeOre: 150000,
  },
] as const;

export async function seedMembershipTypes(db: Db, year: number): Promise<void> {
  let order = 0;
  for (const t of DEFAULT_MEMBERSHIP_TYPES) {
    const id = newId();
    await insertMembershipType(db, {
      id,
      code: t.code,
      nameNb: t.nameNb,
      nameEn: t.nameEn,
      isOrganisation: t.isOrganisation,
      sortOrder: order++,
    });
    await upsertMembershipFee(db, { id: newId(), typeId: id, year, amountOre: t.feeOre });
  }
}
