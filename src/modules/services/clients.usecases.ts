import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { sha256 } from '../../app/crypto.js';
import { newId, newToken } from '../../app/ids.js';
import { findClient, type OidcClient } from './clients.repository.js';
import type { ClientInput } from './clients.schemas.js';
import { ServiceErrors } from './services.errors.js';
import { findService } from './services.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** How many characters of a secret are kept in clear, to recognise it in a list. */
export const SECRET_PREFIX_LENGTH = 6;

function newSecret(): { secret: string; hash: string; prefix: string } {
  const secret = newToken(32);
  return { secret, hash: sha256(secret), prefix: secret.slice(0, SECRET_PREFIX_LENGTH) };
}

/** What the audit log keeps of a client (never the secret or its hash). */
function auditView(input: ClientInput) {
  return {
    name: input.name,
    redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris,
    backchannelLogoutUri: input.backchannelLogoutUri,
    scopes: input.scopes,
    firstParty: input.firstParty,
  };
}

/**
 * Makes a client of a service. A confidential client's secret is returned here, once;
 * only its sha256 and first characters are stored.
 */
export async function createClient(
  deps: Deps,
  input: {
    actor: Actor;
    serviceId: string;
    client: ClientInput;
    type: 'confidential' | 'public';
  },
): Promise<{ client: OidcClient; secret: string | null }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const service = await findService(tx, input.serviceId);
    if (!service) throw ServiceErrors.notFound();
    const id = `${service.slug}-${newId(now.getTime()).slice(-12)}`;
    const secret = input.type === 'confidential' ? newSecret() : null;
    const c = input.client;
    await tx
      .insertInto('oidc_clients')
      .values({
        id,
        service_id: service.id,
        name: c.name,
        secret_hash: secret?.hash ?? null,
        secret_prefix: secret?.prefix ?? null,
        redirect_uris: JSON.stringify(c.redirectUris),
        post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
        backchannel_logout_uri: c.backchannelLogoutUri,
        scopes: JSON.stringify(c.scopes),
        first_party: c.firstParty ? 1 : 0,
        disabled_at: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'services.client_created',
      entityType: 'oidc_client',
      entityId: id,
      after: { service: service.slug, type: input.type, ...auditView(c) },
      at: now,
    });
    return {
      client: (await findClient(tx, { serviceId: service.id, clientId: id }))!,
      secret: secret?.secret ?? null,
    };
  });
}

export async function editClient(
  deps: Deps,
  input: { actor: Actor; serviceId: string; clientId: string; client: ClientInput },
): Promise<{ client: OidcClient }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const before = await findClient(tx, input);
    if (!before) throw ServiceErrors.clientNotFound();
    const c = input.client;
    await tx
      .updateTable('oidc_clients')
      .set({
        name: c.name,
        redirect_uris: JSON.stringify(c.redirectUris),
        post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
        backchannel_logout_uri: c.backchannelLogoutUri,
        scopes: JSON.stringify(c.scopes),
        first_party: c.firstParty ? 1 : 0,
        updated_at: now.toISOString(),
      })
      .where('id', '=', before.id)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'services.client_updated',
      entityType: 'oidc_client',
      entityId: before.id,
      before: auditView(before),
      after: auditView(c),
      at: now,
    });
    return { client: (await findClient(tx, input))! };
  });
}

/** A new secret for a confidential client; the old one stops working at once. */
export async function rotateClientSecret(
  deps: Deps,
  input: { actor: Actor; serviceId: string; clientId: string },
): Promise<{ client: OidcClient; secret: string }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const client = await findClient(tx, input);
    if (!client) throw ServiceErrors.clientNotFound();
    if (!client.confidential) throw ServiceErrors.publicClientSecret();
    const secret = newSecret();
    await tx
      .updateTable('oidc_clients')
      .set({
        secret_hash: secret.hash,
        secret_prefix: secret.prefix,
        updated_at: now.toISOString(),
      })
      .where('id', '=', client.id)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'services.client_secret_rotated',
      entityType: 'oidc_client',
      entityId: client.id,
      after: { secretPrefix: secret.prefix },
      at: now,
    });
    return { client: (await findClient(tx, input))!, secret: secret.secret };
  });
}

/**
 * Disables or enables a client. Disabling also deletes every grant, token and code the
 * provider stored for it, in the same transaction, so nothing issued before still works.
 */
export async function setClientDisabled(
  deps: Deps,
  input: { actor: Actor; serviceId: string; clientId: string; disabled: boolean },
): Promise<{ client: OidcClient }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const client = await findClient(tx, input);
    if (!client) throw ServiceErrors.clientNotFound();
    await tx
      .updateTable('oidc_clients')
      .set({
        disabled_at: input.disabled ? now.toISOString() : null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', client.id)
      .execute();
    if (input.disabled)
      await tx.deleteFrom('oidc_payloads').where('client_id', '=', client.id).execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: input.disabled ? 'services.client_disabled' : 'services.client_enabled',
      entityType: 'oidc_client',
      entityId: client.id,
      at: now,
    });
    return { client: (await findClient(tx, input))! };
  });
}
