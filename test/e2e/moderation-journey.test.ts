import * as oidc from 'openid-client';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import {
  daysAhead,
  scheduleViaForm,
} from '../../src/modules/governance/governance.test-support.js';
import {
  authorizationRequest,
  follow,
  insertClient,
  insertService,
  loginThrough,
  REDIRECT_URI,
  relyingParty,
} from '../../src/modules/sso/oidc.test-support.js';
import { setUpAssociation, startTestApp, TestClient } from '../helpers/app.js';
import {
  describeBrowser,
  horizontalOverflow,
  openPage,
  PHONE,
  useBrowser,
} from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMemberUser, PASSWORD } from '../helpers/fixtures.js';

// The "done when": a report goes through case, hearing and a decision to suspend;
// the member is refused at the next login to a relying party (openid-client's code flow
// through Allmenning's /oidc); the member appeals in the browser and the appeal is on the
// agenda of the general assembly; when the clock passes the end date the daily job lifts
// the suspension and the member can log in again.

const nb = translator('nb');
/** Thursday 1 April 2027, 10:00 UTC (12:00 in Oslo). */
const START = '2027-04-01T10:00:00Z';
const ENDS_ON = '2027-04-15';

async function fill(scope: Page | Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value);
}
function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}
async function logIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await fill(page, nb('accounts.field.email'), email);
  await fill(page, nb('accounts.field.password'), PASSWORD);
  await button(page, nb('accounts.login.submit')).click();
  await button(page, nb('nav.logout')).waitFor();
}

