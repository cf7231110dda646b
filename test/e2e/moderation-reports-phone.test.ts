import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import { setUpAssociation, startTestApp } from '../helpers/app.js';
import {
  describeBrowser,
  horizontalOverflow,
  openPage,
  PHONE,
  useBrowser,
} from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMemberUser, PASSWORD } from '../helpers/fixtures.js';

// The report form, the triage queue and the statistics on a phone (the pages have no
// scripts; the forms are plain POSTs): an empty report is refused with the message beside the field, a full
// one is received; the moderator dismisses it from the queue; nothing scrolls sideways.

const nb = translator('nb');

function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}

describeBrowser('browser: reporting and triage on a phone', () => {
  describeEachDialect('report form, queue, statistics', (h) => {
    const browser = useBrowser();
    let app: Running;
    type Person = Awaited<ReturnType<typeof createMemberUser>>;
    let ola: Person;
    let kari: Person;
    let mira: Person;

    beforeAll(async () => {
      app = await startTestApp({
        database: h.database(),
        clock: fixedClock('2027-04-01T10:00:00Z'),
      });
      await setUpAssociation(app);
      ola = await createMemberUser(h.db(), { name: 'Ola Melder' });
      kari = await createMemberUser(h.db(), { name: 'Kari Nordmann' });
      mira = await createMemberUser(h.db(), { name: 'Mira Moderator', offices: ['moderator'] });
    });
    afterAll(async () => {
      await app?.close();
    });

    async function as(person: Person) {
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await page.goto('/login');
      await page.getByLabel(nb('accounts.field.email'), { exact: true }).fill(person.user.email);
      await page.getByLabel(nb('accounts.field.password'), { exact: true }).fill(PASSWORD);
      await button(page, nb('accounts.login.submit')).click();
      await button(page, nb('nav.logout')).waitFor();
      return page;
    }

    it('takes a report and lets the moderator dismiss it', async () => {
      const reporter = await as(ola);
      await reporter.getByRole('link', { name: nb('moderation.report.nav'), exact: true }).click();
      await reporter.waitForURL((u) => u.pathname === '/report');
      expect(await horizontalOverflow(reporter)).toBe(0);
      const reported = reporter.getByLabel(nb('moderation.report.field.reported'), {
        exact: true,
      });
      await reported.fill(`#${kari.member.memberNumber}`);
      // The browser's own check would stop an empty required field; a space gets through.
      await reporter
        .getByLabel(nb('moderation.report.field.description'), { exact: true })
        .fill(' ');
      await button(reporter, nb('moderation.report.submit')).click();
      await reporter.getByText(nb('moderation.report.description_required')).first().waitFor();
      expect(await reported.inputValue()).toBe(`#${kari.member.memberNumber}`);
      await reporter
        .getByLabel(nb('moderation.report.field.description'), { exact: true })
        .fill('Spam i fellesmappen.');
      await button(reporter, nb('moderation.report.submit')).click();
      await reporter.getByText(nb('moderation.report.sent_flash')).first().waitFor();

      const moderator = await as(mira);
      await moderator.goto('/moderation');
      await moderator.getByText('Spam i fellesmappen.').waitFor();
      await moderator.getByText(ola.user.name).first().waitFor();
      expect(await horizontalOverflow(moderator)).toBe(0);
      await moderator.locator('summary', { hasText: nb('moderation.triage.dismiss') }).click();
      await moderator
        .getByLabel(nb('moderation.triage.dismiss_reason'), { exact: true })
        .fill('Ikke et brudd.');
      await button(moderator, nb('moderation.triage.dismiss')).click();
      await moderator.getByText(nb('moderation.triage.dismissed_flash')).first().waitFor();
      await moderator.getByText(nb('moderation.queue.empty')).waitFor();

      await moderator.getByRole('link', { name: nb('moderation.queue.statistics') }).click();
      await moderator.getByRole('heading', { name: nb('moderation.stats.title') }).waitFor();
      expect(await horizontalOverflow(moderator)).toBe(0);
    });
  });
});
