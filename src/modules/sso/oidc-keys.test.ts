import * as oidc from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { runSsoCommand, SSO_HELP } from '../../cli/sso.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { recheckOidcKeys } from './oidc-mount.js';
import {
  authorizationRequest,
  follow,
  insertClient,
  insertService,
  relyingParty,
} from './oidc.test-support.js';

function kidOf(jwt: string): string {
  return (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string })
    .kid;
}

describeEachDialect('OpenID Connect: signing key rotation', (h) => {
  let app: Running;
  let config: oidc.Configuration;
  let browser: TestClient;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const { user } = await createMemberUser(h.db());
    const service = await insertService(h.db());
    config = await relyingParty(app.url, await insertClient(h.db(), { serviceId: service.id }));
    browser = new TestClient(app.url);
    await browser.logIn(user.email, PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function idToken(): Promise<string> {
    const { url, checks } = await authorizationRequest(config);
    const step = await follow(browser, url);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), checks);
    return tokens.id_token!;
  }

  async function jwksKids(): Promise<string[]> {
    const res = await fetch(`${app.url}/oidc/jwks`);
    return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  }

  it('signs with the new key and keeps publishing the old one', async () => {
    const before = await idToken();
    const oldKid = kidOf(before);
    expect(await jwksKids()).toEqual([oldKid]);

    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const code = await runSsoCommand(
      { db: h.db(), secret: app.ctx.secret },
      ['sso', 'rotate-keys'],
      io,
    );
    expect(code).toBe(0);
    const newKid = /New signing key (\S+)\./.exec(lines.join('\n'))![1]!;
    expect(newKid).not.toBe(oldKid);
    expect(lines.join('\n')).toContain(`Retired (still published): ${oldKid}`);

    // Running servers look at the keys once a minute; this one is told to look now.
    recheckOidcKeys(app.ctx);
    expect(await jwksKids()).toEqual([newKid, oldKid]);
    const after = await idToken();
    expect(kidOf(after)).toBe(newKid);

    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'sso.keys_rotated')
      .execute();
    expect(audit).toEqual([{ action: 'sso.keys_rotated', entity_id: newKid }]);

    lines.length = 0;
    expect(await runSsoCommand({ db: h.db(), secret: app.ctx.secret }, ['sso', 'keys'], io)).toBe(
      0,
    );
    expect(lines.map((l) => l.split(' ')[0])).toEqual([newKid, oldKid]);
  });

  it('documents its commands in the help', () => {
    expect(SSO_HELP).toContain('sso rotate-keys');
  });
});
