import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import { findAssociation } from '../association/association.repository.js';
import {
  findMembershipTypeByCode,
  listMembershipFees,
  listMembershipTypes,
  type MembershipType,
} from '../members/members.repository.js';
import { InvoiceErrors } from './billing.errors.js';
import {
  listFeeComponents,
  listFeeYears,
  replaceFeeComponents,
  syncMembershipFee,
  type FeeComponent,
  type NewFeeComponent,
} from './fees.repository.js';
import { MAX_FEE_COMPONENTS } from './fees.schemas.js';
import { splitGross } from './vat.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

export type PricedComponent = FeeComponent & { vatOre: number };

/** A membership type's fee for one year, component by component. */
export type TypeSchedule = {
  type: MembershipType;
  components: PricedComponent[];
  totalOre: number;
  /** The VAT inside the total; 0 unless the association is VAT-registered. */
  vatOre: number;
  orMore: boolean;
  /** The one-amount fee members see when applying (kept equal to the total). */
  membershipFeeOre: number | null;
};

export type FeeSchedule = { year: number; vatRegistered: boolean; types: TypeSchedule[] };

/** The VAT in each component, only when the association is VAT-registered. */
export function priceComponents(
  components: FeeComponent[],
  vatRegistered: boolean,
): PricedComponent[] {
  return components.map((c) => ({
    ...c,
    vatOre: vatRegistered ? splitGross(c.amountOre, c.vatRateBp).vatOre : 0,
  }));
}

export async function getFeeSchedule(db: Db, year: number): Promise<FeeSchedule> {
  const [association, types, components, fees] = await Promise.all([
    findAssociation(db),
    listMembershipTypes(db),
    listFeeComponents(db, year),
    listMembershipFees(db, year),
  ]);
  if (!association) throw CommonErrors.setupRequired();
  const vatRegistered = association.vatRegistered;
  return {
    year,
    vatRegistered,
    types: types.map((type) => {
      const own = priceComponents(
        components.filter((c) => c.typeId === type.id),
        vatRegistered,
      );
      return {
        type,
        components: own,
        totalOre: own.reduce((s, c) => s + c.amountOre, 0),
        vatOre: own.reduce((s, c) => s + c.vatOre, 0),
        orMore: own.some((c) => c.orMore),
        membershipFeeOre: fees.find((f) => f.typeId === type.id)?.amountOre ?? null,
      };
    }),
  };
}

/** The years the fee page offers: those with a schedule, this year and the next. */
export async function feeYearChoices(db: Db, currentYear: number): Promise<number[]> {
  const years = new Set([...(await listFeeYears(db)), currentYear, currentYear + 1]);
  return [...years].sort((a, b) => b - a);
}

async function typeByCode(db: Db, code: string): Promise<MembershipType> {
  const type = await findMembershipTypeByCode(db, code);
  if (!type) throw InvoiceErrors.membershipTypeNotFound();
  return type;
}

/**
 * Sets one membership type's fee for a year, as a whole list of components, and keeps
 * the membership's one-amount fee equal to their sum in the same transaction.
 */
export async function setFees(
  deps: Deps,
  input: { actor: Actor; year: number; typeCode: string; components: NewFeeComponent[] },
): Promise<{ totalOre: number }> {
  if (input.components.length > MAX_FEE_COMPONENTS) throw InvoiceErrors.feesInvalid();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const type = await typeByCode(tx, input.typeCode);
    const before = (await listFeeComponents(tx, input.year)).filter((c) => c.typeId === type.id);
    await replaceFeeComponents(tx, {
      typeId: type.id,
      year: input.year,
      components: input.components,
      now,
    });
    const totalOre = input.components.reduce((s, c) => s + c.amountOre, 0);
    await syncMembershipFee(tx, {
      typeId: type.id,
      year: input.year,
      amountOre: input.components.length > 0 ? totalOre : null,
      now,
    });
    const brief = (c: NewFeeComponent) => ({
      name: c.nameNb,
      amountOre: c.amountOre,
      vatRateBp: c.vatRateBp,
      orMore: c.orMore,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'billing.fees_set',
      entityType: 'membership_type',
      entityId: type.id,
      before: { code: type.code, year: input.year, components: before.map(brief) },
      after: { code: type.code, year: input.year, components: input.components.map(brief) },
      at: now,
    });
    return { totalOre };
  });
}

/** Copies a year's whole schedule to a year that has none yet. */
export async function copyFees(
  deps: Deps,
  input: { actor: Actor; from: number; to: number },
): Promise<{ types: number }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    if ((await listFeeComponents(tx, input.to)).length > 0)
      throw InvoiceErrors.copyTargetNotEmpty({ year: input.to });
    const source = await listFeeComponents(tx, input.from);
    if (source.length === 0) throw InvoiceErrors.copySourceEmpty({ year: input.from });
    const typeIds = [...new Set(source.map((c) => c.typeId))];
    for (const typeId of typeIds) {
      const components = source.filter((c) => c.typeId === typeId);
      await replaceFeeComponents(tx, { typeId, year: input.to, components, now });
      await syncMembershipFee(tx, {
        typeId,
        year: input.to,
        amountOre: components.reduce((s, c) => s + c.amountOre, 0),
        now,
      });
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'billing.fees_copied',
      entityType: 'fee_schedule',
      entityId: String(input.to),
      after: { from: input.from, to: input.to, types: typeIds.length, components: source.length },
      at: now,
    });
    return { types: typeIds.length };
  });
}
