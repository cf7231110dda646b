import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { formatDate } from '../../src/app/dates.js';
import { translator } from '../../src/app/i18n.js';
import { setClock } from '../../src/modules/governance/governance.test-support.js';
import { ADMIN, setUpAssociation, startTestApp } from '../helpers/app.js';
import {
  describeBrowser,
  horizontalOverflow,
  openPage,
  PHONE,
  useBrowser,
} from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { button, fill } from '../helpers/governance-journey.js';
import { linkIn, startSmtpServer } from '../helpers/smtp.js';

// The founding meeting on a phone, before there are any members: Ada, who set the system
// up, calls the meeting 14 days ahead; Pia pre-registers from the open call; on the day
// Ada opens the meeting, registers Anne and Bjørn in the room (Pia arrives), records the
// chair and the secretary, has the register approved, and the meeting adopts the
// statutes by a show of hands. The three then sign up on their phones with the address
// they registered with, confirm it from the email, log in, stand for the first board and
// elect two of themselves by secret ballot. Ada closes the meeting: the three are active
// founding members, version 1 of the statutes is dated with the meeting, and the elected
// hold board terms from the meeting's day that let them manage the association. Nothing
// scrolls sideways.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';
const MEETING_DAY = '2027-04-15';
const PASSWORD = 'stiftelse-passord-2027';
const FOUNDERS = [
  { name: 'Anne Stifter', handle: 'anne', email: 'anne@example.org' },
  { name: 'Bjørn Stifter', handle: 'bjorn', email: 'bjorn@example.org' },
  { name: 'Pia Påmeldt', handle: 'pia', email: 'pia@example.org' },
] as const;
type Founder = (typeof FOUNDERS)[number];

async function flash(page: Page, key: Parameters<typeof nb>[0]): Promise<void> {
  await page
    .getByRole('status')
    .filter({ hasText: nb(key) })
    .first()
    .waitFor();
}

