import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { formatDate } from '../../src/app/dates.js';
import { translator } from '../../src/app/i18n.js';
import { setClock } from '../../src/modules/governance/governance.test-support.js';
import { setUpAssociation, startTestApp } from '../helpers/app.js';
import { describeBrowser, openPage, PHONE, useBrowser } from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import {
  button,
  createAndOpenVote,
  fill,
  openAs,
  seedMembers,
  shows,
  type Person,
} from '../helpers/governance-journey.js';
import { startSmtpServer } from '../helpers/smtp.js';

// A whole ordinary annual meeting, in the browser. Bente from the board calls it (13 days
// ahead is refused, 14 days is accepted) and the notice reaches the members. Mona proposes
// a change to the statutes, Ola a general proposal; the board recommends it, and from the
// publication date every member reads both. On the day Bente opens the meeting, the
// members check in on their phones — Nina, who joined after the qualifying date, cannot —
// the register is approved and Kari and Sara are made chair and secretary. The meeting
// adopts Ola's proposal by a named vote, elects two board members from three candidates
// by secret ballot, and changes the statutes by the 3/4 majority of those present. Kari
// closes the meeting; Sara drafts and edits the minutes, Mona and Ola confirm them, and
// Tor, who stayed home, reads them and downloads the PDF.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';
const TOO_EARLY = '2027-04-14';
const MEETING_DAY = '2027-04-15';
const QUALIFYING_ON = '2027-03-16'; // 30 days before
const TITLE = 'Årsmøte 2027';
const GENERAL = 'Felles Matrix-rom for medlemmene';
const STATUTES = 'Lengre varsel';

