import { sql, type ExpressionBuilder } from 'kysely';
import type {
  Adapter,
  AdapterConstructor,
  AdapterPayload,
  ClientMetadata,
  KoaContextWithOIDC,
} from 'oidc-provider';
import { oidcProviderLib } from '../../app/lazy.js';
import type { Clock } from '../../app/clock.js';
import { safeEqual, sha256 } from '../../app/crypto.js';
import type { DB } from '../../app/database.js';
import { isPostgres, type Db } from '../../app/db.js';
import { reusableQuery, type Arg } from '../../app/reusable-query.js';
import { jsonObject, jsonText } from '../../app/sql-json.js';
import { standingArgs, standingJson, type StandingArgs } from '../services/access.js';
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
 * What the adapter keeps for the request being served (oidc-provider keeps the request
 * in an AsyncLocalStorage: Provider.ctx). Nothing outlives the request.
 *
 * - prefetched: rows read ahead. A token endpoint or userinfo request looks up the
 *   token, then the session it is bound to, then its grant; an authorization request
 *   looks up the session, then the grant of the client. One statement reads them
 *   together, and the lookups that follow take them from here. Each entry is used at
 *   most once and every write in the request drops them all.
 * - standings: the gate's standing of an account at a client, read with the request's
 *   first lookup (withRelatedQuery), by account and client; taken once by the gate
 *   (takeStanding). Writes do not drop them: they change artefacts, not memberships.
 * - sessionsRead: the stored form of each session row read, so that the save
 *   oidc-provider makes at every authorization request with a session (to roll its
 *   expiry) is skipped when nothing but the expiry changed and the stored expiry is
 *   close to the new one (SESSION_ROLL_SLACK_MS).
 * - pending: the token endpoint's writes (the consumption of the code or refresh token
 *   and the tokens issued), applied together in one statement or transaction when the
 *   endpoint has answered and before the answer is sent (flushDeferredWrites).
 */
type RequestState = {
  prefetched: Map<string, PrefetchedRow>;
  standings: Map<string, ReadAheadStanding>;
  sessionsRead: Map<string, Row>;
  pending: Pending | null;
};

type StoredValues = {
  model: string;
  id: string;
  payload: string;
  account_id: string | null;
  client_id: string | null;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
};

type Pending = {
  db: Db;
  clock: Clock;
  consumes: { model: string; id: string }[];
  /** By model and id: a second save of the same artefact replaces the first. */
  upserts: Map<string, StoredValues>;
};

const states = new WeakMap<object, RequestState>();
const byId = (model: string, id: string) => `id\u0000${model}\u0000${id}`;
const byUid = (model: string, uid: string) => `uid\u0000${model}\u0000${uid}`;

function currentRequest(): KoaContextWithOIDC | undefined {
  return oidcProviderLib().default.ctx;
}

function stateOf(ctx: object | undefined, create: boolean): RequestState | undefined {
  if (!ctx) return undefined;
  let state = states.get(ctx);
  if (!state && create)
    states.set(
      ctx,
      (state = {
        prefetched: new Map(),
        standings: new Map(),
        sessionsRead: new Map(),
        pending: null,
      }),
    );
  return state;
}

function takePrefetched(key: string): PrefetchedRow | undefined {
  const store = stateOf(currentRequest(), false)?.prefetched;
  const row = store?.get(key);
  if (row) store!.delete(key);
  return row;
}

const standingKey = (accountId: string, clientId: string) => `${accountId}\u0000${clientId}`;

function forgetPrefetched(): void {
  stateOf(currentRequest(), false)?.prefetched.clear();
}

/**
 * A session save changes nothing but the expiry (oidc-provider rolls it at every
 * authorization request) is skipped while the stored expiry is at most this much
 * earlier than the new one: a session in steady use is written once an hour, not at
 * every login to a service. The session then ends up to an hour before a fully rolling
 * one would, which only asks for a login (through the Allmenning session) sooner.
 */
export const SESSION_ROLL_SLACK_MS = 3600_000;

