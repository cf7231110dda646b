import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { AppContext } from '../../app/context.js';
import type { Config } from '../../app/config.js';
import { ensureSigningKey, signingKeys } from './oidc-keys.js';
import { buildOidcProvider, type OidcDeps } from './oidc-provider.js';

/** The path the OpenID Connect provider is mounted under (issuer = BASE_URL + this). */
export const OIDC_PATH = '/oidc';

/** The issuer identifier: BASE_URL + /oidc (discovery at /oidc/.well-known/openid-configuration). */
export function issuerOf(config: Pick<Config, 'baseUrl'>): string {
  return `${config.baseUrl}${OIDC_PATH}`;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** How often a running instance looks for rotated signing keys (one small query). */
export const KEY_CHECK_MS = 60_000;

type Built = {
  provider: Provider;
  callback: NodeHandler;
  clientExtras: ReturnType<typeof buildOidcProvider>['clientExtras'];
  issuer: string;
  fingerprint: string;
};

type Host = { built: Built | null; building: Promise<Built> | null; checkedAt: number };

const hosts = new WeakMap<object, Host>();

function hostOf(ctx: OidcDeps): Host {
  let host = hosts.get(ctx);
  if (!host) hosts.set(ctx, (host = { built: null, building: null, checkedAt: 0 }));
  return host;
}

async function keyFingerprint(ctx: OidcDeps): Promise<string> {
  const rows = await ctx.db
    .selectFrom('oidc_keys')
    .select(['kid', 'status'])
    .orderBy('kid')
    .execute();
  return rows.map((r) => `${r.kid}:${r.status}`).join(',');
}

async function build(ctx: OidcDeps, issuer: string): Promise<Built> {
  await ensureSigningKey(ctx.db, { secret: ctx.secret, now: ctx.clock.now() });
  const fingerprint = await keyFingerprint(ctx);
  const keys = await signingKeys(ctx.db, ctx.secret);
  const { provider, clientExtras } = buildOidcProvider(ctx, { issuer, keys });
  const callback = provider.callback() as NodeHandler;
  return { provider, callback, clientExtras, issuer, fingerprint };
}

/**
 * The provider of this app context, built on first use (the issuer comes from BASE_URL,
 * which is only final once the server listens) and built again when the signing keys
 * changed: `allmenning sso rotate-keys` in another process is picked up within
 * KEY_CHECK_MS by every instance, without a restart. Grants, tokens and sessions live in
 * the database, so a rebuilt provider continues where the old one stopped.
 */
export async function oidcProviderFor(ctx: OidcDeps): Promise<Built> {
  const host = hostOf(ctx);
  const issuer = issuerOf(ctx.config);
  const fresh = Date.now() - host.checkedAt < KEY_CHECK_MS;
  if (host.built && host.built.issuer === issuer && fresh) return host.built;
  if (host.building) return host.building;
  host.building = (async () => {
    try {
      const current = host.built;
      if (
        current &&
        current.issuer === issuer &&
        (await keyFingerprint(ctx)) === current.fingerprint
      ) {
        host.checkedAt = Date.now();
        return current;
      }
      const built = await build(ctx, issuer);
      host.built = built;
      host.checkedAt = Date.now();
      return built;
    } finally {
      host.building = null;
    }
  })();
  return host.building;
}

/** Makes the next request look at the signing keys again (after a rotation in-process). */
export function recheckOidcKeys(ctx: OidcDeps): void {
  hostOf(ctx).checkedAt = 0;
}

/**
 * The OpenID Connect provider as a node:http handler for every request under /oidc.
 * The server hands those requests here and everything else to Hono. The provider is a
 * Koa app that finds its mount path from req.originalUrl, as when mounted by Express.
 */
export function createOidcHandler(ctx: AppContext): Promise<NodeHandler | null> {
  const handler: NodeHandler = (req, res) => {
    const original = req.url ?? '/';
    oidcProviderFor(ctx).then(
      ({ callback }) => {
        const rest = original.slice(OIDC_PATH.length);
        (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
        req.url = rest.startsWith('/') ? rest : `/${rest}`;
        callback(req, res);
      },
      (err: unknown) => {
        ctx.logger.error({ err }, 'could not start the OpenID Connect provider');
        res.statusCode = 503;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('The OpenID Connect provider is unavailable.');
      },
    );
  };
  return Promise.resolve(handler);
}