describeBrowser('browser: a whole ordinary annual meeting', () => {
  describeEachDialect('notice, proposals, register, votes, election, statutes, minutes', (h) => {
    const browser = useBrowser();
    let app: Running;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let p: Record<'bente' | 'mona' | 'ola' | 'per' | 'kari' | 'sara' | 'tor' | 'nina', Person>;
    let meetingPath = '';
    let generalPath = '';
    let statutesPath = '';

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({
        database: h.database(),
        clock: fixedClock(START),
        smtpUrl: smtp.url,
        config: { worker: true },
      });
      await setUpAssociation(app); // with the model statutes as the current version
      const longAgo = await seedMembers(
        h.db(),
        {
          bente: 'Bente Styre',
          mona: 'Mona Medlem',
          ola: 'Ola Nordmann',
          per: 'Per Velger',
          kari: 'Kari Møteleder',
          sara: 'Sara Referent',
          tor: 'Tor Hjemme',
        },
        '2025-02-01',
        { bente: ['board_member'] },
      );
      const recent = await seedMembers(h.db(), { nina: 'Nina Nyinnmeldt' }, '2027-03-20');
      p = { ...longAgo, ...recent };
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.close();
    });

    const as = (person: Person, viewport?: { width: number; height: number }) =>
      openAs(browser(), app.url, person, viewport);
    const present = () => [p.bente, p.mona, p.ola, p.per, p.kari, p.sara];

    it('1. Bente is refused 13 days ahead, calls the meeting 14 days ahead, and the notice goes out', async () => {
      const board = await as(p.bente);
      await board.goto('/meetings/new');
      await fill(board, nb('governance.field.title'), TITLE);
      await fill(board, nb('governance.field.date'), TOO_EARLY);
      await fill(board, nb('governance.field.time'), '18:00');
      await fill(board, nb('governance.field.place'), 'Folkets hus');
      await fill(board, nb('governance.field.url'), 'https://meet.example.org/am');
      await button(board, nb('governance.schedule.submit')).click();
      const refusal = (await board.getByRole('alert').first().textContent()) ?? '';
      expect(refusal).toContain(MEETING_DAY); // the earliest allowed date
      expect(await board.locator('ol.agenda').count()).toBe(0);

      await fill(board, nb('governance.field.date'), MEETING_DAY);
      await button(board, nb('governance.schedule.submit')).click();
      await shows(board, nb('governance.schedule.done'));
      meetingPath = new URL(board.url()).pathname;

      const notice = await smtp.waitFor(
        (m) => m.to.includes(p.tor.user.email) && m.subject.includes(TITLE),
      );
      expect(notice.subject).toBe(
        nb('governance.email.subject', { title: TITLE, association: 'Datafellesskapet Test' }),
      );
      expect(notice.text).toContain(nb('governance.agenda.chair_secretary'));
      expect(notice.text).toContain(`${app.url}${meetingPath}`);

      const { page: visitor } = await openPage(browser(), { baseUrl: app.url, viewport: PHONE });
      await visitor.goto(meetingPath);
      const agenda = visitor.locator('ol.agenda li');
      expect(await agenda.count()).toBe(9);
      expect(await agenda.first().innerText()).toContain(nb('governance.agenda.chair_secretary'));
      expect(await agenda.nth(1).innerText()).toContain(
        nb('governance.agenda.approve_notice_register'),
      );
      expect(await agenda.last().innerText()).toContain(nb('governance.agenda.any_other_business'));
    });

    it('2. Mona and Ola submit proposals, the board recommends, and they are published', async () => {
      const mona = await as(p.mona, PHONE);
      await mona.goto(meetingPath);
      await mona.getByRole('link', { name: nb('governance.proposal.new') }).click();
      await mona.getByRole('link', { name: nb('governance.proposal_kind.statutes') }).click();
      await fill(mona, nb('governance.proposal.title_field'), STATUTES);
      await fill(mona, nb('governance.proposal.body'), 'To uker er for kort.');
      const text = mona.getByLabel(nb('governance.proposal.amendment_statutes'), { exact: true });
      const current = await text.inputValue(); // the current text of the statutes
      expect(current).toContain('minst 14 dagers varsel');
      await text.fill(current.replace('minst 14 dagers varsel', 'minst 21 dagers varsel'));
      await button(mona, nb('governance.proposal.submit')).click();
      await shows(mona, nb('governance.proposal.submitted_flash'));
      statutesPath = new URL(mona.url()).pathname;
      expect(await mona.locator('.diff del').first().textContent()).toContain('14');
      expect(await mona.locator('.diff ins').first().textContent()).toContain('21');

      const ola = await as(p.ola, PHONE);
      await ola.goto(meetingPath);
      await ola.getByRole('link', { name: nb('governance.proposal.new') }).click();
      await ola.getByRole('link', { name: nb('governance.proposal_kind.general') }).click();
      await fill(ola, nb('governance.proposal.title_field'), GENERAL);
      await fill(ola, nb('governance.proposal.body'), 'Foreningen oppretter et Matrix-rom.');
      await button(ola, nb('governance.proposal.submit')).click();
      await shows(ola, nb('governance.proposal.submitted_flash'));
      generalPath = new URL(ola.url()).pathname;

      const board = await as(p.bente);
      await board.goto(generalPath);
      await board
        .getByLabel(nb('governance.proposal.recommendation'), { exact: true })
        .selectOption('adopt');
      await fill(board, nb('governance.proposal.recommendation_text'), 'Et godt tiltak.');
      await button(board, nb('governance.proposal.recommend')).click();
      await shows(board, nb('flash.saved'));

      // Before the publication date (4 days before) Per sees neither proposal.
      const per = await as(p.per, PHONE);
      await per.goto(meetingPath);
      await shows(
        per,
        nb('governance.meeting.proposals_published_on', { date: formatDate('2027-04-11', 'nb') }),
      );
      expect(await per.locator('main').innerText()).not.toContain(GENERAL);

      setClock(app, '2027-04-11T06:00:00Z');
      await per.reload();
      await per.getByRole('link', { name: `Forslag 1: ${STATUTES}` }).waitFor();
      await per.getByRole('link', { name: `Forslag 2: ${GENERAL}` }).click();
      await shows(per, nb('governance.recommendation.adopt'));
      expect(await per.locator('main').innerText()).toContain('Et godt tiltak.');
    });

    it('3. On the day the meeting opens, members check in on phones, Nina cannot, officers are recorded', async () => {
      setClock(app, `${MEETING_DAY}T16:05:00Z`);
      const board = await as(p.bente);
      await board.goto(`${meetingPath}/register`);
      await button(board, nb('votes.meeting.open')).click();
      await shows(board, nb('votes.meeting.opened'));
      const voters = await board.locator('table').innerText();
      expect(voters).toContain('Tor Hjemme');
      expect(voters).not.toContain('Nina Nyinnmeldt');

      for (const person of present()) {
        const phone = await as(person, PHONE);
        await phone.goto(`${meetingPath}/votes`);
        await button(phone, nb('votes.checkin.button')).click();
        await shows(phone, nb('votes.checkin.done'));
        await phone.context().close();
      }

      const nina = await as(p.nina, PHONE);
      await nina.goto(`${meetingPath}/votes`);
      await shows(
        nina,
        nb('votes.checkin.not_on_register', { date: formatDate(QUALIFYING_ON, 'nb') }),
      );
      expect(await button(nina, nb('votes.checkin.button')).count()).toBe(0);

      await board.goto(`${meetingPath}/register`);
      await board
        .getByLabel(nb('governance.meeting.chair'), { exact: true })
        .selectOption(p.kari.member.id);
      await board
        .getByLabel(nb('governance.meeting.secretary'), { exact: true })
        .selectOption(p.sara.member.id);
      await button(board, nb('governance.officers.submit')).click();
      await shows(board, nb('governance.officers.done'));

      // The chair has the register approved as the first item.
      const chair = await as(p.kari);
      await chair.goto(`${meetingPath}/register`);
      await button(chair, nb('votes.register.approve')).click();
      await shows(chair, nb('votes.register.approved_done'));
      expect(await chair.locator('main').innerText()).toMatch(
        /^6 stemmeberettigede til stede av 7\.$/m,
      );
      await chair.goto(meetingPath);
      const officers = await chair.locator('main').innerText();
      expect(officers).toContain('Kari Møteleder');
      expect(officers).toContain('Sara Referent');
    });

    it('4. A named vote adopts the general proposal, and the named list is shown', async () => {
      const chair = await as(p.kari);
      const votePath = await createAndOpenVote(chair, meetingPath, {
        subject: `Forslag 2: ${GENERAL}`,
        kind: 'named',
        rule: 'simple',
        proposal: `2. ${GENERAL}`,
      });

      const choices = ['yes', 'yes', 'yes', 'yes', 'no', 'blank'] as const;
      for (const [i, person] of present().entries()) {
        const phone = await as(person, PHONE);
        await phone.goto(votePath);
        await phone.getByLabel(nb(`votes.option.${choices[i]!}`), { exact: true }).check();
        await button(phone, nb('votes.ballot.cast')).click();
        await shows(phone, nb('votes.ballot.done'));
        await phone.context().close();
      }
      const nina = await as(p.nina, PHONE);
      await nina.goto(votePath);
      expect(await button(nina, nb('votes.ballot.cast')).count()).toBe(0);

      await chair.goto(votePath);
      await button(chair, nb('votes.close')).click();
      await shows(chair, nb('votes.closed'));

      const tor = await as(p.tor, PHONE);
      await tor.goto(`${votePath}/results`);
      expect(await tor.locator('#outcome').innerText()).toBe(nb('votes.results.outcome.passed'));
      expect(await tor.locator('main').innerText()).toContain(
        nb('votes.results.cast', { cast: 6, blank: 1 }),
      );
      await tor.goto(votePath);
      const named = await tor.locator('table').innerText();
      expect(named).toMatch(/Kari Møteleder\s+Mot/);
      expect(named).toMatch(/Sara Referent\s+Blank/);
      expect(named).toMatch(/Ola Nordmann\s+For/);
    });

    it('5. A secret election of two board members among three who stood', async () => {
      const board = await as(p.bente);
      await board.goto(`${meetingPath}/elections`);
      await board
        .getByLabel(nb('elections.field.office'), { exact: true })
        .selectOption('board_member');
      await fill(board, nb('elections.field.seats'), '2');
      await fill(board, nb('elections.field.term_months'), '24');
      await button(board, nb('elections.create')).click();
      await shows(board, nb('elections.created'));
      const electionPath = new URL(board.url()).pathname;

      for (const person of [p.mona, p.ola, p.per]) {
        const phone = await as(person, PHONE);
        await phone.goto(electionPath);
        await phone.getByLabel(nb('elections.nomination.self'), { exact: true }).check();
        await button(phone, nb('elections.nomination.submit')).click();
        await shows(phone, nb('elections.nomination.done'));
        await phone.context().close();
      }
      await board.goto(electionPath);
      await button(board, nb('elections.start.button')).click();
      await shows(board, nb('elections.started'));

      const marks = [
        ['Mona Medlem', 'Ola Nordmann'],
        ['Mona Medlem', 'Ola Nordmann'],
        ['Ola Nordmann', 'Per Velger'],
        ['Per Velger', 'Mona Medlem'],
        ['Mona Medlem', 'Ola Nordmann'],
        ['Mona Medlem', 'Per Velger'],
      ];
      let kariReceipt = '';
      let kariPhone: Page | undefined;
      for (const [i, person] of present().entries()) {
        const phone = await as(person, PHONE);
        await phone.goto(electionPath);
        await phone.getByRole('link', { name: nb('elections.ballot.go') }).click();
        for (const name of marks[i]!) await phone.getByLabel(name, { exact: true }).check();
        await button(phone, nb('votes.ballot.cast')).click();
        const receipt = (await phone.locator('#receipt').innerText()).trim();
        expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
        if (person === p.kari) [kariReceipt, kariPhone] = [receipt, phone];
        else await phone.context().close();
      }
      // Kari checks that her ballot was counted (the receipt says nothing of its content).
      await kariPhone!.getByRole('link', { name: nb('votes.receipt.check') }).click();
      await fill(kariPhone!, nb('votes.receipt.code'), kariReceipt);
      await button(kariPhone!, nb('votes.receipt.check')).click();
      await shows(kariPhone!, nb('votes.receipt.counted'));

      await board.goto(electionPath);
      await button(board, nb('elections.close')).click();
      await shows(board, nb('elections.closed'));

      const tor = await as(p.tor, PHONE);
      await tor.goto(`${electionPath}/results`);
      const elected = await tor.locator('#elected').innerText();
      expect(elected).toContain('Mona Medlem');
      expect(elected).toContain('Ola Nordmann');
      expect(elected).not.toContain('Per Velger');
      expect(elected).toContain(nb('elections.office.board_member'));
      expect(elected).toContain(
        nb('elections.results.term', {
          from: formatDate(MEETING_DAY, 'nb'),
          to: formatDate('2029-04-14', 'nb'),
        }),
      );
      const table = await tor.locator('table').innerText();
      expect(table).toMatch(/Mona Medlem[^\n]*\s+5/);
      expect(table).toMatch(/Ola Nordmann[^\n]*\s+4/);
      expect(table).toMatch(/Per Velger[^\n]*\s+3/);
    });

    it('6. The statute change passes with 3/4 of those present and becomes the current version', async () => {
      const secretary = await as(p.sara);
      const votePath = await createAndOpenVote(secretary, meetingPath, {
        subject: `Forslag 1: ${STATUTES}`,
        kind: 'open',
        rule: 'statutes',
        proposal: `1. ${STATUTES}`,
      });
      // A show of hands: 5 for, 1 blank, of 6 present (3/4 of 6 needs 4.5).
      await fill(secretary, nb('votes.option.yes'), '5');
      await fill(secretary, nb('votes.option.no'), '0');
      await fill(secretary, nb('votes.option.blank'), '1');
      await button(secretary, nb('votes.counts.save')).click();
      await shows(secretary, nb('votes.closed'));
      expect(new URL(secretary.url()).pathname).toBe(`${votePath}/results`);
      expect(await secretary.locator('#outcome').innerText()).toBe(
        nb('votes.results.outcome.passed'),
      );
      expect(await secretary.locator('main').innerText()).toContain(
        nb('votes.rule.statutes', { n: 3, d: 4 }),
      );

      const tor = await as(p.tor, PHONE);
      await tor.goto(statutesPath);
      expect(await tor.locator('main').innerText()).toContain('vedtektenes versjon 2');
      await tor.goto('/documents/statutes');
      const statutes = await tor.locator('main').innerText();
      expect(statutes).toContain('minst 21 dagers varsel');
      expect(statutes).not.toContain('minst 14 dagers varsel');
      await tor.goto('/documents/statutes/2/changes');
      expect(await tor.locator('.diff del').first().textContent()).toContain('14');
      expect(await tor.locator('.diff ins').first().textContent()).toContain('21');
    });

    it('7. Kari closes the meeting; Sara drafts the minutes, Mona and Ola confirm, Tor reads them', async () => {
      const chair = await as(p.kari);
      await chair.goto(`${meetingPath}/register`);
      await button(chair, nb('governance.close.submit')).click();
      await shows(chair, nb('governance.close.done'));

      const secretary = await as(p.sara);
      await secretary.goto(meetingPath);
      await secretary.getByRole('link', { name: nb('minutes.link'), exact: true }).click();
      await button(secretary, nb('minutes.draft.button')).click();
      await shows(secretary, nb('minutes.drafted'));
      const draft = await secretary.locator('#minutes-body').innerText();
      expect(draft).toContain(nb('minutes.text.vote', { subject: `Forslag 2: ${GENERAL}` }));
      expect(draft).toContain(nb('minutes.text.vote', { subject: `Forslag 1: ${STATUTES}` }));
      expect(draft).toContain('For: 5 · Mot: 0 · Blank: 1');
      expect(draft).toContain(`${nb('minutes.text.named')}:`);
      expect(draft).toContain('- Mot: Kari Møteleder');
      expect(draft).toContain(nb('minutes.text.elected', { name: 'Mona Medlem', votes: 5 }));
      expect(draft).toContain(nb('minutes.text.elected', { name: 'Ola Nordmann', votes: 4 }));

      await secretary.getByRole('link', { name: nb('minutes.edit.link'), exact: true }).click();
      const body = secretary.getByLabel(nb('minutes.field.body'), { exact: true });
      await body.fill(`${await body.inputValue()}\nMøtet ble hevet kl. 20.15.`);
      await button(secretary, nb('minutes.edit.save')).click();
      await shows(secretary, nb('minutes.saved'));
      await secretary
        .getByLabel(nb('minutes.confirmers.first'), { exact: true })
        .selectOption(p.mona.member.id);
      await secretary
        .getByLabel(nb('minutes.confirmers.second'), { exact: true })
        .selectOption(p.ola.member.id);
      await button(secretary, nb('minutes.confirmers.choose')).click();
      await shows(secretary, nb('minutes.confirmers.chosen'));
      await button(secretary, nb('minutes.send.button')).click();
      await shows(secretary, nb('minutes.sent'));

      for (const [person, done] of [
        [p.mona, 'minutes.confirmed'],
        [p.ola, 'minutes.published'],
      ] as const) {
        const confirmer = await as(person, PHONE);
        await confirmer.goto(`${meetingPath}/minutes`);
        expect(await confirmer.locator('#minutes-body').innerText()).toContain('kl. 20.15');
        await button(confirmer, nb('minutes.confirm.button')).click();
        await shows(confirmer, nb(done));
      }

      // Locked: the secretary can no longer edit.
      await secretary.goto(`${meetingPath}/minutes`);
      expect(
        await secretary.getByRole('link', { name: nb('minutes.edit.link'), exact: true }).count(),
      ).toBe(0);

      await smtp.waitFor(
        (m) => m.to.includes(p.tor.user.email) && m.text.includes(`${meetingPath}/minutes`),
      );
      const tor = await as(p.tor, PHONE);
      await tor.goto('/governance/minutes');
      await tor.getByRole('link', { name: TITLE }).click();
      const minutes = await tor.locator('#minutes-body').innerText();
      expect(minutes).toContain('Møtet ble hevet kl. 20.15.');
      expect(minutes).toContain(nb('minutes.text.elected', { name: 'Ola Nordmann', votes: 4 }));
      const confirmers = await tor.locator('#confirmers').innerText();
      expect(confirmers).toContain('Mona Medlem – godkjent');
      expect(confirmers).toContain('Ola Nordmann – godkjent');
      const pdf = await tor.request.get(`${meetingPath}/minutes.pdf`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });
  });
});
