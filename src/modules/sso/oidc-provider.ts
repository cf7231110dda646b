import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { oidcProviderLib } from '../../app/lazy.js';
import type { AppContext } from '../../app/context.js';
import { hmac, safeEqual, sha256 } from '../../app/crypto.js';
import { isPostgres } from '../../app/db.js';
import { sessionCookieName } from '../../app/middleware.js';
import { findSession } from '../accounts/accounts.repository.js';
import { logOut } from '../accounts/accounts.usecases.js';
import { accessAtService, checkServiceAccess, standingFromJson } from '../services/access.js';
import {
  createOidcAdapter,
  findEnabledClient,
  flushDeferredWrites,
  hashClientSecret,
} from './oidc-adapter.js';
import { accountClaims, OIDC_SCOPES, SCOPE_CLAIMS } from './oidc-claims.js';
import type { PrivateJwk } from './oidc-keys.js';
import { SIGNING_ALG } from './oidc-keys.js';
import { errorPage, logoutPage, loggedOutPage } from './oidc-pages.js';

export type OidcDeps = Pick<
  AppContext,
  'db' | 'clock' | 'config' | 'secret' | 'logger' | 'kickOutbox'
>;

/** Where the provider sends the browser for login and consent (Allmenning's own pages). */
export const INTERACTION_PATH = '/sso/interaction';

const MINUTE = 60;
const DAY = 24 * 3600;

export const TTL = {
  AccessToken: 15 * MINUTE,
  AuthorizationCode: MINUTE,
  IdToken: 60 * MINUTE,
  RefreshToken: 30 * DAY,
  Interaction: 60 * MINUTE,
  Grant: 365 * DAY,
} as const;

/** The hashes of the Allmenning login cookies the browser sent (secure one first). */
function loginSessionHashes(ctx: KoaContextWithOIDC): string[] {
  const hashes: string[] = [];
  for (const name of [sessionCookieName(true), sessionCookieName(false)]) {
    const raw = ctx.cookies.get(name, { signed: false });
    if (raw) hashes.push(sha256(raw));
  }
  return hashes;
}

/** The Allmenning account whose login cookie the browser sent, if any. */
async function allmenningUserId(deps: OidcDeps, ctx: KoaContextWithOIDC): Promise<string | null> {
  for (const hash of loginSessionHashes(ctx)) {
    const session = await findSession(deps.db, hash, deps.clock.now());
    if (session) return session.userId;
  }
  return null;
}

type Access = Awaited<ReturnType<typeof checkServiceAccess>> | { allowed: false; standing: null };

/**
 * The gate for one account at one client, decided once per request (findAccount is
 * called several times in one authorization or token request); the claims of the same
 * request reuse the standing it read, with the account's row. The same statement reads
 * whose the browser's Allmenning login sessions are (an authorization request compares
 * them with the provider's session): never cached beyond the request.
 */
function createGate(
  deps: OidcDeps,
  serviceOf: (clientId: string) => Promise<string | null>,
  takeStanding: ReturnType<typeof createOidcAdapter>['takeStanding'],
) {
  const decided = new WeakMap<object, Map<string, Promise<Access>>>();
  return (ctx: KoaContextWithOIDC, accountId: string, clientId: string): Promise<Access> => {
    let perCtx = decided.get(ctx);
    if (!perCtx) decided.set(ctx, (perCtx = new Map<string, Promise<Access>>()));
    const key = `${accountId}\u0000${clientId}`;
    let answer = perCtx.get(key);
    if (!answer) {
      answer = (async (): Promise<Access> => {
        const serviceId = await serviceOf(clientId);
        if (!serviceId) return { allowed: false, standing: null };
        // Read with the request's first lookup, in the same statement (oidc-adapter.ts).
        const ahead = takeStanding(ctx, accountId, clientId);
        if (ahead?.json)
          return accessAtService(
            deps.db,
            standingFromJson(ahead.json, { ...ahead, services: true, account: true }),
            serviceId,
          );
        return checkServiceAccess(deps.db, {
          userId: accountId,
          serviceId,
          now: deps.clock.now(),
          account: true,
          sessionIdHashes: loginSessionHashes(ctx),
        });
      })();
      perCtx.set(key, answer);
    }
    return answer;
  };
}

