import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  checkApacheConfig,
  describeApache,
  reserveApache,
  startApache,
  type RunningApache,
} from '../helpers/apache.js';

// The Apache harness on its own, against a stand-in provider that only publishes its
// discovery document: the config is accepted, Apache starts and serves, and a visit to
// the protected page is sent to the provider's authorization endpoint with PKCE. The
// login through Allmenning itself is test/e2e/sso-apache.test.ts.

/** A GET as a browser's navigation makes it (no redirects followed). */
function navigate(
  url: string,
): Promise<{ status: number; location?: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { accept: 'text/html' } }, (res) => {
      res.resume();
      resolve({
        status: res.statusCode ?? 0,
        ...(res.headers.location ? { location: res.headers.location } : {}),
        setCookie: res.headers['set-cookie'] ?? [],
      });
    }).on('error', reject);
  });
}

describeApache('Apache with mod_auth_openidc (harness)', () => {
  let provider: Server;
  let issuer = '';
  let apache: RunningApache;
  const reserved = { port: 0, redirectUri: '', backchannelLogoutUri: '', url: '' };

  beforeAll(async () => {
    provider = createServer((req, res) => {
      if (req.url === '/oidc/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/me`,
            jwks_uri: `${issuer}/jwks`,
            end_session_endpoint: `${issuer}/session/end`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
            backchannel_logout_supported: true,
            backchannel_logout_session_supported: true,
          }),
        );
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/oidc`;
    Object.assign(reserved, await reserveApache());
  });
  afterAll(async () => {
    await apache?.stop();
    await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
  });

  const oidc = () => ({
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    clientId: 'apache-test',
    clientSecret: 'a confidential client secret',
  });

  it('writes a configuration httpd accepts', async () => {
    const checked = await checkApacheConfig({ port: reserved.port, oidc: oidc() });
    expect(checked.output).toContain('Syntax OK');
    expect(checked.ok).toBe(true);
    expect(checked.conf).toContain('OIDCSessionType server-cache');
  });

  it('starts, serves the public page and sends a visitor of the protected one to the provider', async () => {
    apache = await startApache({ port: reserved.port, oidc: oidc() });
    expect(apache.redirectUri).toBe(reserved.redirectUri);
    expect(apache.backchannelLogoutUri).toBe(`${reserved.redirectUri}?logout=backchannel`);

    const pub = await fetch(`${apache.url}/`);
    expect(pub.status).toBe(200);
    expect(await pub.text()).toContain('Public page');

    // As a browser navigates: fetch() says Sec-Fetch-Mode: cors, which the RP answers
    // with 401 instead of a redirect (it takes it for a script's request).
    const res = await navigate(apache.protectedUrl);
    expect(res.status, await apache.errorLog()).toBe(302);
    const to = new URL(res.location!);
    expect(`${to.origin}${to.pathname}`).toBe(`${issuer}/auth`);
    expect(to.searchParams.get('client_id')).toBe('apache-test');
    expect(to.searchParams.get('redirect_uri')).toBe(reserved.redirectUri);
    expect(to.searchParams.get('response_type')).toBe('code');
    expect(to.searchParams.get('scope')).toBe('openid email profile');
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(to.searchParams.get('nonce')).toBeTruthy();
    expect(res.setCookie.join('\n')).toContain('mod_auth_openidc_state_');
  });

  it('refuses an unsigned back-channel logout', async () => {
    const res = await fetch(apache.backchannelLogoutUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: 'eyJhbGciOiJub25lIn0.e30.' }),
    });
    expect(res.status).toBe(400);
  });
});
