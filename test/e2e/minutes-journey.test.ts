import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import { loggedIn } from '../../src/modules/members/members.test-support.js';
import { holdMeeting } from '../../src/modules/governance/minutes.test-support.js';
import { setUpAssociation, startTestApp } from '../helpers/app.js';
import { describeBrowser, horizontalOverflow, PHONE, useBrowser } from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMemberUser } from '../helpers/fixtures.js';
import { button, openAs, type Person } from '../helpers/governance-journey.js';

// The minutes of a general assembly: Sara, the secretary, drafts them from the meeting's
// record, edits the text, records the two attendees the meeting chose (Kari and Ola) and
// sends the minutes for confirmation; Kari and Ola each confirm in their own browser; the
// minutes are locked and published, and Mona, a member who was not there, reads them on
// her phone and downloads the PDF.

const nb = translator('nb');
const START = '2027-04-01T08:00:00Z';
const MEETING_DAY = '2027-05-01';

describeBrowser('browser: minutes drafted, confirmed by two attendees and published', () => {
  describeEachDialect('draft, edit, confirmers, confirmation, publication', (h) => {
    const browser = useBrowser();
    let app: Running;
    let sara: Person;
    let kari: Person;
    let ola: Person;
    let mona: Person;
    let meetingId = '';

    beforeAll(async () => {
      app = await startTestApp({ database: h.database(), clock: fixedClock(START) });
      await setUpAssociation(app);
      const bente = await createMemberUser(h.db(), {
        name: 'Bente Styre',
        offices: ['board_member'],
      });
      sara = await createMemberUser(h.db(), { name: 'Sara Sekretær' });
      kari = await createMemberUser(h.db(), { name: 'Kari Konfirmant' });
      ola = await createMemberUser(h.db(), { name: 'Ola Konfirmant' });
      mona = await createMemberUser(h.db(), { name: 'Mona Medlem' });
      const held = await holdMeeting(app, {
        board: { client: await loggedIn(app, bente.user.email), userId: bente.user.id },
        date: MEETING_DAY,
        secretaryMemberId: sara.member.id,
        attendees: [sara.member.id, kari.member.id, ola.member.id],
        votes: [
          {
            subject: 'Budsjett 2028',
            kind: 'secret',
            choices: ['yes', 'yes', 'no'],
            onAgendaKind: 'budget_fee',
          },
        ],
      });
      meetingId = held.meetingId;
    });
    afterAll(async () => {
      await app?.close();
    });

    const as = (person: Person, viewport?: { width: number; height: number }) =>
      openAs(browser(), app.url, person, viewport);

    it('Sara drafts and edits; Kari and Ola confirm; Mona reads the published minutes', async () => {
      const secretary = await as(sara);
      await secretary.goto(`/meetings/${meetingId}`);
      await secretary.getByRole('link', { name: nb('minutes.link'), exact: true }).click();
      await button(secretary, nb('minutes.draft.button')).click();
      await secretary.getByText(nb('minutes.drafted')).waitFor();
      const draft = await secretary.locator('#minutes-body').innerText();
      expect(draft).toContain('Avstemning: Budsjett 2028');
      expect(draft).toContain('For: 2 · Mot: 1 · Blank: 0');
      expect(draft).toContain('Resultat: Vedtatt');

      await secretary.getByRole('link', { name: nb('minutes.edit.link'), exact: true }).click();
      const text = secretary.getByLabel(nb('minutes.field.body'), { exact: true });
      await text.fill(`${await text.inputValue()}\nMøtet ble hevet kl. 20.15.`);
      await button(secretary, nb('minutes.edit.save')).click();
      await secretary.getByText(nb('minutes.saved')).waitFor();

      await secretary
        .getByLabel(nb('minutes.confirmers.first'), { exact: true })
        .selectOption(kari.member.id);
      await secretary
        .getByLabel(nb('minutes.confirmers.second'), { exact: true })
        .selectOption(ola.member.id);
      await button(secretary, nb('minutes.confirmers.choose')).click();
      await secretary.getByText(nb('minutes.confirmers.chosen')).waitFor();
      await button(secretary, nb('minutes.send.button')).click();
      await secretary.getByText(nb('minutes.sent')).waitFor();

      for (const [person, done] of [
        [kari, 'minutes.confirmed'],
        [ola, 'minutes.published'],
      ] as const) {
        const confirmer = await as(person);
        await confirmer.goto(`/meetings/${meetingId}/minutes`);
        expect(await confirmer.locator('#minutes-body').innerText()).toContain(
          'Møtet ble hevet kl. 20.15.',
        );
        await button(confirmer, nb('minutes.confirm.button')).click();
        await confirmer.getByText(nb(done)).waitFor();
      }

      const member = await as(mona, PHONE);
      await member.goto('/governance/minutes');
      await member.getByRole('link', { name: 'Ordinært årsmøte 2027' }).click();
      expect(await member.locator('#minutes-body').innerText()).toContain(
        'Møtet ble hevet kl. 20.15.',
      );
      const confirmers = await member.locator('#confirmers').innerText();
      expect(confirmers).toContain('Kari Konfirmant – godkjent');
      expect(confirmers).toContain('Ola Konfirmant – godkjent');
      expect(await horizontalOverflow(member)).toBeLessThanOrEqual(0);
      const pdf = await member.request.get(`/meetings/${meetingId}/minutes.pdf`);
      expect(pdf.status()).toBe(200);
      expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });
  });
});
