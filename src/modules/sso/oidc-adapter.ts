import type { Adapter, AdapterConstructor, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Clock } from '../../app/clock.js';
import { safeEqual, sha256 } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';
import type { OidcClientsTable } from './sso.tables.js';

// oidc-provider's storage on our own database (SQLite and PostgreSQL alike): one row
// per model and id in oidc_payloads. accountId, clientId and grantId are copied out of
// the payload into columns so that revocation (src/modules/sso/revocation.ts) can delete
// every artefact of a member, of a member at one client, or of one grant with an index,
// inside the transaction that changes the membership. Clients are not stored here: they
// are the administrators' rows in oidc_clients.

/** Client secrets are kept only as this hash; the secret itself is shown once. */
export function hashClientSecret(secret: string): string {
  return sha256(secret);
}

/** Constant-time check of a presented secret against the stored hash. */
export function clientSecretMatches(presented: string, secretHash: string): boolean {
  return safeEqual(hashClientSecret(presented), secretHash);
}

type Row = {
  payload: string;
  expires_at: string | null;
  consumed_at: string | null;
};

function columnsOf(model: string, id: string, payload: AdapterPayload) {
  const session = payload.session;
  const params: { client_id?: unknown } | undefined = payload.params;
  return {
    account_id: payload.accountId ?? session?.accountId ?? null,
    client_id:
      payload.clientId ?? (typeof params?.client_id === 'string' ? params.client_id : null),
    // A grant's own rows carry their id, so one `grant_id = ?` finds the grant and all
    // that was issued from it.
    grant_id: payload.grantId ?? (model === 'Grant' ? id : null),
    uid: payload.uid ?? null,
    user_code: payload.userCode ?? null,
  };
}

/** The metadata oidc-provider sees for one of our client rows. */
export function clientMetadata(
  row: Pick<
    OidcClientsTable,
    | 'id'
    | 'name'
    | 'secret_hash'
    | 'redirect_uris'
    | 'post_logout_redirect_uris'
    | 'backchannel_logout_uri'
    | 'scopes'
  >,
): ClientMetadata {
  const scopes = new Set(['openid', ...(JSON.parse(row.scopes) as string[])]);
  return {
    client_id: row.id,
    client_name: row.name,
    // The hash stands in for the secret: Client.prototype.compareClientSecret is replaced
    // (oidc-provider.ts) to hash what the client presents before comparing, and no
    // symmetric algorithm (HS*, client_secret_jwt) is enabled that would use it as a key.
    ...(row.secret_hash
      ? { client_secret: row.secret_hash, token_endpoint_auth_method: 'client_secret_basic' }
      : { token_endpoint_auth_method: 'none' }),
    redirect_uris: JSON.parse(row.redirect_uris) as string[],
    post_logout_redirect_uris: JSON.parse(row.post_logout_redirect_uris) as string[],
    ...(row.backchannel_logout_uri
      ? {
          backchannel_logout_uri: row.backchannel_logout_uri,
          backchannel_logout_session_required: true,
        }
      : {}),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: [...scopes].join(' '),
  };
}

/** What we know about a client beyond its metadata: its service and first-party flag. */
export type ClientExtras = { serviceId: string; firstParty: boolean };

/** An enabled client's row, or undefined (disabled clients do not exist for the provider). */
export async function findEnabledClient(db: Db, clientId: string) {
  return db
    .selectFrom('oidc_clients')
    .select([
      'id',
      'name',
      'service_id',
      'secret_hash',
      'redirect_uris',
      'post_logout_redirect_uris',
      'backchannel_logout_uri',
      'scopes',
      'first_party',
    ])
    .where('id', '=', clientId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/**
 * The adapter class oidc-provider instantiates once per model name. `clock` decides what
 * has expired (the provider checks `exp` itself too).
 */
export function createOidcAdapter(deps: { db: Db; clock: Clock }): {
  Adapter: AdapterConstructor;
  /** The service and first-party flag of a client, as read by the provider's last lookup. */
  clientExtras: (clientId: string) => ClientExtras | undefined;
} {
  const { db, clock } = deps;
  // Filled on every Client lookup (each request that names a client makes one), so it is
  // as fresh as the metadata the provider works with.
  const extras = new Map<string, ClientExtras>();

  const live = (row: Row | undefined): AdapterPayload | undefined => {
    if (!row) return undefined;
    if (row.expires_at && row.expires_at <= clock.now().toISOString()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (row.consumed_at) payload.consumed = Math.floor(Date.parse(row.consumed_at) / 1000);
    return payload;
  };

  class ClientAdapter implements Adapter {
    async find(id: string): Promise<AdapterPayload | undefined> {
      const row = await findEnabledClient(db, id);
      if (!row) {
        extras.delete(id);
        return undefined;
      }
      extras.set(id, { serviceId: row.service_id, firstParty: row.first_party === 1 });
      return clientMetadata(row);
    }
    // Clients are managed on the administrators' pages, never through the provider.
    upsert(): Promise<void> {
      return Promise.reject(new Error('clients are managed in oidc_clients'));
    }
    findByUid(): Promise<undefined> {
      return Promise.resolve(undefined);
    }
    findByUserCode(): Promise<undefined> {
      return Promise.resolve(undefined);
    }
    consume(): Promise<void> {
      return Promise.resolve();
    }
    destroy(): Promise<void> {
      return Promise.resolve();
    }
    revokeByGrantId(): Promise<void> {
      return Promise.resolve();
    }
  }

  class PayloadAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const now = clock.now();
      const expires_at = expiresIn
        ? new Date(now.getTime() + expiresIn * 1000).toISOString()
        : null;
      const row = {
        payload: JSON.stringify(payload),
        ...columnsOf(this.model, id, payload),
        expires_at,
      };
      await db
        .insertInto('oidc_payloads')
        .values({ model: this.model, id, consumed_at: null, ...row })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.model)
        .where('id', '=', id)
        .executeTakeFirst();
      return live(row);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.model)
        .where('uid', '=', uid)
        .executeTakeFirst();
      return live(row);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.model)
        .where('user_code', '=', userCode)
        .executeTakeFirst();
      return live(row);
    }

    async consume(id: string): Promise<void> {
      await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: clock.now().toISOString() })
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db
        .deleteFrom('oidc_payloads')
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db
        .deleteFrom('oidc_payloads')
        .where('model', '=', this.model)
        .where('grant_id', '=', grantId)
        .execute();
    }
  }

  const Adapter = class OidcAdapter {
    constructor(name: string) {
      return name === 'Client' ? new ClientAdapter() : new PayloadAdapter(name);
    }
  } as unknown as AdapterConstructor;
  return { Adapter, clientExtras: (clientId) => extras.get(clientId) };
}

/** Removes expired artefacts (called by the maintenance job). */
export async function pruneExpiredPayloads(db: Db, now: Date): Promise<number> {
  const res = await db
    .deleteFrom('oidc_payloads')
    .where('expires_at', '<', now.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