/** JSON with the keys of every object sorted (the provider does not keep their order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The payload without the expiry, which changes at every save of an unchanged session. */
function sessionContent(payload: string): string | null {
  try {
    const content = JSON.parse(payload) as Record<string, unknown>;
    delete content['exp'];
    return canonical(content);
  } catch {
    return null;
  }
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

/** What an upsert of an existing row changes: everything but its key. */
function updatableColumns(values: StoredValues): Omit<StoredValues, 'model' | 'id'> {
  const update: Partial<StoredValues> = { ...values };
  delete update.model;
  delete update.id;
  return update as Omit<StoredValues, 'model' | 'id'>;
}

const STORED_COLUMNS = [
  'model',
  'id',
  'payload',
  'account_id',
  'client_id',
  'grant_id',
  'uid',
  'user_code',
  'expires_at',
] as const satisfies readonly (keyof StoredValues)[];

/** The stored columns as markers for a reusable statement (app/reusable-query.ts). */
function storedArgs<A extends StoredValues>(arg: Arg<A>): StoredValues {
  return Object.fromEntries(STORED_COLUMNS.map((c) => [c, arg(c)])) as StoredValues;
}

const upsertQuery = reusableQuery((db: Db, _shape: null, arg: Arg<StoredValues>) => {
  const values = storedArgs(arg);
  return db
    .insertInto('oidc_payloads')
    .values({ ...values, consumed_at: null })
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(updatableColumns(values)));
});

/** Sessions, interactions and the like: stored as they come. */
async function upsertPayload(db: Db, values: StoredValues): Promise<void> {
  await upsertQuery.affected(db, null, values);
}

const storeIssuedQuery = reusableQuery(
  (db: Db, shape: { asyncCommit: boolean }, arg: Arg<StoredValues & { userId: string }>) => {
    const pg = isPostgres(db);
    const values = storedArgs(arg);
    const full = { ...values, consumed_at: null };
    const columns = Object.keys(full) as (keyof typeof full)[];
    return db
      .insertInto('oidc_payloads')
      .columns(columns)
      .expression((eb) =>
        eb
          .selectFrom('members')
          .select(columns.map((c) => sql`${full[c]}`.as(c)))
          .where('members.user_id', '=', arg('userId'))
          .where('members.status', '=', 'active')
          .$if(pg && shape.asyncCommit, (q) =>
            q.where(sql<boolean>`(select set_config('synchronous_commit', 'off', true)) = 'off'`),
          )
          .$if(pg, (q) => q.forShare()),
      )
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(updatableColumns(values)));
  },
);

/**
 * Stores (or updates) a token, code or grant, only while the account's membership is
 * active, decided by the same statement that stores it; false when it was not stored.
 * A suspension (or any other change away from active) that commits while the request is
 * running has deleted the member's artefacts (revocation.ts); without this check the
 * request would store a fresh token after that and answer with it. On PostgreSQL, FOR
 * SHARE waits for a status change holding the member's row and then sees its committed
 * status; a store that got the share lock first makes the change wait, and the
 * revocation in it then deletes what was stored. SQLite runs one writer at a time.
 *
 * `asyncCommit` (PostgreSQL): the transaction of this one statement commits without
 * waiting for the WAL flush (synchronous_commit off, for this transaction only). Only
 * for what the browser carries away from an authorization request: a crash within the
 * moment before the flush forgets the code (the relying party's exchange fails and the
 * member logs in again), and nothing that depends on it can be durable before it,
 * because PostgreSQL flushes the WAL in order and every later synchronous commit (the
 * token endpoint's, which consumes the code) flushes this one with it.
 */
async function storeIssued(
  db: Db,
  values: StoredValues,
  opts: { asyncCommit: boolean },
): Promise<boolean> {
  const stored = await storeIssuedQuery.affected(db, opts, {
    ...values,
    userId: values.account_id ?? '',
  });
  return stored > 0;
}

type ConsumeArgs = { now: string } & Record<`model${number}` | `id${number}`, string>;

const consumeQuery = reusableQuery((db: Db, count: number, arg: Arg<ConsumeArgs>) =>
  db
    .updateTable('oidc_payloads')
    .set({ consumed_at: arg('now') })
    .where((eb) =>
      eb.or(
        Array.from({ length: count }, (_, i) =>
          eb.and([eb('model', '=', arg(`model${i}`)), eb('id', '=', arg(`id${i}`))]),
        ),
      ),
    )
    .where('consumed_at', 'is', null),
);