describeBrowser('browser: a report through to suspension, appeal and automatic lifting', () => {
  describeEachDialect('moderation journey', (h) => {
    const browser = useBrowser();
    const clock = fixedClock(START);
    let app: Running;
    type Person = Awaited<ReturnType<typeof createMemberUser>>;
    let kari: Person; // reported
    let ola: Person; // reports
    let mira: Person; // moderator
    let bente: Person; // board
    let client: { clientId: string; secret: string | null };

    beforeAll(async () => {
      app = await startTestApp({ database: h.database(), clock });
      await setUpAssociation(app);
      kari = await createMemberUser(h.db(), { name: 'Kari Nordmann' });
      ola = await createMemberUser(h.db(), { name: 'Ola Melder' });
      mira = await createMemberUser(h.db(), { name: 'Mira Moderator', offices: ['moderator'] });
      bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
      const service = await insertService(h.db(), { name: 'Sky' });
      client = await insertClient(h.db(), { serviceId: service.id, confidential: true });
    });
    afterAll(async () => {
      await app?.close();
    });

    async function as(person: Person) {
      const { page } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await logIn(page, person.user.email);
      return page;
    }

    /** Kari logs in to the relying party with openid-client's code flow. */
    async function relyingPartyLogin() {
      const config = await relyingParty(app.url, client);
      const agent = new TestClient(app.url);
      const { url, checks } = await authorizationRequest(config);
      const step = await loginThrough(agent, url, { email: kari.user.email, password: PASSWORD });
      return { config, agent, step, checks };
    }

    const statusOf = async () =>
      (
        await h
          .db()
          .selectFrom('members')
          .select('status')
          .where('id', '=', kari.member.id)
          .executeTakeFirstOrThrow()
      ).status;

    it('goes from a report to a suspension, an appeal on the agenda, and the end', async () => {
      // Kari uses the service before anything happens.
      const before = await relyingPartyLogin();
      expect(before.step.location).toContain(REDIRECT_URI);
      const tokens = await oidc.authorizationCodeGrant(
        before.config,
        new URL(before.step.location!),
        before.checks,
      );
      expect(tokens.refresh_token).toBeTruthy();

      // 1. Ola reports Kari in the browser.
      const reporter = await as(ola);
      await reporter.goto('/report');
      await fill(
        reporter,
        nb('moderation.report.field.reported'),
        String(kari.member.memberNumber),
      );
      await fill(reporter, nb('moderation.report.field.url'), 'https://sky.example.org/s/123');
      await fill(
        reporter,
        nb('moderation.report.field.description'),
        'Kari delte nazistisk propaganda i fellesmappen.',
      );
      await fill(reporter, nb('moderation.report.field.clause'), 'AUP 2.1');
      await button(reporter, nb('moderation.report.submit')).click();
      await reporter.getByText(nb('moderation.report.sent_flash')).first().waitFor();

      // 2. Mira opens a case from the queue and sends the hearing; Kari answers it.
      const moderator = await as(mira);
      await moderator.goto('/moderation');
      await moderator
        .locator('summary', { hasText: nb('moderation.triage.open_case') })
        .first()
        .click();
      await fill(moderator, nb('moderation.triage.summary'), 'Propaganda i fellesmappen');
      await button(moderator, nb('moderation.triage.open_case')).click();
      await moderator.waitForURL((u) => /^\/moderation\/cases\/[0-9a-z]+$/.test(u.pathname));
      const caseId = new URL(moderator.url()).pathname.split('/').pop()!;
      await fill(
        moderator,
        nb('moderation.hearing.field.accusation'),
        'Du delte nazistisk propaganda i fellesmappen 31. mars.',
      );
      await fill(moderator, nb('moderation.hearing.field.clause'), 'AUP 2.1');
      await button(moderator, nb('moderation.hearing.send')).click();
      await moderator.getByText(nb('moderation.hearing.sent_flash')).first().waitFor();
      const hearing = await h
        .db()
        .selectFrom('moderation_hearings')
        .select('id')
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow();
      const accused = await as(kari);
      await accused.goto(`/moderation/hearings/${hearing.id}`);
      await fill(accused, nb('moderation.hearing.your_answer'), 'Det var ment som satire.');
      await button(accused, nb('moderation.hearing.submit_answer')).click();
      await accused.getByText(nb('moderation.hearing.answered_flash')).first().waitFor();

      // 3. Mira decides to suspend Kari, on the case page.
      await moderator.goto(`/moderation/cases/${caseId}`);
      await moderator.getByText('Det var ment som satire.').first().waitFor();
      await moderator.getByText(ola.user.name).first().waitFor(); // reporter, for moderators
      expect(await horizontalOverflow(moderator)).toBe(0);
      await moderator
        .getByLabel(nb('moderation.decision.kind'), { exact: true })
        .selectOption('suspension');
      await fill(moderator, nb('moderation.decision.ends_on'), ENDS_ON);
      await fill(
        moderator,
        nb('moderation.decision.clause'),
        'Retningslinjer for akseptabel bruk 2.1',
      );
      await fill(
        moderator,
        nb('moderation.decision.reasons'),
        'Deling av nazistisk propaganda er et klart brudd, og svaret endrer ikke det.',
      );
      await button(moderator, nb('moderation.decision.submit')).click();
      await moderator.getByText(nb('moderation.decision.decided_flash')).first().waitFor();
      expect(await statusOf()).toBe('suspended');

      // 4. Every service closes: the refresh token is dead, and the next login is refused.
      await expect(
        oidc.refreshTokenGrant(before.config, tokens.refresh_token!),
      ).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      const held = await h
        .db()
        .selectFrom('oidc_payloads')
        .select('model')
        .where('account_id', '=', kari.user.id)
        .execute();
      expect(held).toEqual([]);
      const refused = await relyingPartyLogin();
      expect(refused.step.location).toBeNull();
      expect(refused.step.status).toBe(403);
      expect(refused.step.html).toContain('data-refusal="suspended"');
      const uid = /\/sso\/interaction\/([^/"]+)\/abort/.exec(refused.step.html)![1]!;
      const { html } = await refused.agent.post(`/sso/interaction/${uid}/abort`, {});
      const to = /<a class="button" href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
      const answer = new URL((await follow(refused.agent, to)).location!);
      expect(answer.searchParams.get('error')).toBe('access_denied');

      // 5. The board calls the annual meeting (30 days ahead), and Kari appeals in the browser.
      const board = new TestClient(app.url);
      await board.logIn(bente.user.email, PASSWORD);
      const meetingId = await scheduleViaForm(board, { date: daysAhead(30) });
      const member = accused;
      await member.goto('/moderation/appeals');
      await member.getByRole('link', { name: nb('moderation.appeal.new'), exact: true }).click();
      expect(await horizontalOverflow(member)).toBe(0);
      await fill(
        member,
        nb('moderation.appeal.text'),
        'Innlegget var satire og ble tatt ut av sammenheng.',
      );
      await button(member, nb('moderation.appeal.submit')).click();
      await member.getByText(nb('moderation.appeal.submitted_flash')).first().waitFor();
      await member.getByText(nb('moderation.appeal.status.on_agenda')).first().waitFor();
      const proposal = await h
        .db()
        .selectFrom('moderation_appeals')
        .innerJoin('proposals', 'proposals.id', 'moderation_appeals.proposal_id')
        .innerJoin('agenda_items', 'agenda_items.id', 'proposals.agenda_item_id')
        .select(['proposals.meeting_id', 'proposals.title', 'agenda_items.kind'])
        .where('moderation_appeals.member_id', '=', kari.member.id)
        .executeTakeFirstOrThrow();
      expect(proposal).toMatchObject({ meeting_id: meetingId, kind: 'proposals' });
      const meetingPage = await board.get(`/meetings/${meetingId}`);
      expect(meetingPage.html).toContain(proposal.title);
      // The appeal does not pause the suspension.
      expect(await statusOf()).toBe('suspended');

      // 6. The clock passes the last day (in Oslo); the daily job lifts the suspension.
      clock.set('2027-04-15T21:00:00Z'); // 23:00 in Oslo: still the last day
      await app.jobs.tick();
      expect(await statusOf()).toBe('suspended');
      clock.set('2027-04-16T04:00:00Z');
      await app.jobs.tick();
      expect(await statusOf()).toBe('active');
      await app.jobs.tick(); // a second run changes nothing
      const lifts = await h
        .db()
        .selectFrom('member_status_changes')
        .select('id')
        .where('member_id', '=', kari.member.id)
        .where('from_status', '=', 'suspended')
        .where('to_status', '=', 'active')
        .execute();
      expect(lifts).toHaveLength(1);

      // 7. Kari can log in to the relying party again.
      const after = await relyingPartyLogin();
      expect(after.step.location).toContain(REDIRECT_URI);
      const again = await oidc.authorizationCodeGrant(
        after.config,
        new URL(after.step.location!),
        after.checks,
      );
      expect(again.access_token).toBeTruthy();
    });
  });
});
