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

// A secret ballot on a phone: Bente from the board opens the meeting (the register is
// frozen), creates a secret vote and opens it; Mona checks in, votes and gets her receipt,
// which she checks; Bente closes the vote and Mona reads the result. Nothing scrolls
// sideways.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';
const MEETING_DAY = '2027-05-01';

describeBrowser('browser: a secret ballot on a phone', () => {
  describeEachDialect('register, check-in, ballot, receipt, result', (h) => {
    const browser = useBrowser();
    let app: Running;
    let bente: Person;
    let mona: Person;
    let meetingId = '';

    beforeAll(async () => {
      app = await startTestApp({ database: h.database(), clock: fixedClock(START) });
      await setUpAssociation(app);
      bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
      mona = await createMemberUser(h.db(), { name: 'Mona Medlem' });
      meetingId = await scheduleViaForm(await loggedIn(app, bente.user.email), {
        date: MEETING_DAY,
      });
      setClock(app, `${MEETING_DAY}T16:05:00Z`);
    });
    afterAll(async () => {
      await app?.close();
    });

    const as = (person: Person) => openAs(browser(), app.url, person, PHONE);

    it('Bente opens the meeting and a secret vote; Mona checks in, votes, keeps her receipt and reads the result', async () => {
      const board = await as(bente);
      await board.goto(`/meetings/${meetingId}`);
      await board.getByRole('link', { name: nb('votes.register.link') }).click();
      await button(board, nb('votes.meeting.open')).click();
      await board.getByText(nb('votes.meeting.opened')).waitFor();
      expect(await board.content()).toContain('Mona Medlem');
      expect(await horizontalOverflow(board)).toBeLessThanOrEqual(0);

      await board.goto(`/meetings/${meetingId}/votes`);
      await board.getByLabel(nb('votes.field.subject'), { exact: true }).fill('Budsjett 2028');
      await board.getByLabel(nb('votes.field.kind'), { exact: true }).selectOption('secret');
      await button(board, nb('votes.create')).click();
      await board.getByText(nb('votes.created')).waitFor();
      await button(board, nb('votes.open')).click();
      await board.getByText(nb('votes.opened')).waitFor();
      const votePath = new URL(board.url()).pathname;

      const member = await as(mona);
      await member.goto(`/meetings/${meetingId}/votes`);
      await button(member, nb('votes.checkin.button')).click();
      await member.getByText(nb('votes.checkin.done')).waitFor();
      await member.getByRole('link', { name: 'Budsjett 2028' }).click();
      await member.getByLabel(nb('votes.option.yes'), { exact: true }).check();
      await button(member, nb('votes.ballot.cast')).click();
      const receipt = (await member.locator('#receipt').innerText()).trim();
      expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      expect(await horizontalOverflow(member)).toBeLessThanOrEqual(0);

      await member.getByRole('link', { name: nb('votes.receipt.check') }).click();
      await member.getByLabel(nb('votes.receipt.code'), { exact: true }).fill(receipt);
      await button(member, nb('votes.receipt.check')).click();
      await member.getByText(nb('votes.receipt.counted')).waitFor();

      await board.goto(votePath);
      expect(await board.content()).toContain('Mona Medlem'); // who has voted, not what
      await button(board, nb('votes.close')).click();
      await board.getByText(nb('votes.closed')).waitFor();

      await member.goto(`${votePath}/results`);
      await member.getByText(nb('votes.results.outcome.passed')).first().waitFor();
      expect(await horizontalOverflow(member)).toBeLessThanOrEqual(0);
    });
  });
});
