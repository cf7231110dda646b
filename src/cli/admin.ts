import { recordAudit, type Actor } from '../app/audit.js';
import type { AppContext } from '../app/context.js';
import { newId } from '../app/ids.js';
import { hashPassword } from '../app/passwords.js';
import { AccountErrors } from '../modules/accounts/accounts.errors.js';
import {
  findUserByEmail,
  findUserByHandle,
  insertUser,
} from '../modules/accounts/accounts.repository.js';
import { findAssociation } from '../modules/association/association.repository.js';
import { RegisterErrors } from '../modules/members/register.errors.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/**
 * Creates another administrator from the command line (say, when the only one has left).
 * The association must exist: the first administrator is made by setup.
 */
export async function createAdministrator(
  deps: Deps,
  input: { actor: Actor; email: string; name: string; handle: string; password: string },
): Promise<{ userId: string }> {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (tx) => {
    const association = await findAssociation(tx);
    if (!association) throw RegisterErrors.notSetUp();
    if (await findUserByEmail(tx, input.email)) throw AccountErrors.emailTaken();
    if (await findUserByHandle(tx, input.handle)) throw AccountErrors.handleTaken();
    const userId = newId(now.getTime());
    await insertUser(
      tx,
      {
        id: userId,
        email: input.email,
        passwordHash,
        name: input.name,
        handle: input.handle,
        locale: association.defaultLocale,
        isAdmin: true,
        emailVerifiedAt: now.toISOString(),
      },
      now,
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'user.admin_created',
      entityType: 'user',
      entityId: userId,
      after: { email: input.email, handle: input.handle, isAdmin: true },
      at: now,
    });
    return { userId };
  });
}
