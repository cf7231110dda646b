import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { DAY_MS } from '../../app/clock.js';
import { sha256 } from '../../app/crypto.js';
import { newId, newToken } from '../../app/ids.js';
import type { ApiScope } from '../../app/policy.js';
import {
  findUserByEmail,
  findUserByHandle,
  findUserById,
} from '../accounts/accounts.repository.js';
import { AdminErrors } from './admin.errors.js';
import {
  findApiToken,
  insertApiToken,
  revokeApiToken,
  TOKEN_PREFIX,
} from './api-tokens.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** How many characters after `alm_` are kept in clear, to recognise a token by. */
export const PREFIX_LENGTH = 8;

/**
 * Creates an API token and returns it in clear, once; only its SHA-256 is stored. A
 * token is its owner's: it can never do more than the owner may, so only an
 * administrator may create one for somebody else.
 */
export async function createApiToken(
  deps: Deps,
  input: {
    actor: Actor;
    creator: { id: string; isAdmin: boolean };
    name: string;
    owner: string | null;
    scopes: ApiScope[];
    expiresDays: number | null;
  },
): Promise<{ id: string; token: string; prefix: string; ownerHandle: string }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const wanted = input.owner?.trim();
    const owner = !wanted
      ? await findUserById(tx, input.creator.id)
      : wanted.includes('@')
        ? await findUserByEmail(tx, wanted)
        : await findUserByHandle(tx, wanted.toLowerCase());
    if (!owner)
      throw AdminErrors.ownerNotFound(undefined, { owner: AdminErrors.ownerNotFound().messages });
    if (owner.id !== input.creator.id && !input.creator.isAdmin)
      throw AdminErrors.ownerForbidden(undefined, { owner: AdminErrors.ownerForbidden().messages });

    const token = `${TOKEN_PREFIX}${newToken(32)}`;
    const prefix = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + PREFIX_LENGTH);
    const id = newId(now.getTime());
    const expiresAt =
      input.expiresDays === null
        ? null
        : new Date(now.getTime() + input.expiresDays * DAY_MS).toISOString();
    await insertApiToken(
      tx,
      {
        id,
        userId: owner.id,
        name: input.name,
        tokenHash: sha256(token),
        prefix,
        scopes: input.scopes,
        createdBy: input.creator.id,
        expiresAt,
      },
      now,
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'api_tokens.created',
      entityType: 'api_token',
      entityId: id,
      // Never the token itself; the owner by id only, so an erasure leaves nothing here.
      after: { name: input.name, ownerUserId: owner.id, prefix, scopes: input.scopes, expiresAt },
      at: now,
    });
    return { id, token, prefix, ownerHandle: owner.handle };
  });
}

export async function revokeApiTokenById(
  deps: Deps,
  input: { actor: Actor; id: string },
): Promise<{ revoked: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const token = await findApiToken(tx, input.id);
    if (!token) throw AdminErrors.tokenNotFound();
    if (!(await revokeApiToken(tx, token.id, now))) return { revoked: false };
    await recordAudit(tx, {
      actor: input.actor,
      action: 'api_tokens.revoked',
      entityType: 'api_token',
      entityId: token.id,
      before: { name: token.name, prefix: token.prefix },
      after: { revokedAt: now.toISOString() },
      at: now,
    });
    return { revoked: true };
  });
}
