import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import { loggedIn } from '../../src/modules/members/members.test-support.js';
import { scheduleViaForm, setClock } from '../../src/modules/governance/governance.test-support.js';
import { setUpAssociation, startTestApp } from '../helpers/app.js';
import { describeBrowser, horizontalOverflow, PHONE, useBrowser } from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMemberUser } from '../helpers/fixtures.js';
import { button, openAs, type Person } from '../helpers/governance-journey.js';

// An election at the annual meeting: Bente from the board sets up an auditor election;
// Mona and Ola stand; at the meeting Bente starts the vote, Mona, Ola and Per vote on
// their phones, Bente closes the vote, and everyone sees the result. Mona, elected, finds
// the office on the result page with its term. Nothing scrolls sideways.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';
const MEETING_DAY = '2027-05-01';

describeBrowser('browser: an election on a phone', () => {
  describeEachDialect('set-up, self-nomination, multi-choice ballot, result', (h) => {
    const browser = useBrowser();
    let app: Running;
    let bente: Person;
    let mona: Person;
    let ola: Person;
    let per: Person;
    let meetingId = '';

    beforeAll(async () => {
      app = await startTestApp({ database: h.database(), clock: fixedClock(START) });
      await setUpAssociation(app);
      bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
      mona = await createMemberUser(h.db(), { name: 'Mona Medlem' });
      ola = await createMemberUser(h.db(), { name: 'Ola Nordmann' });
      per = await createMemberUser(h.db(), { name: 'Per Velger' });
      meetingId = await scheduleViaForm(await loggedIn(app, bente.user.email), {
        date: MEETING_DAY,
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    const as = (person: Person) => openAs(browser(), app.url, person, PHONE);

    it('Bente sets up the election, Mona and Ola stand, members vote on phones, and the result shows the office', async () => {
      // Before the meeting: the board creates the election from the meeting page.
      const board = await as(bente);
      await board.goto(`/meetings/${meetingId}`);
      await board.getByRole('link', { name: nb('elections.link') }).click();
      await board.getByLabel(nb('elections.field.office'), { exact: true }).selectOption('auditor');
      await board.getByLabel(nb('elections.field.seats'), { exact: true }).fill('1');
      await board.getByLabel(nb('elections.field.term_months'), { exact: true }).fill('12');
      await button(board, nb('elections.create')).click();
      await board.getByText(nb('elections.created')).waitFor();
      const electionPath = new URL(board.url()).pathname;
      expect(await horizontalOverflow(board)).toBeLessThanOrEqual(0);

      // Mona and Ola stand, each from their phone.
      for (const person of [mona, ola]) {
        const page = await as(person);
        await page.goto(electionPath);
        await page.getByLabel(nb('elections.nomination.self'), { exact: true }).check();
        await button(page, nb('elections.nomination.submit')).click();
        await page.getByText(nb('elections.nomination.done')).waitFor();
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await page.context().close();
      }

      // The meeting day: Bente opens the meeting and starts the vote.
      setClock(app, `${MEETING_DAY}T16:05:00Z`);
      const chair = await as(bente);
      await chair.goto(`/meetings/${meetingId}/register`);
      await button(chair, nb('votes.meeting.open')).click();
      await chair.getByText(nb('votes.meeting.opened')).waitFor();

      const voters: Page[] = [];
      for (const person of [mona, ola, per]) {
        const page = await as(person);
        await page.goto(`/meetings/${meetingId}/votes`);
        await button(page, nb('votes.checkin.button')).click();
        await page.getByText(nb('votes.checkin.done')).waitFor();
        voters.push(page);
      }

      await chair.goto(electionPath);
      await button(chair, nb('elections.start.button')).click();
      await chair.getByText(nb('elections.started')).waitFor();

      // Each votes on the phone; two choose Mona, Ola votes for himself.
      for (const [i, page] of voters.entries()) {
        await page.goto(electionPath);
        await page.getByRole('link', { name: nb('elections.ballot.go') }).click();
        await page.getByLabel(i < 2 ? 'Mona Medlem' : 'Ola Nordmann', { exact: true }).check();
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await button(page, nb('votes.ballot.cast')).click();
        const receipt = (await page.locator('#receipt').innerText()).trim();
        expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      }

      await chair.goto(electionPath);
      await button(chair, nb('elections.close')).click();
      await chair.getByText(nb('elections.closed')).waitFor();

      const mine = voters[0]!;
      await mine.goto(`${electionPath}/results`);
      await mine.locator('#elected').getByText('Mona Medlem').waitFor();
      const elected = await mine.locator('#elected').innerText();
      expect(elected).toContain(nb('elections.office.auditor'));
      expect(elected).toContain('2028');
      const table = await mine.locator('table').innerText();
      expect(table).toMatch(/Mona Medlem[^\n]*\s+2/);
      expect(table).toMatch(/Ola Nordmann\s+1/);
      expect(await horizontalOverflow(mine)).toBeLessThanOrEqual(0);
    });
  });
});
