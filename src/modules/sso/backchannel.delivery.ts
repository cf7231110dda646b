import type { Config } from '../../app/config.js';
import type { Db } from '../../app/db.js';
import { newToken } from '../../app/ids.js';
import { LOGOUT_EVENT, type BackchannelPayload } from './backchannel.js';
import { ConnectorError } from './connectors/http.js';
import { activeSigningKey } from './oidc-keys.js';
import { issuerOf } from './oidc-mount.js';

// Signing and delivery of the back-channel logouts queued by revocation (backchannel.ts).
// Kept apart from the queueing so that the members module, which queues them, does not
// load the provider.

const LOGOUT_TOKEN_SECONDS = 120;

export async function logoutToken(
  deps: { db: Db; secret: string; config: Pick<Config, 'baseUrl'> },
  opts: { clientId: string; sub: string; sid: string | null; now: Date },
): Promise<string> {
  const jwk = await activeSigningKey(deps.db, deps.secret);
  // jose is loaded with the first logout token, not at start.
  const { importJWK, SignJWT } = await import('jose');
  const key = await importJWK(jwk, jwk.alg);
  const iat = Math.floor(opts.now.getTime() / 1000);
  return new SignJWT({ events: { [LOGOUT_EVENT]: {} }, ...(opts.sid ? { sid: opts.sid } : {}) })
    .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'logout+jwt' })
    .setIssuer(issuerOf(deps.config))
    .setAudience(opts.clientId)
    .setSubject(opts.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LOGOUT_TOKEN_SECONDS)
    .setJti(newToken(16))
    .sign(key);
}

/** Delivers one queued logout; a client that was removed or lost its URI is skipped. */
export async function deliverBackchannelLogout(
  deps: { db: Db; secret: string; config: Pick<Config, 'baseUrl'>; timeoutMs?: number },
  raw: unknown,
  now: Date,
): Promise<void> {
  const payload = raw as BackchannelPayload;
  const client = await deps.db
    .selectFrom('oidc_clients')
    .select(['backchannel_logout_uri'])
    .where('id', '=', payload.clientId)
    .executeTakeFirst();
  if (!client?.backchannel_logout_uri) return;
  const token = await logoutToken(deps, { ...payload, now });
  const url = new URL(client.backchannel_logout_uri);
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ logout_token: token }).toString(),
    signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
  }).catch((err: unknown) => {
    const name = err instanceof Error ? err.name : '';
    const code = err instanceof Error ? (err.cause as { code?: string } | undefined)?.code : null;
    throw new ConnectorError(
      `POST back-channel logout ${url.pathname}: ${name === 'TimeoutError' ? 'timeout' : (code ?? 'network error')}`,
    );
  });
  await res.body?.cancel();
  if (res.status !== 200 && res.status !== 204)
    throw new ConnectorError(`POST back-channel logout ${url.pathname}: HTTP ${res.status}`);
}
