import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import { loggedIn } from '../../src/modules/members/members.test-support.js';
import { getGovernanceSettings } from '../../src/modules/governance/governance-settings.repository.js';
import { updateGovernanceSettings } from '../../src/modules/governance/governance-settings.usecases.js';
import { scheduleViaForm, setClock } from '../../src/modules/governance/governance.test-support.js';
import { setUpAssociation, startTestApp } from '../helpers/app.js';
import { describeBrowser, horizontalOverflow, PHONE, useBrowser } from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMemberUser } from '../helpers/fixtures.js';
import { button, openAs, type Person } from '../helpers/governance-journey.js';

// A proxy on a phone: the association allows proxies; Bente from the board freezes the
// register; Mona, who cannot come, gives her proxy to Hans from the meeting page. At the
// meeting Hans checks in, sees that two are present (one by proxy), and casts two secret
// ballots — his own and Mona's. Bente closes the vote: two ballots, present 2.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';
const MEETING_DAY = '2027-05-01';

describeBrowser('browser: a proxy on a phone', () => {
  describeEachDialect('proxy given, two ballots by the holder, counts', (h) => {
    const browser = useBrowser();
    let app: Running;
    let bente: Person;
    let mona: Person;
    let hans: Person;
    let meetingId = '';

    beforeAll(async () => {
      app = await startTestApp({ database: h.database(), clock: fixedClock(START) });
      await setUpAssociation(app);
      bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
      mona = await createMemberUser(h.db(), { name: 'Mona Fraværende' });
      hans = await createMemberUser(h.db(), { name: 'Hans Fullmektig' });
      await updateGovernanceSettings(app.ctx, {
        actor: { userId: bente.user.id, label: 'test' },
        settings: { ...(await getGovernanceSettings(h.db())), proxiesEnabled: true, proxyCap: 1 },
      });
      meetingId = await scheduleViaForm(await loggedIn(app, bente.user.email), {
        date: MEETING_DAY,
      });
      setClock(app, `${MEETING_DAY}T16:05:00Z`);
    });
    afterAll(async () => {
      await app?.close();
    });

    const as = (person: Person) => openAs(browser(), app.url, person, PHONE);

    it('Mona gives her proxy to Hans; Hans votes twice; the counts are right', async () => {
      const board = await as(bente);
      await board.goto(`/meetings/${meetingId}/register`);
      await button(board, nb('votes.register.freeze')).click();
      await board.getByText(nb('votes.register.frozen_done')).waitFor();

      const grantor = await as(mona);
      await grantor.goto(`/meetings/${meetingId}`);
      await grantor.getByRole('link', { name: nb('proxies.link'), exact: true }).click();
      await grantor
        .getByLabel(nb('proxies.holder_number'), { exact: true })
        .fill(String(hans.member.memberNumber));
      await button(grantor, nb('proxies.give')).click();
      await grantor.getByText(nb('proxies.given_done')).waitFor();
      expect(await grantor.locator('#proxy-given').innerText()).toContain('Hans Fullmektig');
      expect(await horizontalOverflow(grantor)).toBeLessThanOrEqual(0);

      await board.goto(`/meetings/${meetingId}/register`);
      await button(board, nb('votes.meeting.open')).click();
      await board.getByText(nb('votes.meeting.opened')).waitFor();
      await board.goto(`/meetings/${meetingId}/proxies`);
      expect(await board.content()).toContain('Mona Fraværende');
      await board.goto(`/meetings/${meetingId}/votes`);
      await board.getByLabel(nb('votes.field.subject'), { exact: true }).fill('Budsjett 2028');
      await board.getByLabel(nb('votes.field.kind'), { exact: true }).selectOption('secret');
      await button(board, nb('votes.create')).click();
      await board.getByText(nb('votes.created')).waitFor();
      await button(board, nb('votes.open')).click();
      await board.getByText(nb('votes.opened')).waitFor();
      const votePath = new URL(board.url()).pathname;

      const holder = await as(hans);
      await holder.goto(`/meetings/${meetingId}/votes`);
      await button(holder, nb('votes.checkin.button')).click();
      await holder.getByText(nb('votes.checkin.done')).waitFor();
      await holder.goto(votePath);
      expect(await holder.locator('#present-by-proxy').innerText()).toBe(
        nb('proxies.present_line', { present: 2, proxies: 1 }),
      );
      // His own ballot first.
      await holder.getByLabel(nb('votes.option.yes'), { exact: true }).first().check();
      await button(holder, nb('votes.ballot.cast')).click();
      expect((await holder.locator('#receipt').innerText()).trim()).toMatch(/^[0-9A-Z-]{19}$/);
      // Then Mona's, on the same page, as a second ballot.
      await holder.goto(votePath);
      const onBehalf = holder.locator('form', {
        has: holder.getByText(nb('proxies.ballot.title', { name: 'Mona Fraværende' })),
      });
      await onBehalf.getByLabel(nb('votes.option.no'), { exact: true }).check();
      await button(onBehalf, nb('proxies.ballot.cast', { name: 'Mona Fraværende' })).click();
      expect((await holder.locator('#receipt').innerText()).trim()).toMatch(/^[0-9A-Z-]{19}$/);
      await holder.goto(votePath);
      await holder.getByText(nb('proxies.ballot.already', { name: 'Mona Fraværende' })).waitFor();
      expect(await horizontalOverflow(holder)).toBeLessThanOrEqual(0);

      await board.goto(votePath);
      expect(await board.content()).toContain('Mona Fraværende'); // who has voted, not what
      await button(board, nb('votes.close')).click();
      await board.getByText(nb('votes.closed')).waitFor();
      const closed = await h
        .db()
        .selectFrom('votes')
        .select('result')
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(closed.result!)).toMatchObject({
        counts: { yes: 1, no: 1 },
        cast: 2,
        present: 2,
      });
    });
  });
});
