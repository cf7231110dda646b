import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { associationYear, todayIn } from '../../src/app/dates.js';
import { translator } from '../../src/app/i18n.js';
import { DEFAULT_MEMBERSHIP_TYPES } from '../../src/modules/members/membership-types.js';
import { ADMIN, setUpAssociation, startTestApp } from '../helpers/app.js';
import {
  describeBrowser,
  horizontalOverflow,
  openPage,
  PHONE,
  useBrowser,
} from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createUser } from '../helpers/fixtures.js';
import { linkIn, startSmtpServer, type ReceivedMail } from '../helpers/smtp.js';

// The texts a person reads, taken from the dictionaries so a reworded label is one edit.
const nb = translator('nb');

const ORDINARY = DEFAULT_MEMBERSHIP_TYPES[0].nameNb;

type Person = { name: string; handle: string; email: string; password: string };

const KARI: Person = {
  name: 'Kari Nordmann',
  handle: 'kari',
  email: 'kari@example.org',
  password: 'kari sitt lange passord',
};
const OLA: Person = {
  name: 'Ola Avslått',
  handle: 'ola',
  email: 'ola@example.org',
  password: 'ola sitt lange passord',
};

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

async function pathOf(page: Page): Promise<string> {
  await page.waitForLoadState('load');
  return new URL(page.url()).pathname;
}

function flash(page: Page, text: string): Locator {
  return page.getByRole('status').filter({ hasText: text });
}

/** Logs in from wherever the page is (a `next` in the URL is kept by the login form). */
async function logIn(page: Page, who: { email: string; password: string }): Promise<void> {
  if ((await pathOf(page)) !== '/login') await page.goto('/login');
  await fill(page, nb('accounts.field.email'), who.email);
  await fill(page, nb('accounts.field.password'), who.password);
  await page.getByRole('button', { name: nb('accounts.login.submit'), exact: true }).click();
  await page.getByRole('button', { name: nb('nav.logout'), exact: true }).waitFor();
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: nb('nav.logout'), exact: true }).click();
  await flash(page, nb('accounts.logged_out')).waitFor();
}

function nav(page: Page, label: string): Locator {
  return page.getByRole('navigation').getByRole('link', { name: label, exact: true });
}

/** The application form, as a person fills it in; the acceptance boxes only when asked. */
async function fillApplication(
  page: Page,
  opts: { accept: boolean; note?: string },
): Promise<void> {
  await page.getByRole('heading', { level: 1, name: nb('members.apply.title') }).waitFor();
  await page.getByRole('radio', { name: ORDINARY }).check();
  await fill(page, nb('members.field.phone'), '+47 912 34 567');
  await fill(page, nb('members.field.address_line'), 'Storgata 1');
  await fill(page, nb('members.field.postal_code'), '9008');
  await fill(page, nb('members.field.city'), 'Tromsø');
  if (opts.note) await fill(page, nb('members.apply.note'), opts.note);
  if (opts.accept) {
    await page.getByRole('checkbox', { name: nb('members.apply.accept_statutes') }).check();
    await page.getByRole('checkbox', { name: nb('members.apply.accept_aup') }).check();
  }
}

async function submitApplication(page: Page): Promise<void> {
  await page.getByRole('button', { name: nb('members.apply.submit'), exact: true }).click();
}

/** The status shown on /membership, as the person reads it. */
async function statusOnMembershipPage(page: Page): Promise<string> {
  await page.goto('/membership');
  await page.getByRole('heading', { level: 1, name: nb('members.my.title') }).waitFor();
  const term = page.locator('dt', { hasText: nb('members.field.status') });
  return ((await term.locator('xpath=following-sibling::dd[1]').textContent()) ?? '').trim();
}

/** The card of one application on /members/applications, found by the applicant's name. */
function applicationOf(page: Page, name: string): Locator {
  return page.getByRole('article').filter({ has: page.getByRole('heading', { level: 2, name }) });
}

