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
import { createMemberUser } from '../helpers/fixtures.js';
import { button, fill, openAs, type Person } from '../helpers/governance-journey.js';

// Calling the annual meeting on a phone: Bente from the board first picks a date 13 days
// ahead and is told the earliest allowed date, then calls it 14 days ahead; Mona proposes
// a change to the statutes from the current text and sees it marked; a visitor reads the
// public notice with the agenda. Nothing scrolls sideways.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';

describeBrowser('browser: calling the annual meeting', () => {
  describeEachDialect('notice, agenda and a statute amendment', (h) => {
    const browser = useBrowser();
    let app: Running;
    let bente: Person;
    let mona: Person;
    let meetingPath = '';

    beforeAll(async () => {
      app = await startTestApp({ database: h.database(), clock: fixedClock(START) });
      await setUpAssociation(app);
      bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
      mona = await createMemberUser(h.db(), { name: 'Mona Medlem' });
    });
    afterAll(async () => {
      await app?.close();
    });

    const as = (person: Person) => openAs(browser(), app.url, person, PHONE);

    it('Bente is refused 13 days ahead, told the earliest date, and calls the meeting 14 days ahead', async () => {
      const page = await as(bente);
      await page.goto('/meetings');
      await page.getByRole('link', { name: nb('governance.meetings.schedule') }).click();
      await page
        .getByRole('heading', { level: 1, name: nb('governance.schedule.title') })
        .waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await fill(page, nb('governance.field.title'), 'Årsmøte 2027');
      await fill(page, nb('governance.field.date'), '2027-04-14');
      await fill(page, nb('governance.field.time'), '18:00');
      await fill(page, nb('governance.field.place'), 'Folkets hus');
      await fill(page, nb('governance.field.url'), 'https://meet.example.org/am');
      await button(page, nb('governance.schedule.submit')).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('2027-04-15');
      await fill(page, nb('governance.field.date'), '2027-04-15');
      await button(page, nb('governance.schedule.submit')).click();
      await page
        .getByRole('status')
        .filter({ hasText: nb('governance.schedule.done') })
        .waitFor();
      meetingPath = new URL(page.url()).pathname;
      expect(await page.locator('ol.agenda li').count()).toBe(9);
      expect(await horizontalOverflow(page)).toBe(0);
      await page.getByRole('link', { name: nb('governance.manage.title') }).click();
      expect(await horizontalOverflow(page)).toBe(0);
    });

    it('Mona proposes a change to the statutes and sees it marked', async () => {
      const page = await as(mona);
      await page.goto(meetingPath);
      await page.getByRole('link', { name: nb('governance.proposal.new') }).click();
      await page.getByRole('link', { name: nb('governance.proposal_kind.statutes') }).click();
      await fill(page, nb('governance.proposal.title_field'), 'Lengre varsel');
      await fill(page, nb('governance.proposal.body'), 'To uker er for kort.');
      const text = page.getByLabel(nb('governance.proposal.amendment_statutes'), { exact: true });
      const current = await text.inputValue();
      expect(current).toContain('minst 14 dagers varsel');
      await text.fill(current.replace('minst 14 dagers varsel', 'minst 21 dagers varsel'));
      await button(page, nb('governance.proposal.submit')).click();
      await page
        .getByRole('status')
        .filter({ hasText: nb('governance.proposal.submitted_flash') })
        .waitFor();
      expect(await page.locator('.diff del').first().textContent()).toContain('14');
      expect(await page.locator('.diff ins').first().textContent()).toContain('21');
      expect(await horizontalOverflow(page)).toBe(0);
    });

    it('a visitor reads the public notice with the agenda, without the meeting link', async () => {
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await page.goto('/');
      await page
        .getByRole('navigation')
        .getByRole('link', { name: nb('nav.meetings') })
        .click();
      await page.getByRole('link', { name: 'Årsmøte 2027' }).click();
      await page.getByRole('heading', { level: 1, name: 'Årsmøte 2027' }).waitFor();
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).toContain(nb('governance.agenda.chair_secretary'));
      expect(body).toContain('Folkets hus');
      expect(body).not.toContain('https://meet.example.org/am');
      expect(body).not.toContain('Lengre varsel');
      expect(await horizontalOverflow(page)).toBe(0);
    });
  });
});
