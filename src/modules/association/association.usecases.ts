import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { nextNumber } from '../../app/counters.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { newId } from '../../app/ids.js';
import { hashPassword } from '../../app/passwords.js';
import { insertUser } from '../accounts/accounts.repository.js';
import {
  findMembershipTypeByCode,
  insertAcceptance,
  insertMember,
  insertPeriod,
  insertStatusChange,
} from '../members/members.repository.js';
import { seedMembershipTypes } from '../members/membership-types.js';
import { AssociationErrors } from './association.errors.js';
import {
  findAssociation,
  insertAssociation,
  insertDocument,
  updateAssociation,
  type Association,
} from './association.repository.js';
import type { SetupInput } from './association.schemas.js';
import { MODEL_AUP, MODEL_STATUTES } from './model-documents.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'kickOutbox'>;

function fillName(text: string, name: string): string {
  return text.replaceAll('{{name}}', name);
}

/**
 * First run: creates the association, its membership types and fees, the model statutes
 * and AUP as version 1, and the first administrator. Refused once done.
 */
export async function runSetup(
  deps: Deps,
  input: SetupInput,
): Promise<{ userId: string; memberId: string | null }> {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.admin_password);
  const result = await deps.db.transaction().execute(async (tx) => {
    if (await findAssociation(tx)) throw AssociationErrors.alreadySetUp();
    const association: Association = {
      name: input.name,
      orgNumber: input.org_number,
      addressLine: input.address_line,
      postalCode: input.postal_code,
      city: input.city,
      email: input.email,
      yearStartMonth: input.year_start_month,
      timeZone: input.time_zone,
      defaultLocale: input.default_locale,
      vatRegistered: input.vat_registered,
      requireApproval: input.require_approval,
    };
    await insertAssociation(tx, association, now);
    const today = todayIn(association.timeZone, now);
    const year = associationYear(today, association.yearStartMonth);
    await seedMembershipTypes(tx, year.year);

    const statutes = await insertDocument(tx, {
      id: newId(),
      kind: 'statutes',
      title: MODEL_STATUTES.title_nb,
      bodyNb: fillName(MODEL_STATUTES.body_nb, association.name),
      bodyEn: fillName(MODEL_STATUTES.body_en, association.name),
      adoptedOn: null,
      adoptedNote: 'Model statutes (draft)',
      publishedAt: now.toISOString(),
      createdBy: null,
    });
    const aup = await insertDocument(tx, {
      id: newId(),
      kind: 'aup',
      title: MODEL_AUP.title_nb,
      bodyNb: fillName(MODEL_AUP.body_nb, association.name),
      bodyEn: fillName(MODEL_AUP.body_en, association.name),
      adoptedOn: null,
      adoptedNote: 'Model AUP (draft)',
      publishedAt: now.toISOString(),
      createdBy: null,
    });

    const userId = newId();
    await insertUser(
      tx,
      {
        id: userId,
        email: input.admin_email,
        passwordHash,
        name: input.admin_name,
        handle: input.admin_handle,
        locale: input.default_locale,
        isAdmin: true,
        emailVerifiedAt: now.toISOString(),
      },
      now,
    );
    const actor: Actor = { userId, label: input.admin_handle };

    let memberId: string | null = null;
    if (input.admin_is_member) {
      const type = await findMembershipTypeByCode(tx, 'ordinary');
      if (!type) throw new Error('ordinary membership type missing after seeding');
      memberId = newId();
      await insertMember(
        tx,
        {
          id: memberId,
          memberNumber: await nextNumber(tx, 'member_number'),
          userId,
          typeId: type.id,
          status: 'active',
          name: input.admin_name,
          email: input.admin_email,
          phone: null,
          addressLine: null,
          postalCode: null,
          city: null,
          country: null,
          orgNumber: null,
          contactPerson: null,
          applicationNote: null,
          joinedOn: today,
        },
        now,
      );
      await insertStatusChange(
        tx,
        {
          id: newId(),
          memberId,
          from: null,
          to: 'active',
          actorUserId: userId,
          actorLabel: actor.label,
          reason: 'setup',
        },
        now,
      );
      await insertPeriod(
        tx,
        {
          id: newId(),
          memberId,
          year: year.year,
          startsOn: today,
          endsOn: year.endsOn,
          paidAt: null,
        },
        now,
      );
      await insertAcceptance(tx, { id: newId(), memberId, documentId: statutes.id }, now);
      await insertAcceptance(tx, { id: newId(), memberId, documentId: aup.id }, now);
    }

    await recordAudit(tx, {
      actor,
      action: 'association.setup',
      entityType: 'association',
      entityId: 'main',
      after: { ...association, administrator: input.admin_email },
      at: now,
    });
    return { userId, memberId };
  });
  deps.kickOutbox();
  return result;
}

export async function updateSettings(
  deps: Deps,
  input: { actor: Actor; association: Association },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const before = await findAssociation(tx);
    if (!before) throw new Error('association missing');
    await updateAssociation(tx, input.association, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'association.settings_updated',
      entityType: 'association',
      entityId: 'main',
      before,
      after: input.association,
      at: now,
    });
  });
}
