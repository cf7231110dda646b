import { PostgresAdapter, sql, type ExpressionBuilder } from 'kysely';
import type { Adapter, AdapterConstructor, AdapterPayload, ClientMetadata } from 'oidc-provider';
import { oidcProviderLib } from '../../app/lazy.js';
import type { Clock } from '../../app/clock.js';
import { safeEqual, sha256 } from '../../app/crypto.js';
import type { DB } from '../../app/database.js';
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

type PrefetchedRow = Row & { model: string; id: string; uid: string | null };

/** What the provider issues to an account, and what only an allowed member may receive. */
const ISSUED_TO_MEMBER = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Grant']);

/** Tokens whose lookup is followed, in the same request, by their grant and session. */
const GRANT_BOUND = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode']);

/**
 * Rows read ahead for the request being served (oidc-provider keeps it in an
 * AsyncLocalStorage: Provider.ctx). A token endpoint or userinfo request looks up the
 * token, then the session it is bound to, then its grant; an authorization request looks
 * up the session, then the grant of the client. One statement reads them together, and
 * the lookups that follow take them from here. Nothing outlives the request; each
 * entry is used at most once and every write in the request drops them all.
 */
const prefetched = new WeakMap<object, Map<string, PrefetchedRow>>();
const byId = (model: string, id: string) => `id\u0000${model}\u0000${id}`;
const byUid = (model: string, uid: string) => `uid\u0000${model}\u0000${uid}`;

function requestStore(create: boolean): Map<string, PrefetchedRow> | undefined {
  const ctx = oidcProviderLib().default.ctx as object | undefined;
  if (!ctx) return undefined;
  let store = prefetched.get(ctx);
  if (!store && create) prefetched.set(ctx, (store = new Map<string, PrefetchedRow>()));
  return store;
}

function takePrefetched(key: string): PrefetchedRow | undefined {
  const store = requestStore(false);
  const row = store?.get(key);
  if (row) store!.delete(key);
  return row;
}

function forgetPrefetched(): void {
  requestStore(false)?.clear();
}

/** Refuses to store what was issued to an account that is no longer an active member. */
function notAllowed(model: string): Error {
  return new (oidcProviderLib().errors.InvalidGrant)(
    `the account may no longer receive a ${model}: the membership is not active`,
  );
}

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
      forgetPrefetched();
      const now = clock.now();
      const expires_at = expiresIn
        ? new Date(now.getTime() + expiresIn * 1000).toISOString()
        : null;
      const row = {
        payload: JSON.stringify(payload),
        ...columnsOf(this.model, id, payload),
        expires_at,
      };
      if (!ISSUED_TO_MEMBER.has(this.model)) {
        await db
          .insertInto('oidc_payloads')
          .values({ model: this.model, id, consumed_at: null, ...row })
          .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
          .execute();
        return;
      }
      // Tokens, codes and grants are stored only while the account's membership is
      // active, decided by the same statement that stores them. A suspension (or any
      // other change away from active) that commits while this request is running has
      // deleted the member's artefacts (revocation.ts); without this check the request
      // would store a fresh token after that and answer with it. On PostgreSQL, FOR SHARE
      // waits for a status change holding the member's row and then sees its committed
      // status; a store that got the share lock first makes the change wait, and the
      // revocation in it then deletes what was stored. SQLite runs one writer at a time.
      const pg = db.getExecutor().adapter instanceof PostgresAdapter;
      const accountId = row.account_id;
      const values = { model: this.model, id, consumed_at: null, ...row };
      const columns = Object.keys(values) as (keyof typeof values)[];
      const res = await db
        .insertInto('oidc_payloads')
        .columns(columns)
        .expression((eb) =>
          eb
            .selectFrom('members')
            .select(columns.map((c) => sql`${values[c]}`.as(c)))
            .where('members.user_id', '=', accountId ?? '')
            .where('members.status', '=', 'active')
            .$if(pg, (q) => q.forShare()),
        )
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) throw notAllowed(this.model);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const ahead = takePrefetched(byId(this.model, id));
      if (ahead) return live(ahead);
      if (GRANT_BOUND.has(this.model) || this.model === 'Session') return this.findWithRelated(id);
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.model)
        .where('id', '=', id)
        .executeTakeFirst();
      return live(row);
    }

    /**
     * A token with its grant and the sessions of its account, or a session with the
     * grants of its account, in one statement (a union of index lookups); the related
     * rows wait in the request's store for the provider's next lookups.
     */
    private async findWithRelated(id: string): Promise<AdapterPayload | undefined> {
      const cols = ['model', 'id', 'uid', 'payload', 'expires_at', 'consumed_at'] as const;
      const { model } = this;
      // Built from expression builders so that the whole is one query (also for plugins).
      const related = (
        eb: ExpressionBuilder<DB, 'oidc_payloads'>,
        other: 'Grant' | 'Session',
        by: 'id' | 'account_id',
        column: 'grant_id' | 'account_id',
      ) =>
        eb
          .selectFrom('oidc_payloads as related')
          .select(cols.map((c) => `related.${c}` as const))
          .where('related.model', '=', other)
          .where(`related.${by}`, '=', (sub) =>
            sub
              .selectFrom('oidc_payloads as own')
              .select(`own.${column}`)
              .where('own.model', '=', model)
              .where('own.id', '=', id),
          );
      const self = db
        .selectFrom('oidc_payloads')
        .select(cols)
        .where('model', '=', model)
        .where('id', '=', id);
      const rows: PrefetchedRow[] =
        model === 'Session'
          ? await self.unionAll((eb) => related(eb, 'Grant', 'account_id', 'account_id')).execute()
          : await self
              .unionAll((eb) => related(eb, 'Grant', 'id', 'grant_id'))
              .unionAll((eb) => related(eb, 'Session', 'account_id', 'account_id'))
              .execute();
      let found: PrefetchedRow | undefined;
      const store = requestStore(true);
      for (const r of rows) {
        if (r.model === this.model && r.id === id) found = r;
        else if (store) {
          store.set(byId(r.model, r.id), r);
          if (r.uid) store.set(byUid(r.model, r.uid), r);
        }
      }
      return live(found);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const ahead = takePrefetched(byUid(this.model, uid));
      if (ahead) return live(ahead);
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
      forgetPrefetched();
      await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: clock.now().toISOString() })
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      forgetPrefetched();
      await db
        .deleteFrom('oidc_payloads')
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      forgetPrefetched();
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
