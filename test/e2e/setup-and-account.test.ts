import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { translator } from '../../src/app/i18n.js';
import { AccountErrors } from '../../src/modules/accounts/accounts.errors.js';
import { startTestApp } from '../helpers/app.js';
import {
  describeBrowser,
  horizontalOverflow,
  openPage,
  PHONE,
  useBrowser,
} from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { linkIn, startSmtpServer } from '../helpers/smtp.js';

// The texts a person reads, taken from the dictionaries so a reworded label is one edit.
const nb = translator('nb');
const en = translator('en');

const ASSOCIATION = 'Datafellesskapet Nord';
const ADMIN = {
  name: 'Ada Admin',
  handle: 'ada',
  email: 'ada@example.org',
  password: 'correct horse battery',
};
const PERSON = {
  name: 'Kari Nordmann',
  handle: 'kari',
  email: 'kari@example.org',
  password: 'kari sitt lange passord',
};

/** Fills the input whose label reads exactly `label`. */
async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

async function pathOf(page: Page): Promise<string> {
  await page.waitForLoadState('load');
  return new URL(page.url()).pathname;
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await fill(page, nb('accounts.field.email'), email);
  await fill(page, nb('accounts.field.password'), password);
  await page.getByRole('button', { name: nb('accounts.login.submit'), exact: true }).click();
}

describeBrowser('browser: setup and account', () => {
  describeEachDialect('first run, sign-up, login, language, phone', (h) => {
    const browser = useBrowser();
    let app: Running;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({
        database: h.database(),
        smtpUrl: smtp.url,
        config: { worker: true },
      });
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.close();
    });

    it('leads the first visitor to setup, creates the association and signs the admin in', async () => {
      const { page } = await openPage(browser(), { baseUrl: app.url });
      await page.goto('/');
      expect(await pathOf(page)).toBe('/setup');
      await page.getByRole('heading', { level: 1, name: nb('association.setup.title') }).waitFor();

      await fill(page, nb('association.field.name'), ASSOCIATION);
      await fill(page, nb('association.field.org_number'), '974 760 673');
      await page
        .getByLabel(nb('association.field.year_start_month'), { exact: true })
        .selectOption({ label: nb('month.7') });
      await fill(page, nb('accounts.field.name'), ADMIN.name);
      await fill(page, nb('accounts.field.handle'), ADMIN.handle);
      await fill(page, nb('accounts.field.email'), ADMIN.email);
      await fill(page, nb('accounts.field.password'), ADMIN.password);
      expect(
        await page.getByLabel(nb('association.setup.admin_is_member'), { exact: true }).isChecked(),
      ).toBe(true);
      await page.getByRole('button', { name: nb('association.setup.submit'), exact: true }).click();

      await page
        .getByRole('heading', {
          level: 1,
          name: nb('association.home.welcome', { name: ASSOCIATION }),
        })
        .waitFor();
      expect(await pathOf(page)).toBe('/');
      expect(await page.locator('main').textContent()).toContain(
        nb('association.home.signed_in', { name: ADMIN.name }),
      );

      // Setup is done once: the page now leads away.
      await page.goto('/setup');
      expect(await pathOf(page)).not.toBe('/setup');

      await page.getByRole('button', { name: nb('nav.logout'), exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: nb('accounts.logged_out') })
        .waitFor();
      await page
        .getByRole('navigation')
        .getByRole('link', { name: nb('nav.login'), exact: true })
        .waitFor();
    });

    it('signs a new person up, confirms the address from the mail and logs in', async () => {
      const { page } = await openPage(browser(), { baseUrl: app.url });
      await page.goto('/');
      await page
        .getByRole('navigation')
        .getByRole('link', { name: nb('nav.signup'), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('accounts.signup.title') }).waitFor();
      expect(await pathOf(page)).toBe('/signup');

      await fill(page, nb('accounts.field.name'), PERSON.name);
      await fill(page, nb('accounts.field.handle'), PERSON.handle);
      await fill(page, nb('accounts.field.email'), PERSON.email);
      await fill(page, nb('accounts.field.password'), PERSON.password);
      await page.getByRole('button', { name: nb('accounts.signup.submit'), exact: true }).click();
      await page
        .getByRole('heading', { level: 1, name: nb('accounts.signup.done_title') })
        .waitFor();
      expect(await page.getByRole('status').textContent()).toContain(PERSON.email);

      const mail = await smtp.waitFor((m) => m.to.includes(PERSON.email));
      const link = linkIn(mail);
      expect(link.startsWith(app.url)).toBe(true);
      await page.goto(link);
      await page
        .getByRole('status')
        .filter({ hasText: nb('accounts.verified') })
        .waitFor();
      expect(await pathOf(page)).toBe('/login');

      // A wrong password: a clear message, the address kept, nobody signed in.
      await logIn(page, PERSON.email, 'not the password at all');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(
        AccountErrors.invalidCredentials().message_('nb'),
      );
      expect(await page.getByLabel(nb('accounts.field.email'), { exact: true }).inputValue()).toBe(
        PERSON.email,
      );
      expect(await page.getByRole('button', { name: nb('nav.logout'), exact: true }).count()).toBe(
        0,
      );

      await logIn(page, PERSON.email, PERSON.password);
      await page.getByRole('button', { name: nb('nav.logout'), exact: true }).waitFor();
      await page.goto('/');
      expect(await page.locator('main').textContent()).toContain(
        nb('association.home.signed_in', { name: PERSON.name }),
      );
      await page
        .getByRole('navigation')
        .getByRole('link', { name: nb('nav.profile'), exact: true })
        .waitFor();

      // The language switch in the header turns the whole page English.
      await page
        .getByRole('navigation')
        .getByRole('link', { name: 'English', exact: true })
        .click();
      await page
        .getByRole('heading', {
          level: 1,
          name: en('association.home.welcome', { name: ASSOCIATION }),
        })
        .waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('main').textContent()).toContain(
        en('association.home.signed_in', { name: PERSON.name }),
      );
      await page.getByRole('button', { name: en('nav.logout'), exact: true }).waitFor();
      // And it stays English on the next page.
      await page
        .getByRole('navigation')
        .getByRole('link', { name: en('nav.profile'), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: en('accounts.account.title') }).waitFor();
    });

    it('works on a phone: nothing scrolls sideways, the menu and forms can be used', async () => {
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      const nav = page.getByRole('navigation');

      for (const path of ['/', '/login', '/signup']) {
        await page.goto(path);
        expect(await horizontalOverflow(page), `sideways scroll on ${path}`).toBeLessThanOrEqual(0);
      }

      await page.goto('/');
      const loginLink = nav.getByRole('link', { name: nb('nav.login'), exact: true });
      const box = await loginLink.boundingBox();
      expect(box, 'the login link is on screen').not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      await loginLink.tap();
      await page.getByRole('heading', { level: 1, name: nb('accounts.login.title') }).waitFor();

      const email = page.getByLabel(nb('accounts.field.email'), { exact: true });
      const field = await email.boundingBox();
      expect((field?.x ?? 0) + (field?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      await logIn(page, PERSON.email, PERSON.password);
      await nav.getByRole('button', { name: nb('nav.logout'), exact: true }).waitFor();

      for (const path of ['/', '/account']) {
        await page.goto(path);
        expect(await horizontalOverflow(page), `sideways scroll on ${path}`).toBeLessThanOrEqual(0);
      }
      await nav.getByRole('link', { name: nb('nav.home'), exact: true }).tap();
      await page
        .getByRole('heading', {
          level: 1,
          name: nb('association.home.welcome', { name: ASSOCIATION }),
        })
        .waitFor();
    });
  });
});