/** Every key of a parsed JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

describeBrowser('browser: the membership journey', () => {
  describeEachDialect('apply, decide, follow up', (h) => {
    const browser = useBrowser();
    let app: Running;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    const association = 'Datafellesskapet Test'; // the name setUpAssociation gives

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({
        database: h.database(),
        smtpUrl: smtp.url,
        config: { worker: true },
      });
      await setUpAssociation(app, { name: association });
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.close();
    });

    const mailTo = (who: Person, subjectStart: string): Promise<ReceivedMail> =>
      smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith(subjectStart));

    /** Signs up at /signup, opens the link from the mail and logs in. */
    async function signUp(page: Page, who: Person): Promise<void> {
      await page.goto('/signup');
      await fill(page, nb('accounts.field.name'), who.name);
      await fill(page, nb('accounts.field.handle'), who.handle);
      await fill(page, nb('accounts.field.email'), who.email);
      await fill(page, nb('accounts.field.password'), who.password);
      await page.getByRole('button', { name: nb('accounts.signup.submit'), exact: true }).click();
      await page
        .getByRole('heading', { level: 1, name: nb('accounts.signup.done_title') })
        .waitFor();
      const mail = await smtp.waitFor((m) => m.to.includes(who.email));
      await page.goto(linkIn(mail));
      await flash(page, nb('accounts.verified')).waitFor();
      await logIn(page, who);
    }

    it('apply → board approves → member logs in → downloads own data', async () => {
      const { page } = await openPage(browser(), { baseUrl: app.url });
      await signUp(page, KARI);

      await nav(page, nb('nav.my_membership')).click();
      expect(await page.locator('main').textContent()).toContain(nb('members.my.none'));
      await page
        .getByRole('main')
        .getByRole('link', { name: nb('members.my.apply'), exact: true })
        .click();
      expect(await pathOf(page)).toBe('/membership/apply');
      // The name comes from the account.
      expect(await page.getByLabel(nb('members.field.name'), { exact: true }).inputValue()).toBe(
        KARI.name,
      );

      // Forgetting the acceptances: a clear message, everything typed is still there.
      const note = 'Jeg vil gjerne hjelpe til med drift.';
      await fillApplication(page, { accept: false, note });
      await submitApplication(page);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(nb('form.errors_heading'));
      expect(await alert.textContent()).toContain(nb('members.apply.must_accept'));
      for (const box of ['members.apply.accept_statutes', 'members.apply.accept_aup'] as const) {
        const checkbox = page.getByRole('checkbox', { name: nb(box) });
        expect(await checkbox.isChecked()).toBe(false);
        expect(await checkbox.getAttribute('aria-invalid'), box).toBe('true');
      }
      expect(await page.getByRole('radio', { name: ORDINARY }).isChecked()).toBe(true);
      const kept = {
        [nb('members.field.name')]: KARI.name,
        [nb('members.field.address_line')]: 'Storgata 1',
        [nb('members.field.postal_code')]: '9008',
        [nb('members.field.city')]: 'Tromsø',
        [nb('members.apply.note')]: note,
      };
      for (const [label, value] of Object.entries(kept))
        expect(await page.getByLabel(label, { exact: true }).inputValue(), label).toBe(value);
      expect(
        smtp.messages.some((m) => m.to.includes(KARI.email) && m.subject.includes('søknad')),
      ).toBe(false);

      await page.getByRole('checkbox', { name: nb('members.apply.accept_statutes') }).check();
      await page.getByRole('checkbox', { name: nb('members.apply.accept_aup') }).check();
      await submitApplication(page);
      await flash(page, nb('members.apply.received')).waitFor();
      expect(await pathOf(page)).toBe('/membership');
      expect(await statusOnMembershipPage(page)).toBe(nb('members.status.applied'));
      expect(await page.locator('main').textContent()).toContain(nb('members.my.applied_note'));
      const received = await mailTo(KARI, 'Vi har mottatt søknaden din');
      expect(received.subject).toContain(association);
      expect(received.text).toContain(KARI.name);

      // An applicant has no business on the board's pages.
      const forbidden = await page.goto('/members/applications');
      expect(forbidden?.status()).toBe(403);
      await page.goto('/membership');
      await logOut(page);

      // The administrator finds the application and approves it.
      const board = await openPage(browser(), { baseUrl: app.url });
      const admin = board.page;
      await admin.goto('/login');
      await logIn(admin, ADMIN);
      await nav(admin, nb('nav.applications')).click();
      await admin
        .getByRole('heading', { level: 1, name: nb('members.applications.title') })
        .waitFor();
      const card = applicationOf(admin, KARI.name);
      expect(await card.textContent()).toContain(KARI.email);
      expect(await card.textContent()).toContain(note);
      expect(await card.textContent()).toContain(ORDINARY);
      await card
        .getByRole('button', { name: nb('members.applications.approve'), exact: true })
        .click();
      await flash(admin, nb('members.applications.approved')).waitFor();
      expect(await pathOf(admin)).toBe('/members/applications');
      expect(await applicationOf(admin, KARI.name).count()).toBe(0);

      const approved = await mailTo(KARI, 'Velkommen som medlem');
      const memberNumber = Number(/Medlemsnummeret ditt er (\d+)/.exec(approved.text)?.[1]);
      expect(memberNumber).toBeGreaterThan(1); // ada is number 1

      // The link in the mail leads through the login to the membership page.
      await page.goto(linkIn(approved));
      expect(await pathOf(page)).toBe('/login');
      await logIn(page, KARI);
      expect(await pathOf(page)).toBe('/membership');
      expect(await statusOnMembershipPage(page)).toBe(nb('members.status.active'));
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain(String(memberNumber));
      const { year } = associationYear(todayIn('Europe/Oslo', new Date()), 1);
      const periods = page
        .getByRole('table')
        .filter({ has: page.getByRole('columnheader', { name: nb('members.periods.year') }) });
      expect(await periods.textContent()).toContain(`${year} (${nb('members.periods.current')})`);

      // "Download your data": a JSON file with what we hold, and no secrets.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: nb('members.my.export'), exact: true }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^kari-data-\d{4}-\d{2}-\d{2}\.json$/);
      const text = await readFile(await download.path(), 'utf8');
      const data = JSON.parse(text) as {
        account: { name: string; email: string; handle: string };
        member: { name: string; email: string; memberNumber: number; status: string };
        documentAcceptances: { kind: string; version: number }[];
        membershipPeriods: { year: number }[];
      };
      expect(data.account).toMatchObject({ name: KARI.name, email: KARI.email, handle: 'kari' });
      expect(data.member).toMatchObject({
        name: KARI.name,
        email: KARI.email,
        memberNumber,
        status: 'active',
      });
      expect(data.documentAcceptances.map((a) => a.kind).sort()).toEqual(['aup', 'statutes']);
      expect(data.membershipPeriods.map((p) => p.year)).toContain(year);
      expect(text).not.toContain('$argon2');
      expect(keysOf(data).filter((k) => /password|hash|secret|token$/i.test(k))).toEqual([]);
    });

    it('a refused application: the reason is required, sent to the applicant and shown', async () => {
      const { page } = await openPage(browser(), { baseUrl: app.url });
      await signUp(page, OLA);
      await page.goto('/membership/apply');
      await fillApplication(page, { accept: true });
      await submitApplication(page);
      await flash(page, nb('members.apply.received')).waitFor();
      await logOut(page);

      const { page: admin } = await openPage(browser(), { baseUrl: app.url });
      await logIn(admin, ADMIN);
      await admin.goto('/members/applications');
      const reason = (p: Page) =>
        applicationOf(p, OLA.name).getByLabel(nb('members.applications.reason'), {
          exact: true,
        });
      const refuse = (p: Page) =>
        applicationOf(p, OLA.name).getByRole('button', {
          name: nb('members.applications.refuse'),
          exact: true,
        });

      // An empty reason: the browser itself says the field must be filled in.
      await refuse(admin).click();
      const native = await reason(admin).evaluate(
        (el) => (el as unknown as { validationMessage: string }).validationMessage,
      );
      expect(native).toMatch(/\S/);
      expect(await pathOf(admin)).toBe('/members/applications');

      // Only spaces get past the browser; the server answers with a clear message.
      await reason(admin).fill('   ');
      await refuse(admin).click();
      const alert = admin.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(nb('form.required'));
      expect(await reason(admin).getAttribute('aria-invalid')).toBe('true');
      expect(await applicationOf(admin, OLA.name).count()).toBe(1);
      expect(
        smtp.messages.some((m) => m.to.includes(OLA.email) && m.subject.includes('ikke')),
      ).toBe(false);

      const why = 'Foreningen tar bare opp medlemmer fra Nord-Norge.';
      await reason(admin).fill(why);
      await refuse(admin).click();
      await flash(admin, nb('members.applications.refused')).waitFor();
      expect(await applicationOf(admin, OLA.name).count()).toBe(0);

      const refused = await mailTo(OLA, 'Søknaden din ble ikke innvilget');
      expect(refused.text).toContain(why);

      await page.goto('/login');
      await logIn(page, OLA);
      expect(await statusOnMembershipPage(page)).toBe(nb('members.status.refused'));
      await page
        .getByRole('main')
        .getByRole('link', { name: nb('members.my.apply_again'), exact: true })
        .waitFor();
    });

    it('works on a phone: the apply form and the applications page', async () => {
      const person = await createUser(h.db(), { name: 'Per Mobil' });
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await logIn(page, person);
      await page.goto('/membership/apply');
      expect(await horizontalOverflow(page), 'sideways scroll on the form').toBeLessThanOrEqual(0);
      await fillApplication(page, { accept: true });
      const submit = page.getByRole('button', { name: nb('members.apply.submit'), exact: true });
      await submit.scrollIntoViewIfNeeded();
      const box = await submit.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      await submit.tap();
      await flash(page, nb('members.apply.received')).waitFor();
      expect(await horizontalOverflow(page), 'sideways scroll on /membership').toBeLessThanOrEqual(
        0,
      );

      const { page: admin } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await logIn(admin, ADMIN);
      await admin.goto('/members/applications');
      const card = applicationOf(admin, person.name);
      await card.waitFor();
      expect(
        await horizontalOverflow(admin),
        'sideways scroll on the applications',
      ).toBeLessThanOrEqual(0);
      const approve = card.getByRole('button', {
        name: nb('members.applications.approve'),
        exact: true,
      });
      await approve.scrollIntoViewIfNeeded();
      const approveBox = await approve.boundingBox();
      expect((approveBox?.x ?? 0) + (approveBox?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      await approve.tap();
      await flash(admin, nb('members.applications.approved')).waitFor();
      expect(await applicationOf(admin, person.name).count()).toBe(0);
    });
  });
});
