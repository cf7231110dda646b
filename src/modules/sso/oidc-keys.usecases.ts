import type { Actor } from '../../app/audit.js';
import { recordAudit } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { pruneRetiredKeys, rotateSigningKeys } from './oidc-keys.js';
import { TTL } from './oidc-provider.js';

/**
 * How long a retired key stays published: longer than anything it signed lives (ID
 * tokens, and ID tokens kept as id_token_hint for logout), with a day to spare.
 */
export const RETIRED_KEY_KEEP_MS = (TTL.IdToken + 24 * 3600) * 1000;

/**
 * Rotates the provider's signing keys: a new key signs from now on, the previous ones
 * stay in the JWKS (verifying what they signed) until pruned; keys retired longer ago
 * than RETIRED_KEY_KEEP_MS are removed. One transaction, with its audit entry. Running
 * instances pick up the new key within a minute (oidc-mount.ts), without a restart.
 */
export async function rotateOidcKeys(
  deps: Pick<AppContext, 'db' | 'clock' | 'secret'>,
  input: { actor: Actor },
): Promise<{ kid: string; retired: string[]; pruned: number }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const pruned = await pruneRetiredKeys(tx, new Date(now.getTime() - RETIRED_KEY_KEEP_MS));
    const { kid, retired } = await rotateSigningKeys(tx, { secret: deps.secret, now });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'sso.keys_rotated',
      entityType: 'oidc_key',
      entityId: kid,
      after: { kid, retired, pruned },
      at: now,
    });
    return { kid, retired, pruned };
  });
}