describeBrowser('browser: the founding meeting', () => {
  describeEachDialect('open call, registration, statutes, founding members', (h) => {
    const browser = useBrowser();
    let app: Running;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let meetingPath = '';

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({
        database: h.database(),
        clock: fixedClock(START),
        smtpUrl: smtp.url,
        config: { worker: true },
      });
      await setUpAssociation(app, { admin_is_member: '' });
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.close();
    });

    async function logIn(page: Page, email: string): Promise<void> {
      await page.goto('/login');
      await fill(page, nb('accounts.field.email'), email);
      await fill(
        page,
        nb('accounts.field.password'),
        email === ADMIN.email ? ADMIN.password : PASSWORD,
      );
      await button(page, nb('accounts.login.submit')).click();
      await button(page, nb('nav.logout')).waitFor();
    }

    /** A founder signs up on the phone with the registered address, confirms it, logs in. */
    async function signUp(who: Founder): Promise<Page> {
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await page.goto('/signup');
      await fill(page, nb('accounts.field.name'), who.name);
      await fill(page, nb('accounts.field.handle'), who.handle);
      await fill(page, nb('accounts.field.email'), who.email);
      await fill(page, nb('accounts.field.password'), PASSWORD);
      await button(page, nb('accounts.signup.submit')).click();
      await page
        .getByRole('heading', { level: 1, name: nb('accounts.signup.done_title') })
        .waitFor();
      const mail = await smtp.waitFor((m) => m.to.includes(who.email));
      await page.goto(linkIn(mail));
      await flash(page, 'accounts.verified');
      await logIn(page, who.email);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      return page;
    }

    async function asAda(): Promise<Page> {
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await page.goto('/login');
      await fill(page, nb('accounts.field.email'), ADMIN.email);
      await fill(page, nb('accounts.field.password'), ADMIN.password);
      await button(page, nb('accounts.login.submit')).click();
      await button(page, nb('nav.logout')).waitFor();
      return page;
    }

    it('Ada calls the founding meeting 14 days ahead; Pia pre-registers from the open call', async () => {
      const page = await asAda();
      await page.goto('/meetings');
      await page.getByRole('link', { name: nb('governance.meetings.schedule') }).click();
      await page.getByLabel(nb('governance.field.kind'), { exact: true }).selectOption('founding');
      await fill(page, nb('governance.field.title'), 'Stiftelsesmøte');
      await fill(page, nb('governance.field.date'), MEETING_DAY);
      await fill(page, nb('governance.field.time'), '18:00');
      await fill(page, nb('governance.field.place'), 'Folkets hus');
      await fill(page, nb('governance.field.url'), 'https://meet.example.org/stiftelse');
      await button(page, nb('governance.schedule.submit')).click();
      await flash(page, 'governance.schedule.done');
      meetingPath = new URL(page.url()).pathname;

      const { page: pia } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await pia.goto(meetingPath);
      await fill(pia, nb('governance.founding.field.name'), 'Pia Påmeldt');
      await fill(pia, nb('governance.founding.field.email'), 'pia@example.org');
      await button(pia, nb('governance.founding.submit')).click();
      await flash(pia, 'governance.founding.done_before');
      expect(await horizontalOverflow(pia)).toBeLessThanOrEqual(0);
    });

    it('Ada runs the meeting: registers the attendees, records chair and secretary, and the meeting adopts the statutes', async () => {
      setClock(app, `${MEETING_DAY}T16:00:00Z`);
      const page = await asAda();
      await page.goto(meetingPath);
      await page.getByRole('link', { name: nb('votes.register.link') }).click();
      await button(page, nb('votes.meeting.open')).click();
      await flash(page, 'votes.meeting.opened');

      for (const [name, email] of [
        ['Anne Stifter', 'anne@example.org'],
        ['Bjørn Stifter', 'bjorn@example.org'],
        ['Pia Påmeldt', 'pia@example.org'],
      ] as const) {
        await fill(page, nb('governance.founding.field.name'), name);
        await fill(page, nb('governance.founding.field.email'), email);
        await button(page, nb('governance.founding.add')).click();
        await flash(
          page,
          email.startsWith('pia') ? 'governance.founding.arrived' : 'governance.founding.added',
        );
      }
      expect(await page.locator('main').textContent()).toContain(
        nb('votes.attendance.count', { present: 3, eligible: 3 }),
      );
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      // The first item: the meeting elects its chair and secretary.
      await page
        .getByLabel(nb('governance.meeting.chair'), { exact: true })
        .selectOption({ label: 'Anne Stifter (2)' });
      await page
        .getByLabel(nb('governance.meeting.secretary'), { exact: true })
        .selectOption({ label: 'Bjørn Stifter (3)' });
      await button(page, nb('governance.officers.submit')).click();
      await flash(page, 'governance.officers.done');
      await button(page, nb('votes.register.approve')).click();
      await flash(page, 'votes.register.approved_done');

      // The statutes, by a show of hands.
      await page.goto(`${meetingPath}/votes`);
      await fill(page, nb('votes.field.subject'), 'Vedtektene');
      await page
        .getByLabel(nb('votes.field.agenda_item'), { exact: true })
        .selectOption({ label: `3. ${nb('governance.agenda.statutes_adoption')}` });
      await button(page, nb('votes.create')).click();
      await flash(page, 'votes.created');
      await button(page, nb('votes.open')).click();
      await flash(page, 'votes.opened');
      await fill(page, nb('votes.option.yes'), '3');
      await fill(page, nb('votes.option.no'), '0');
      await fill(page, nb('votes.option.blank'), '0');
      await button(page, nb('votes.counts.save')).click();
      await flash(page, 'votes.closed');
      await page.getByText(nb('votes.results.outcome.passed')).first().waitFor();

      // The first board: a custom election of two board members for 24 months.
      await page.goto(meetingPath);
      await page.getByRole('link', { name: nb('elections.link') }).click();
      await page
        .getByLabel(nb('elections.field.office'), { exact: true })
        .selectOption('board_member');
      await fill(page, nb('elections.field.seats'), '2');
      await fill(page, nb('elections.field.term_months'), '24');
      await button(page, nb('elections.create')).click();
      await page.getByText(nb('elections.created')).waitFor();
      const electionPath = new URL(page.url()).pathname;

      // The founders sign up on their phones with the address they registered with, and
      // each stands.
      const phones: Page[] = [];
      for (const founder of FOUNDERS) {
        const phone = await signUp(founder);
        await phone.goto(electionPath);
        await phone.getByLabel(nb('elections.nomination.self'), { exact: true }).check();
        await button(phone, nb('elections.nomination.submit')).click();
        await phone.getByText(nb('elections.nomination.done')).waitFor();
        phones.push(phone);
      }
      const linked = await h
        .db()
        .selectFrom('members')
        .select(['email', 'user_id', 'status'])
        .orderBy('member_number')
        .execute();
      for (const m of linked) {
        expect(m.user_id, m.email ?? undefined).not.toBeNull();
        expect(m.status).toBe('applied');
      }

      await page.goto(electionPath);
      await button(page, nb('elections.start.button')).click();
      await page.getByText(nb('elections.started')).waitFor();
      expect(
        await h
          .db()
          .selectFrom('votes')
          .select('kind')
          .where('election_ref', 'is not', null)
          .execute(),
      ).toEqual([{ kind: 'secret' }]);

      // Anne and Bjørn mark each other and themselves; Pia marks herself and Anne.
      const marks: [string, string][] = [
        ['Anne Stifter', 'Bjørn Stifter'],
        ['Anne Stifter', 'Bjørn Stifter'],
        ['Pia Påmeldt', 'Anne Stifter'],
      ];
      for (const [i, phone] of phones.entries()) {
        await phone.goto(electionPath);
        await phone.getByRole('link', { name: nb('elections.ballot.go') }).click();
        for (const name of marks[i]!) await phone.getByLabel(name, { exact: true }).check();
        await button(phone, nb('votes.ballot.cast')).click();
        const receipt = (await phone.locator('#receipt').innerText()).trim();
        expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
        expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
      }

      await page.goto(electionPath);
      await button(page, nb('elections.close')).click();
      await page.getByText(nb('elections.closed')).waitFor();
      await page.goto(`${electionPath}/results`);
      const elected = await page.locator('#elected').innerText();
      expect(elected).toContain('Anne Stifter');
      expect(elected).toContain('Bjørn Stifter');
      expect(elected).not.toContain('Pia Påmeldt');
      for (const phone of phones) await phone.context().close();

      await page.goto(`${meetingPath}/register`);
      await button(page, nb('governance.close.submit')).click();
      await flash(page, 'governance.close.done');
      expect(await page.locator('main').textContent()).toContain('Anne Stifter');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    });

    it('the attendees are active founding members and the statutes are version 1, adopted at the meeting', async () => {
      const members = await h
        .db()
        .selectFrom('members')
        .select(['email', 'status', 'joined_on', 'founding_meeting_id'])
        .orderBy('member_number')
        .execute();
      const meetingId = meetingPath.split('/').pop();
      expect(members).toEqual(
        ['pia@example.org', 'anne@example.org', 'bjorn@example.org'].map((email) => ({
          email,
          status: 'active',
          joined_on: MEETING_DAY,
          founding_meeting_id: meetingId,
        })),
      );
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await page.goto('/documents/statutes');
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).toContain(
        nb('association.documents.adopted', { date: formatDate(MEETING_DAY, 'nb') }),
      );
      const statutes = await h
        .db()
        .selectFrom('documents')
        .select(['version', 'adopted_on', 'adopted_at_meeting_id'])
        .where('kind', '=', 'statutes')
        .execute();
      expect(statutes).toEqual([
        { version: 1, adopted_on: MEETING_DAY, adopted_at_meeting_id: meetingId },
      ]);
    });

    it('the elected founders hold board terms from the meeting day and can manage the association; Pia cannot', async () => {
      const terms = await h
        .db()
        .selectFrom('office_terms')
        .innerJoin('members', 'members.id', 'office_terms.member_id')
        .select([
          'members.email',
          'office_terms.office',
          'office_terms.starts_on',
          'office_terms.ends_on',
        ])
        .orderBy('members.member_number')
        .execute();
      expect(terms).toEqual(
        ['anne@example.org', 'bjorn@example.org'].map((email) => ({
          email,
          office: 'board_member',
          starts_on: MEETING_DAY,
          ends_on: '2029-04-14',
        })),
      );
      const { page: anne } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await logIn(anne, 'anne@example.org');
      const settings = await anne.goto('/governance/settings');
      expect(settings?.status()).toBe(200);
      await anne
        .getByRole('heading', { level: 1, name: nb('governance.settings.title') })
        .waitFor();
      const { page: pia } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await logIn(pia, 'pia@example.org');
      expect((await pia.goto('/governance/settings'))?.status()).toBe(403);
    });
  });
});