/**
 * Builds the provider for `issuer` with the given signing keys (newest first). The
 * mount (oidc-mount.ts) builds it lazily and again when the keys change.
 */
export function buildOidcProvider(
  deps: OidcDeps,
  opts: { issuer: string; keys: PrivateJwk[] },
): { provider: Provider; clientExtras: ReturnType<typeof createOidcAdapter>['clientExtras'] } {
  const { Adapter, clientExtras, takeStanding } = createOidcAdapter({
    db: deps.db,
    clock: deps.clock,
    // The gate's standing read with each request's first statement saves three round
    // trips per flow on PostgreSQL. SQLite has no round trips to save, and the larger
    // statement measured slower there (flows at 50–55 % of the bare provider, 55–68 %
    // with the gate's own statement): it keeps that.
    ...(isPostgres(deps.db) ? { gateSessions: loginSessionHashes } : {}),
  });

  const serviceOf = async (clientId: string): Promise<string | null> => {
    const known = clientExtras(clientId);
    if (known) return known.serviceId;
    const row = await findEnabledClient(deps.db, clientId);
    return row?.service_id ?? null;
  };
  const firstParty = async (clientId: string): Promise<boolean> => {
    const known = clientExtras(clientId);
    if (known) return known.firstParty;
    const row = await findEnabledClient(deps.db, clientId);
    return row?.first_party === 1;
  };
  const gate = createGate(deps, serviceOf, takeStanding);

  // Login is asked again when the browser's Allmenning session is missing or belongs to
  // someone else (logging out of Allmenning logs out of every service's next login), and
  // when the gate refuses the account at this client (findAccount returned nothing): the
  // interaction page then explains why.
  const { default: ProviderClass, interactionPolicy } = oidcProviderLib();
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'allmenning_session',
      'the Allmenning session ended or changed, or the gate refuses this account',
      'login_required',
      async (ctx) => {
        const { oidc } = ctx;
        if (oidc.result?.['login'] || !oidc.session?.accountId) return false;
        if (!oidc.account) return true;
        // The gate of this request read the login sessions with the standing.
        const access = oidc.client
          ? await gate(ctx, oidc.session.accountId, oidc.client.clientId)
          : null;
        const known = access?.standing?.sessionUserIds;
        const current = known
          ? (known.find((id) => id !== null) ?? null)
          : await allmenningUserId(deps, ctx);
        return current !== oidc.session.accountId;
      },
    ),
    0,
  );

  const configuration: Configuration = {
    adapter: Adapter,
    clients: [],
    jwks: { keys: opts.keys },
    cookies: {
      keys: [hmac(deps.secret, 'oidc-provider cookies')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    scopes: OIDC_SCOPES,
    claims: SCOPE_CLAIMS,
    // Services read the claims from the ID token (Synapse, mod_auth_openidc) or from
    // userinfo (Mastodon, Nextcloud): both carry them.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    enabledJWA: {
      idTokenSigningAlgValues: [SIGNING_ALG],
      userinfoSigningAlgValues: [SIGNING_ALG],
      introspectionSigningAlgValues: [SIGNING_ALG],
      authorizationSigningAlgValues: [SIGNING_ALG],
      requestObjectSigningAlgValues: [SIGNING_ALG],
      clientAuthSigningAlgValues: [SIGNING_ALG],
    },
    pkce: {
      // Public clients (no secret) must use PKCE (S256).
      required: (_ctx, client) => client.clientAuthMethod === 'none',
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage({ form, client: ctx.oidc.client?.clientName ?? null });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    ttl: {
      AccessToken: TTL.AccessToken,
      AuthorizationCode: TTL.AuthorizationCode,
      IdToken: TTL.IdToken,
      Interaction: TTL.Interaction,
      Grant: TTL.Grant,
      Session: deps.config.sessionDays * DAY,
      RefreshToken: (ctx, _token, client) => {
        // A rotated public client's token keeps the first one's end: rotation is not a
        // way to stay logged in for ever without the member.
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        if (rotated && client.clientAuthMethod === 'none') return rotated.remainingTTL;
        return TTL.RefreshToken;
      },
    },
    // Refresh tokens: confidential clients (Nextcloud, Synapse, Mastodon … which keep the
    // session server-side) get one with every code; public clients only when they ask
    // for offline_access. Rotation: oidc-provider's default (public clients at every use,
    // confidential clients once 70 % of the lifetime has passed, so parallel refreshes
    // by a server do not trip the reuse detection that revokes the whole grant).
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (client.clientAuthMethod !== 'none' || code.scopes.has('offline_access')),
    // First-party clients skip consent: the grant covers what they ask for (within the
    // scopes their row allows, which the provider enforces before this).
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const client = oidc.client!;
      const grantId =
        (oidc.result?.['consent'] as { grantId?: string } | undefined)?.grantId ??
        oidc.session!.grantIdFor(client.clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (!(await firstParty(client.clientId))) return existing;
      const grant =
        existing ??
        new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.session!.accountId! });
      const scopes = [...oidc.requestParamOIDCScopes];
      const missing = scopes.filter((s) => !grant.getOIDCScope().split(' ').includes(s));
      const claims = [...oidc.requestParamClaims];
      if (!existing || missing.length || claims.length) {
        grant.addOIDCScope(scopes.join(' '));
        if (claims.length) grant.addOIDCClaims(claims);
        await grant.save();
      }
      return grant;
    },
    findAccount: async (ctx, sub) => {
      // The gate, per client: at every authorization, code exchange, refresh and userinfo
      // call the account must still be allowed at this client's service.
      const client = ctx.oidc?.client;
      const access = client ? await gate(ctx, sub, client.clientId) : null;
      if (access && !access.allowed) return undefined;
      return {
        accountId: sub,
        claims: async () => {
          const claims = await accountClaims(deps.db, {
            userId: sub,
            now: deps.clock.now(),
            standing: access?.standing ?? undefined,
          });
          return claims ?? { sub };
        },
      };
    },
    extraParams: [],
  };

  const provider: Provider = new ProviderClass(opts.issuer, configuration);
  provider.proxy = deps.config.trustProxy;

  // Secrets are stored as sha256 hashes (oidc_clients.secret_hash) and the hash is what
  // the provider holds as client_secret: hash what the client presents, then compare in
  // constant time.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    actual: string,
  ) {
    const stored = this.clientSecret;
    return Promise.resolve(!!stored && safeEqual(hashClientSecret(actual), stored));
  };

  // The token endpoint's writes (the code or refresh token consumed, the tokens issued)
  // wait until it has answered and are then applied together (oidc-adapter.ts); a
  // refusal there turns the answer into invalid_grant before it is sent.
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    try {
      await next();
    } catch (err) {
      await flushDeferredWrites(ctx, { failed: true });
      throw err;
    }
    await flushDeferredWrites(ctx);
  });

  // Logging out at the provider (RP-initiated logout, confirmed by the member) ends the
  // Allmenning session of this browser too.
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    const { oidc } = ctx as Partial<KoaContextWithOIDC>;
    if (oidc?.route !== 'end_session_confirm' || !oidc.params?.['logout']) return;
    for (const name of [sessionCookieName(true), sessionCookieName(false)]) {
      const raw = ctx.cookies.get(name, { signed: false });
      if (raw) await logOut(deps, { sessionIdHash: sha256(raw) });
    }
  });

  provider.on('server_error', (_ctx, err) => {
    deps.logger.error({ err }, 'oidc provider error');
  });

  return { provider, clientExtras };
}
