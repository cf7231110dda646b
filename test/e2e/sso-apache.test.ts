import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { translator } from '../../src/app/i18n.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../helpers/app.js';
import {
  describeApache,
  reserveApache,
  startApache,
  type RunningApache,
} from '../helpers/apache.js';
import { describeBrowser, openPage, useBrowser } from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMember, createUser } from '../helpers/fixtures.js';
import { insertOidcClient, insertService } from '../helpers/sso-fixtures.js';

// A real relying party: Apache httpd with mod_auth_openidc (Debian's packages) protects
// a page on loopback. A member logs in to it through Allmenning's own login page in
// Chromium; when the board suspends the member, Allmenning's outbox delivers an OpenID
// Connect back-channel logout to Apache, which ends its session: the page is not shown
// any more, and Allmenning refuses the member at the next login.

const nb = translator('nb');

const KARI = {
  name: 'Kari Nordmann',
  handle: 'kari',
  email: 'kari@example.org',
  password: 'kari sitt lange passord',
};
const CLIENT_SECRET = 'apache sin klienthemmelighet, lang nok';

async function logIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel(nb('accounts.field.email'), { exact: true }).fill(who.email);
  await page.getByLabel(nb('accounts.field.password'), { exact: true }).fill(who.password);
  await page.getByRole('button', { name: nb('accounts.login.submit'), exact: true }).click();
}

describeBrowser('browser: Apache mod_auth_openidc as relying party', () => {
  describeApache('log in through Allmenning, back-channel logout on suspension', () => {
    describeEachDialect('Apache', (h) => {
      const browser = useBrowser();
      let app: Running;
      let apache: RunningApache;
      let memberId = '';
      let clientId = '';

      beforeAll(async () => {
        app = await startTestApp({ database: h.database() });
        await setUpAssociation(app);
        const user = await createUser(h.db(), KARI);
        ({ id: memberId } = await createMember(h.db(), {
          userId: user.id,
          email: KARI.email,
          name: KARI.name,
        }));
        const reserved = await reserveApache();
        const service = await insertService(h.db(), {
          appSecret: app.ctx.secret,
          url: reserved.url,
          slug: 'intranett',
          name: 'Intranett',
          loginMethod: 'oidc',
        });
        ({ clientId } = await insertOidcClient(h.db(), {
          serviceId: service.id,
          clientId: 'apache-intranett',
          secret: CLIENT_SECRET,
          redirectUris: [reserved.redirectUri],
          postLogoutRedirectUris: [`${reserved.url}/index.html`],
          backchannelLogoutUri: reserved.backchannelLogoutUri,
          scopes: ['openid', 'email', 'profile'],
        }));
        apache = await startApache({
          port: reserved.port,
          oidc: {
            metadataUrl: `${app.url}/oidc/.well-known/openid-configuration`,
            clientId,
            clientSecret: CLIENT_SECRET,
          },
        });
      });
      afterAll(async () => {
        await apache?.stop();
        await app?.close();
      });

      /** Apache's error log, to read beside a failure. */
      const rpLog = async () => `Apache error log:\n${(await apache.errorLog()).slice(-4000)}`;

      it('the provider publishes what mod_auth_openidc needs', async () => {
        const res = await fetch(`${app.url}/oidc/.well-known/openid-configuration`);
        expect(res.status).toBe(200);
        const discovery = (await res.json()) as Record<string, unknown>;
        expect(discovery['issuer']).toBe(`${app.url}/oidc`);
        expect(discovery['backchannel_logout_supported']).toBe(true);
        expect(discovery['backchannel_logout_session_supported']).toBe(true);
        expect(discovery['token_endpoint_auth_methods_supported']).toContain('client_secret_basic');
      });

      it('logs in through Allmenning’s login page; suspension logs out of Apache by back-channel', async () => {
        const { page } = await openPage(browser(), { baseUrl: app.url });
        await page.goto(apache.protectedUrl);
        await page.waitForURL((u) => u.origin === app.url && u.pathname === '/login');
        await logIn(page, KARI);
        await page.waitForURL((u) => u.href.startsWith(apache.protectedUrl), { timeout: 20_000 });
        const shown = (await page.locator('#user').textContent()) ?? '';
        expect(shown, await rpLog()).toBe(`Logged in as ${KARI.handle}`);
        expect(await page.locator('#email').textContent()).toBe(KARI.email);

        // The session holds: a reload shows the page without asking Allmenning again.
        await page.goto(apache.protectedUrl);
        expect(new URL(page.url()).origin).toBe(apache.url);
        expect(await page.locator('#user').textContent()).toBe(`Logged in as ${KARI.handle}`);

        // The board suspends Kari on her member page; revocation queues the logout.
        const board = new TestClient(app.url);
        await board.logIn(ADMIN.email, ADMIN.password);
        await board.get(`/members/${memberId}`);
        const suspended = await board.post(`/members/${memberId}/status`, {
          to: 'suspended',
          reason: 'Brudd på retningslinjene.',
        });
        expect(suspended.res.status).toBe(303);
        const queued = await h
          .db()
          .selectFrom('outbox')
          .select(['id', 'status'])
          .where('kind', '=', 'sso.backchannel_logout')
          .where('recipient', '=', clientId)
          .execute();
        expect(queued).toHaveLength(1);

        // Until the logout arrives, Apache's own session still opens the page: what
        // ends it below is the back-channel logout, nothing else.
        await page.goto(apache.protectedUrl);
        expect(await page.locator('#user').textContent()).toBe(`Logged in as ${KARI.handle}`);

        // The worker delivers it: Apache accepts the logout token (200).
        await app.worker.runOnce();
        const delivered = await h
          .db()
          .selectFrom('outbox')
          .select(['status', 'last_error'])
          .where('id', '=', queued[0]!.id)
          .executeTakeFirstOrThrow();
        expect(delivered, await rpLog()).toMatchObject({ status: 'sent' });
        // …and found the session it names (it answers 200 for an unknown one too).
        expect(await apache.errorLog()).not.toContain('could not (or no longer) find a session');

        // Apache's session is gone: the page is not shown, the browser goes back to
        // Allmenning, which refuses the suspended member.
        await page.goto(apache.protectedUrl);
        await page.waitForURL((u) => u.origin === app.url, { timeout: 20_000 });
        await page.waitForLoadState('load');
        expect(await page.locator('#user').count()).toBe(0);
        expect(await page.textContent('body')).not.toContain(`Logged in as ${KARI.handle}`);
        expect(await page.getByRole('alert').textContent()).toBe(nb('sso.refused.suspended'));
      });
    });
  });
});