/** Marks codes or refresh tokens used; how many were not used before. */
async function consumeRows(
  db: Db,
  rows: { model: string; id: string }[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const args: ConsumeArgs = { now: now.toISOString() };
  rows.forEach((r, i) => {
    args[`model${i}`] = r.model;
    args[`id${i}`] = r.id;
  });
  return consumeQuery.affected(db, rows.length, args);
}

/** The routes that only hand the browser a code (or send it to log in). */
function browserRoute(ctx: KoaContextWithOIDC | undefined): boolean {
  const route = ctx?.oidc?.route;
  return route === 'authorization' || route === 'resume';
}

/** Whether this request's writes wait for flushDeferredWrites (the token endpoint's). */
function deferring(ctx: KoaContextWithOIDC | undefined): boolean {
  return ctx?.oidc?.route === 'token';
}

function defer(ctx: KoaContextWithOIDC, db: Db, clock: Clock): Pending {
  const state = stateOf(ctx, true)!;
  state.pending ??= { db, clock, consumes: [], upserts: new Map() };
  return state.pending;
}

/** Whether a session save would only move the stored expiry a little (see SESSION_ROLL_SLACK_MS). */
function unchangedSession(state: RequestState, values: StoredValues): boolean {
  const read = state.sessionsRead.get(values.id);
  if (!read?.expires_at || !values.expires_at || read.consumed_at) return false;
  const gained = Date.parse(values.expires_at) - Date.parse(read.expires_at);
  if (!(gained >= 0 && gained < SESSION_ROLL_SLACK_MS)) return false;
  const before = sessionContent(read.payload);
  return before !== null && before === sessionContent(values.payload);
}

/** A write that is not deferred keeps its order: what is pending goes first. */
async function flushBeforeWrite(ctx: KoaContextWithOIDC | undefined): Promise<void> {
  const pending = stateOf(ctx, false)?.pending;
  if (!pending) return;
  stateOf(ctx, false)!.pending = null;
  if (!(await applyPending(pending))) throw refused();
}

class Refused extends Error {}

function refused(): Error {
  return new (oidcProviderLib().errors.InvalidGrant)('grant request is invalid');
}

/**
 * The token endpoint's writes in one go: every code or refresh token it consumed must
 * still be unused (a parallel exchange of the same code loses here, not only when it
 * reads a consumed one), and every token it issued is stored only for an active member.
 * All or nothing; false when refused. On PostgreSQL one statement for the usual shape
 * (one account), with one synchronous commit: the consumption is durable before the
 * answer leaves, so a code cannot be replayed after a crash.
 */
async function applyPending(pending: Pending): Promise<boolean> {
  const { db, consumes } = pending;
  const upserts = [...pending.upserts.values()];
  const now = pending.clock.now();
  const accounts = new Set(upserts.map((u) => u.account_id));
  if (isPostgres(db) && accounts.size <= 1 && upserts.length > 0) {
    const account = upserts[0]!.account_id ?? '';
    const cols = STORED_COLUMNS;
    const rows = sql.join(upserts.map((u) => sql`(${sql.join(cols.map((c) => u[c]))})`));
    const names = sql.join(cols.map((c) => sql.ref(c)));
    const consumed =
      consumes.length > 0
        ? sql`consumed as (
            update oidc_payloads set consumed_at = ${now.toISOString()}
            where consumed_at is null
              and (${sql.join(
                consumes.map((c) => sql`(model = ${c.model} and id = ${c.id})`),
                sql` or `,
              )})
            returning 1
          ),`
        : sql``;
    const consumedAll =
      consumes.length > 0 ? sql`(select count(*) from consumed) = ${consumes.length} and` : sql``;
    const res = await sql`
      with ${consumed} allowed as (
        select 1 from members where user_id = ${account} and status = 'active' for share
      )
      insert into oidc_payloads (${names})
      select * from (values ${rows}) as v(${names})
      where ${consumedAll} exists (select 1 from allowed)
      on conflict (model, id) do update set
        ${sql.join(
          cols
            .filter((c) => c !== 'model' && c !== 'id')
            .map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
        )}`.execute(db);
    return Number(res.numAffectedRows ?? 0) === upserts.length;
  }
  const apply = async (tx: Db) => {
    if ((await consumeRows(tx, consumes, now)) !== consumes.length) throw new Refused();
    for (const values of upserts)
      if (!(await storeIssued(tx, values, { asyncCommit: false }))) throw new Refused();
  };
  try {
    if (db.isTransaction) await apply(db);
    else await db.transaction().execute(apply);
    return true;
  } catch (err) {
    if (err instanceof Refused) return false;
    throw err;
  }
}

/**
 * Applies the token endpoint's deferred writes once the provider has answered (called by
 * a middleware around every provider request, oidc-provider.ts). A successful answer is
 * replaced by invalid_grant when its writes are refused (a parallel exchange of the same
 * code or refresh token won, or the membership stopped being active); the grant is then
 * revoked, as for a replayed code. A failed answer still consumes what it consumed.
 */
export async function flushDeferredWrites(
  ctx: KoaContextWithOIDC,
  opts: { failed?: boolean } = {},
): Promise<void> {
  const state = stateOf(ctx, false);
  const pending = state?.pending;
  if (!state || !pending) return;
  state.pending = null;
  if (opts.failed || ctx.status !== 200) {
    await consumeRows(pending.db, pending.consumes, pending.clock.now());
    return;
  }
  if (await applyPending(pending)) return;
  const grantId =
    (ctx.oidc.entities as { Grant?: { jti?: string } }).Grant?.jti ??
    [...pending.upserts.values()].find((u) => u.grant_id)?.grant_id;
  if (grantId)
    await pending.db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
  const err = refused() as Error & { status: number; error: string; error_description: string };
  ctx.status = err.status;
  ctx.body = { error: err.error, error_description: err.error_description };
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

/** The columns of an enabled client's row the provider needs (see clientMetadata). */
const CLIENT_COLUMNS = [
  'id',
  'name',
  'service_id',
  'secret_hash',
  'redirect_uris',
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'scopes',
  'first_party',
] as const;

type ClientRow = Pick<OidcClientsTable, (typeof CLIENT_COLUMNS)[number]>;

/** What we know about a client beyond its metadata: its service and first-party flag. */
export type ClientExtras = { serviceId: string; firstParty: boolean };

const enabledClientQuery = reusableQuery((db: Db, _shape: null, arg: Arg<{ clientId: string }>) =>
  db
    .selectFrom('oidc_clients')
    .select(CLIENT_COLUMNS)
    .where('id', '=', arg('clientId'))
    .where('disabled_at', 'is', null),
);

/** An enabled client's row, or undefined (disabled clients do not exist for the provider). */
export async function findEnabledClient(db: Db, clientId: string) {
  const [row] = await enabledClientQuery.rows(db, null, { clientId });
  return row;
}

const findQuery = reusableQuery((db: Db, _shape: null, arg: Arg<{ model: string; id: string }>) =>
  db
    .selectFrom('oidc_payloads')
    .select(['payload', 'expires_at', 'consumed_at'])
    .where('model', '=', arg('model'))
    .where('id', '=', arg('id')),
);

const findByUidQuery = reusableQuery(
  (db: Db, _shape: null, arg: Arg<{ model: string; uid: string }>) =>
    db
      .selectFrom('oidc_payloads')
      .select(['id', 'payload', 'expires_at', 'consumed_at'])
      .where('model', '=', arg('model'))
      .where('uid', '=', arg('uid')),
);

/**
 * Which client row a read ahead brings along: none, the one the request names
 * (`clientId`), or the one the looked-up artefact was issued to.
 */
type ClientBranch = 'none' | 'request' | 'artefact';

/**
 * `standing`: how many login session ids the standing of the artefact's account at the
 * client's service is read with (see withRelatedQuery), or null when it is not read.
 */
type RelatedShape = {
  related: 'session' | 'grant-bound';
  client: ClientBranch;
  standing: number | null;
};
type RelatedArgs = { model: string; id: string; clientId: string } & StandingArgs;

/** What the gate finds read ahead for one account at one client (takeStanding). */
export type ReadAheadStanding = {
  /** standingJson's text; null when the account has no membership. */
  json: string | null;
  now: Date;
  sessionIdHashes: string[];
};

/**
 * A token with its grant and the sessions of its account, or a session with the grants
 * of its account, in one statement (a union of index lookups); with `client`, also the
 * request's client row, as a row of model "Client" whose payload is the row in JSON;
 * with `standing`, also the gate's standing of the artefact's account at that client's
 * service, as a row of model "Standing" (id: the account, uid: the client, payload:
 * standingJson's text) — the gate of the same request decides from it instead of
 * reading it again (takeStanding), from the same snapshot as the artefact itself.
 */
const withRelatedQuery = reusableQuery((db: Db, shape: RelatedShape, arg: Arg<RelatedArgs>) => {
  const cols = ['model', 'id', 'uid', 'payload', 'expires_at', 'consumed_at'] as const;
  const own = (column: 'grant_id' | 'account_id' | 'client_id') =>
    db
      .selectFrom('oidc_payloads as own')
      .select(`own.${column}`)
      .where('own.model', '=', arg('model'))
      .where('own.id', '=', arg('id'));
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
      .where(`related.${by}`, '=', own(column));
  const clientJson = jsonText(
    db,
    jsonObject(
      db,
      CLIENT_COLUMNS.map((c) => [c, sql.ref(`oidc_clients.${c}`)] as const),
    ),
  );
  const clientId = shape.client === 'request' ? arg('clientId') : own('client_id');
  const client = (eb: ExpressionBuilder<DB, 'oidc_payloads'>) =>
    eb
      .selectFrom('oidc_clients')
      .select([
        sql<string>`'Client'`.as('model'),
        'oidc_clients.id',
        sql<string | null>`null`.as('uid'),
        clientJson.as('payload'),
        sql<string | null>`null`.as('expires_at'),
        sql<string | null>`null`.as('consumed_at'),
      ])
      .where('oidc_clients.id', '=', clientId)
      .where('oidc_clients.disabled_at', 'is', null);
  const standing = (eb: ExpressionBuilder<DB, 'oidc_payloads'>, sessions: number) =>
    eb
      .selectFrom('oidc_payloads as own')
      .select([
        sql<string>`'Standing'`.as('model'),
        sql<string>`own.account_id`.as('id'),
        sql<string | null>`cast(${clientId} as text)`.as('uid'),
        // Null without a membership (the one payload that can be: see readAhead).
        sql<string>`${standingJson(db, { account: true, sessions, services: true }, arg, {
          userId: sql.ref<string | null>('own.account_id'),
          include: sql<string | null>`(${db
            .selectFrom('oidc_clients')
            .select('oidc_clients.service_id')
            .where('oidc_clients.id', '=', clientId)
            .where('oidc_clients.disabled_at', 'is', null)})`,
        })}`.as('payload'),
        sql<string | null>`null`.as('expires_at'),
        sql<string | null>`null`.as('consumed_at'),
      ])
      .where('own.model', '=', arg('model'))
      .where('own.id', '=', arg('id'))
      .where('own.account_id', 'is not', null);
  const self = db
    .selectFrom('oidc_payloads')
    .select(cols)
    .where('model', '=', arg('model'))
    .where('id', '=', arg('id'));
  const withGrants =
    shape.related === 'session'
      ? self.unionAll((eb) => related(eb, 'Grant', 'account_id', 'account_id'))
      : self
          .unionAll((eb) => related(eb, 'Grant', 'id', 'grant_id'))
          .unionAll((eb) => related(eb, 'Session', 'account_id', 'account_id'));
  if (shape.client === 'none') return withGrants;
  const withClient = withGrants.unionAll(client);
  return shape.standing === null
    ? withClient
    : withClient.unionAll((eb) => standing(eb, shape.standing!));
});

/** What a read ahead without the standing binds for it (its statement uses none). */
const NO_STANDING_ARGS = standingArgs(new Date(0), []);

/**
 * Reads an artefact with its related rows (and a client row, see withRelatedQuery) and
 * keeps every row in the request's store but the one `keep` picks, which it returns.
 */
async function readAhead(
  db: Db,
  input: { model: string; id: string; client: ClientBranch; clientId: string },
  standing: Omit<ReadAheadStanding, 'json'> | null,
  keep: (row: PrefetchedRow) => boolean,
): Promise<PrefetchedRow | undefined> {
  const withStanding = input.client !== 'none' ? standing : null;
  const rows: PrefetchedRow[] = await withRelatedQuery.rows(
    db,
    {
      related: input.model === 'Session' ? 'session' : 'grant-bound',
      client: input.client,
      standing: withStanding ? withStanding.sessionIdHashes.length : null,
    },
    {
      model: input.model,
      id: input.id,
      clientId: input.clientId,
      ...(withStanding
        ? standingArgs(withStanding.now, withStanding.sessionIdHashes)
        : NO_STANDING_ARGS),
    },
  );
  let kept: PrefetchedRow | undefined;
  const state = stateOf(currentRequest(), true);
  for (const r of rows) {
    if (r.model === 'Standing') {
      // The account (id) at the client (uid) as the gate asks about them.
      if (withStanding && state && r.uid)
        state.standings.set(standingKey(r.id, r.uid), { ...withStanding, json: r.payload });
    } else if (!kept && keep(r)) kept = r;
    else if (state) {
      state.prefetched.set(byId(r.model, r.id), r);
      if (r.uid) state.prefetched.set(byUid(r.model, r.uid), r);
    }
  }
  return kept;
}

/** The client row a read ahead brought along: its payload is the row. */
function clientRowOf(row: PrefetchedRow): ClientRow {
  return JSON.parse(row.payload) as ClientRow;
}

/**
 * Which client row to bring along with a lookup of `model`, if the request's client has
 * not been read yet: an authorization request names it in its query (its session is
 * read first), a userinfo request only through its access token.
 */
function clientToReadAhead(model: string): { client: ClientBranch; clientId: string } {
  const ctx = currentRequest();
  const route = ctx?.oidc?.route;
  const named = ctx?.query?.['client_id'];
  if (model === 'Session' && route === 'authorization' && typeof named === 'string' && named)
    return { client: 'request', clientId: named };
  if (GRANT_BOUND.has(model) && route === 'userinfo') return { client: 'artefact', clientId: '' };
  return { client: 'none', clientId: '' };
}

/**
 * At the token endpoint the client is looked up first (client authentication), then the
 * code or refresh token presented: which one, to read it with the client.
 */
function tokenToReadAhead(): { model: string; id: string } | null {
  const ctx = currentRequest();
  if (ctx?.oidc?.route !== 'token') return null;
  const params = ctx.oidc.params;
  if (params?.['grant_type'] === 'authorization_code' && typeof params['code'] === 'string')
    return { model: 'AuthorizationCode', id: params['code'] };
  if (params?.['grant_type'] === 'refresh_token' && typeof params['refresh_token'] === 'string')
    return { model: 'RefreshToken', id: params['refresh_token'] };
  return null;
}

/**
 * The adapter class oidc-provider instantiates once per model name. `clock` decides what
 * has expired (the provider checks `exp` itself too).
 */
export function createOidcAdapter(deps: {
  db: Db;
  clock: Clock;
  /**
   * With this, the gate's standing is read with each request's first lookup (see
   * withRelatedQuery), with the login session ids it returns for the request.
   */
  gateSessions?: (ctx: KoaContextWithOIDC) => string[];
}): {
  Adapter: AdapterConstructor;
  /** The service and first-party flag of a client, as read by the provider's last lookup. */
  clientExtras: (clientId: string) => ClientExtras | undefined;
  /** The standing of the account at the client read ahead in this request, once. */
  takeStanding: (
    ctx: KoaContextWithOIDC,
    accountId: string,
    clientId: string,
  ) => ReadAheadStanding | undefined;
} {
  const { db, clock, gateSessions } = deps;
  const standingToRead = (): Omit<ReadAheadStanding, 'json'> | null => {
    const ctx = currentRequest();
    return ctx && gateSessions ? { now: clock.now(), sessionIdHashes: gateSessions(ctx) } : null;
  };
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

  /** The client row: read ahead by this request, read with its token, or read alone. */
  const clientRow = async (id: string): Promise<ClientRow | undefined> => {
    const ahead = takePrefetched(byId('Client', id));
    if (ahead) return clientRowOf(ahead);
    const token = tokenToReadAhead();
    if (token) {
      const row = await readAhead(
        db,
        { ...token, client: 'request', clientId: id },
        standingToRead(),
        (r) => r.model === 'Client' && r.id === id,
      );
      return row ? clientRowOf(row) : undefined;
    }
    return findEnabledClient(db, id);
  };

  class ClientAdapter implements Adapter {
    async find(id: string): Promise<AdapterPayload | undefined> {
      const row = await clientRow(id);
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
      const values: StoredValues = {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        ...columnsOf(this.model, id, payload),
        expires_at,
      };
      const ctx = currentRequest();
      const state = stateOf(ctx, false);
      if (this.model === 'Session' && state && unchangedSession(state, values)) return;
      if (ISSUED_TO_MEMBER.has(this.model) && deferring(ctx)) {
        defer(ctx!, db, clock).upserts.set(`${this.model}\u0000${id}`, values);
        return;
      }
      await flushBeforeWrite(ctx);
      forgetPrefetched();
      if (!ISSUED_TO_MEMBER.has(this.model)) {
        await upsertPayload(db, values);
        return;
      }
      // What the browser carries away from an authorization request (a code, and the
      // grant behind it) may be forgotten in a crash without harm: see asyncCommit.
      const stored = await storeIssued(db, values, { asyncCommit: browserRoute(ctx) });
      if (!stored) throw notAllowed(this.model);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const ahead = takePrefetched(byId(this.model, id));
      if (ahead) return this.remember(id, ahead);
      if (GRANT_BOUND.has(this.model) || this.model === 'Session') return this.findWithRelated(id);
      const [row] = await findQuery.rows(db, null, { model: this.model, id });
      return this.remember(id, row);
    }

    /** The payload of a row read for the provider; a session's stored form is kept. */
    private remember(id: string, row: Row | undefined): AdapterPayload | undefined {
      if (row && this.model === 'Session')
        stateOf(currentRequest(), true)?.sessionsRead.set(id, row);
      return live(row);
    }

    /**
     * A token with its grant and the sessions of its account, or a session with the
     * grants of its account, in one statement (a union of index lookups); the related
     * rows wait in the request's store for the provider's next lookups.
     */
    private async findWithRelated(id: string): Promise<AdapterPayload | undefined> {
      const { model } = this;
      const found = await readAhead(
        db,
        { model, id, ...clientToReadAhead(model) },
        standingToRead(),
        (r) => r.model === model && r.id === id,
      );
      return this.remember(id, found);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const ahead = takePrefetched(byUid(this.model, uid));
      if (ahead) return this.remember(ahead.id, ahead);
      const [row] = await findByUidQuery.rows(db, null, { model: this.model, uid });
      return row ? this.remember(row.id, row) : undefined;
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
      const ctx = currentRequest();
      if (deferring(ctx)) {
        defer(ctx!, db, clock).consumes.push({ model: this.model, id });
        return;
      }
      await flushBeforeWrite(ctx);
      forgetPrefetched();
      await consumeRows(db, [{ model: this.model, id }], clock.now());
    }

    async destroy(id: string): Promise<void> {
      await flushBeforeWrite(currentRequest());
      forgetPrefetched();
      await db
        .deleteFrom('oidc_payloads')
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await flushBeforeWrite(currentRequest());
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
  const takeStanding = (ctx: KoaContextWithOIDC, accountId: string, clientId: string) => {
    const standings = stateOf(ctx, false)?.standings;
    const key = standingKey(accountId, clientId);
    const standing = standings?.get(key);
    standings?.delete(key);
    return standing;
  };
  return { Adapter, clientExtras: (clientId) => extras.get(clientId), takeStanding };
}

/** Removes expired artefacts (called by the maintenance job). */
export async function pruneExpiredPayloads(db: Db, now: Date): Promise<number> {
  const res = await db
    .deleteFrom('oidc_payloads')
    .where('expires_at', '<', now.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
