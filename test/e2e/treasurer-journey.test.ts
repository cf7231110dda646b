import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { DAY_MS, fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import { isValidBankAccount } from '../../src/app/norwegian.js';
import { camtXmlChunks, type PaymentSpec } from '../../src/modules/billing/bank-files/generate.js';
import { makeKid } from '../../src/modules/billing/bank-files/kid.js';
import { formatBankAccount, formatNok } from '../../src/modules/billing/invoice-format.js';
import { paymentTableCounts } from '../../src/modules/billing/payments.test-support.js';
import { DEFAULT_MEMBERSHIP_TYPES } from '../../src/modules/members/membership-types.js';
import { ADMIN, setUpAssociation, startTestApp } from '../helpers/app.js';
import { describeBrowser, openPage, useBrowser } from '../helpers/browser.js';
import { describeEachDialect } from '../helpers/db.js';
import { createMember, createMemberUser } from '../helpers/fixtures.js';
import { startSmtpServer, type ReceivedMail } from '../helpers/smtp.js';

// The dues loop as a treasurer lives it, in the browser: settings, the fee schedule, the
// dues run with invoice mail, a bank file (checked, imported, imported again), the queue,
// reminders, a lapse and a late payment, and the overview's figures to the øre.

// The texts a person reads, taken from the dictionaries so a reworded label is one edit.
const nb = translator('nb');
const kr = (ore: number) => formatNok(ore, 'nb');

const ASSOCIATION = 'Datafellesskapet Test';
const YEAR = 2027;
/** Monday 4 January 2027, 09:00 in Oslo: the dues run goes out today, due in 14 days. */
const START = '2027-01-04T08:00:00Z';
const BANK_ACCOUNT = '86011117947';
/** The same account with the last digit wrong: fails MOD11. */
const BANK_ACCOUNT_TYPO = '8601.11.17948';

const [ORDINARY, REDUCED] = DEFAULT_MEMBERSHIP_TYPES;
/** The data.coop example: gross amounts, the service fee including 25 % VAT. */
const ORDINARY_ORE = 150_00 + 450_00;
const ORDINARY_VAT_ORE = 90_00; // 450,00 × 25/125
const REDUCED_ORE = 50_00 + 50_00;
const REDUCED_VAT_ORE = 10_00; // 50,00 × 25/125

/** Everyone due in the run; member numbers follow this order (Ada, from setup, is #1). */
const PEOPLE = [
  { key: 'ada', name: ADMIN.name, type: 'ordinary' },
  { key: 'trude', name: 'Trude Kasserer', type: 'ordinary' },
  { key: 'anne', name: 'Anne Aas', type: 'ordinary' },
  { key: 'bjorn', name: 'Bjørn Berg', type: 'reduced' },
  { key: 'cecilie', name: 'Cecilie Dahl', type: 'ordinary' },
  { key: 'didrik', name: 'Didrik Eng', type: 'ordinary' },
  { key: 'eirik', name: 'Eirik Fjell', type: 'ordinary' },
] as const;
type Key = (typeof PEOPLE)[number]['key'];
type Person = { id: string; number: number; name: string; email: string; feeOre: number };
type Billed = { invoice: number; kid: string };

/** What each pays in the bank file (Didrik mistypes his KID and rounds up). */
const PAID_IN_FILE: Record<Exclude<Key, 'eirik'>, number> = {
  ada: ORDINARY_ORE,
  trude: ORDINARY_ORE,
  anne: ORDINARY_ORE,
  bjorn: REDUCED_ORE,
  cecilie: 250_00, // a part payment
  didrik: 650_00, // an unknown KID and an amount no invoice waits for: the queue
};
const CECILIE_LATE_ORE = ORDINARY_ORE - PAID_IN_FILE.cecilie;

async function fill(scope: Page | Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value);
}

async function pathOf(page: Page): Promise<string> {
  await page.waitForLoadState('load');
  return new URL(page.url()).pathname;
}

function flash(page: Page, text: string): Locator {
  return page.getByRole('status').filter({ hasText: text });
}

function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The text of the <dd> after the <dt> that reads exactly `term`. */
async function fact(scope: Page | Locator, term: string): Promise<string> {
  const dt = scope.locator('dt').filter({ hasText: exactly(term) });
  expect(await dt.count(), `one <dt> "${term}"`).toBe(1);
  return ((await dt.locator('xpath=following-sibling::dd[1]').textContent()) ?? '').trim();
}

/** One attribute of every element a locator finds. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)));
}

async function logIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await fill(page, nb('accounts.field.email'), who.email);
  await fill(page, nb('accounts.field.password'), who.password);
  await button(page, nb('accounts.login.submit')).click();
  await button(page, nb('nav.logout')).waitFor();
}

/** The bank's camt.053 statement as a string of XML. */
function camtStatement(payments: PaymentSpec[], msgId: string): Buffer {
  const chunks = camtXmlChunks({
    format: 'camt.053',
    count: payments.length,
    payment: (i) => payments[i]!,
    account: BANK_ACCOUNT,
    msgId,
    createdAt: '2027-01-13T06:00:00+01:00',
  });
  return Buffer.from([...chunks].join(''), 'utf8');
}

describeBrowser('browser: the treasurer journey', () => {
  describeEachDialect('from an empty fee schedule to the year’s figures', (h) => {
    const browser = useBrowser();
    const clock = fixedClock(START);
    let app: Running;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let treasurer: { email: string; password: string };
    const people = {} as Record<Key, Person>;
    const billed = {} as Record<Key, Billed>;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({
        database: h.database(),
        clock,
        smtpUrl: smtp.url,
        config: { worker: true },
      });
      // The mail goes out by itself; the daily jobs run when the test says so (below),
      // never because a minute of real time passed while the clock was moved.
      await app.jobs.stop();
      const { memberId } = await setUpAssociation(app, {
        name: ASSOCIATION,
        org_number: '974760673',
        vat_registered: 'on',
      });
      const db = h.db();
      for (const [i, p] of PEOPLE.entries()) {
        const feeOre = p.type === 'ordinary' ? ORDINARY_ORE : REDUCED_ORE;
        if (p.key === 'ada') {
          people.ada = { id: memberId!, number: 1, name: p.name, email: ADMIN.email, feeOre };
        } else if (p.key === 'trude') {
          const { user, member } = await createMemberUser(db, {
            name: p.name,
            offices: ['treasurer'],
          });
          treasurer = user;
          people.trude = {
            id: member.id,
            number: member.memberNumber,
            name: p.name,
            email: user.email,
            feeOre,
          };
        } else {
          const email = `${p.key}@example.org`;
          const m = await createMember(db, { name: p.name, email, typeCode: p.type });
          people[p.key] = { id: m.id, number: m.memberNumber, name: p.name, email, feeOre };
        }
        expect(people[p.key].number, p.name).toBe(i + 1);
      }
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.close();
    });

    async function asTreasurer(): Promise<Page> {
      const { page } = await openPage(browser(), { baseUrl: app.url });
      await logIn(page, treasurer);
      return page;
    }

    const mailsTo = (who: Person, subjectStart: string): ReceivedMail[] =>
      smtp.messages.filter((m) => m.to.includes(who.email) && m.subject.startsWith(subjectStart));

    it('1–2: sets the bank account (a wrong check digit is refused) and the fee schedule', async () => {
      expect(isValidBankAccount(BANK_ACCOUNT)).toBe(true);
      expect(isValidBankAccount(BANK_ACCOUNT_TYPO.replace(/\./g, ''))).toBe(false);
      const page = await asTreasurer();

      await page
        .getByRole('navigation')
        .getByRole('link', { name: nb('nav.billing'), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('billing.overview.title') }).waitFor();
      await page
        .getByRole('main')
        .getByRole('link', { name: nb('billing.overview.link.settings'), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('invoices.settings.title') }).waitFor();

      const account = page.getByLabel(nb('invoices.settings.bank_account'), { exact: true });
      await account.fill(BANK_ACCOUNT_TYPO);
      await button(page, nb('form.save')).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(nb('invoices.settings.bank_account_invalid'));
      expect(await account.getAttribute('aria-invalid')).toBe('true');
      expect(await account.inputValue()).toBe(BANK_ACCOUNT_TYPO);

      await account.fill(formatBankAccount(BANK_ACCOUNT));
      await button(page, nb('form.save')).click();
      await flash(page, nb('flash.saved')).waitFor();
      expect(await pathOf(page)).toBe('/billing/settings');
      expect(await account.inputValue()).toBe('8601.11.17947');
      expect(await account.getAttribute('aria-invalid')).toBeNull();

      // The fee schedule of the current association year starts empty.
      await page.goto('/billing/fees');
      await page
        .getByRole('heading', { level: 1, name: nb('invoices.fees.title_year', { year: YEAR }) })
        .waitFor();
      const card = (code: string) => page.locator(`#type-${code}`);
      for (const type of [ORDINARY, REDUCED])
        expect(await card(type.code).textContent()).toContain(nb('invoices.fees.none'));

      const setFees = async (
        type: (typeof DEFAULT_MEMBERSHIP_TYPES)[number],
        membershipKr: string,
        serviceKr: string,
      ) => {
        const c = card(type.code);
        await c.getByText(nb('invoices.fees.edit'), { exact: true }).click();
        const rows = [
          ['Medlemskontingent', 'Membership fee', membershipKr, '0'],
          ['Tjenesteavgift', 'Service fee', serviceKr, '2500'],
        ] as const;
        for (const [i, [nameNb, nameEn, amount, vat]] of rows.entries()) {
          await fill(c, `${nb('invoices.fees.name_nb')} ${i + 1}`, nameNb);
          await fill(c, `${nb('invoices.fees.name_en')} ${i + 1}`, nameEn);
          await fill(c, `${nb('invoices.fees.amount_kr')} ${i + 1}`, amount);
          await c
            .getByLabel(`${nb('invoices.fees.vat_treatment')} ${i + 1}`, { exact: true })
            .selectOption(vat);
        }
        await button(c, nb('invoices.fees.save', { type: type.nameNb })).click();
        await flash(page, nb('invoices.fees.saved')).waitFor();
      };
      await setFees(ORDINARY, '150', '450');
      await setFees(REDUCED, '50', '50');

      // Totals and VAT as the schedule shows them.
      for (const [type, total, vat] of [
        [ORDINARY, ORDINARY_ORE, ORDINARY_VAT_ORE],
        [REDUCED, REDUCED_ORE, REDUCED_VAT_ORE],
      ] as const) {
        const foot = ((await card(type.code).locator('tfoot').textContent()) ?? '').trim();
        expect(foot, type.code).toContain(kr(total));
        expect(foot, type.code).toContain(kr(vat));
      }
    });

    it('3: starts the dues run, sees it finish and the members get invoices with a PDF', async () => {
      const page = await asTreasurer();
      await page.goto('/billing/dues-runs');
      await page.getByRole('heading', { level: 1, name: nb('invoices.dues.title') }).waitFor();
      expect(await page.getByLabel(nb('invoices.dues.year'), { exact: true }).inputValue()).toBe(
        String(YEAR),
      );
      await button(page, nb('invoices.dues.start')).click();
      await flash(page, nb('invoices.dues.started_flash')).waitFor();
      expect(await pathOf(page)).toMatch(/^\/billing\/dues-runs\/[0-9a-z]{26}$/);
      // The page reloads itself while the run works.
      await flash(page, nb('invoices.dues.status.done')).waitFor();

      const invoicedOre = PEOPLE.reduce((s, p) => s + people[p.key].feeOre, 0);
      expect(await fact(page, nb('invoices.dues.due'))).toBe(String(PEOPLE.length));
      expect(await fact(page, nb('invoices.dues.created'))).toBe(String(PEOPLE.length));
      expect(await fact(page, nb('invoices.dues.skipped'))).toBe('0');
      expect(await fact(page, nb('invoices.dues.total'))).toBe(kr(invoicedOre));

      // Every member gets the invoice by mail, the PDF attached; its KID is what they pay with.
      for (const p of PEOPLE) {
        const who = people[p.key];
        const mail = await smtp.waitFor(
          (m) => m.to.includes(who.email) && m.subject.startsWith('Faktura '),
        );
        expect(mail.subject).toContain(ASSOCIATION);
        expect(mail.text).toContain(`Beløp: ${kr(who.feeOre)}`);
        expect(mail.text).toContain('Kontonummer: 8601.11.17947');
        const invoice = Number(/^Faktura (\d+) fra/.exec(mail.subject)?.[1]);
        const kid = /KID: (\d+)/.exec(mail.text)?.[1] ?? '';
        expect(kid, p.name).toMatch(/^\d{12}$/);
        expect(kid.slice(0, 5)).toBe(String(who.number).padStart(5, '0'));
        billed[p.key] = { invoice, kid };
        expect(mail.attachments, p.name).toHaveLength(1);
        const [pdf] = mail.attachments;
        expect(pdf!.contentType).toBe('application/pdf');
        expect(pdf!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      }
      const numbers = PEOPLE.map((p) => billed[p.key].invoice).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i)); // gapless
    });

    it('4–5: checks and imports a bank file, refuses it twice, matches the stranger by hand', async () => {
      clock.set('2027-01-14T08:00:00Z');
      const didrikTypo = makeKid(`99999${billed.didrik.kid.slice(5, 11)}`);
      const payments = (Object.keys(PAID_IN_FILE) as (keyof typeof PAID_IN_FILE)[]).map(
        (key, i): PaymentSpec => ({
          kind: 'credit',
          amountOre: PAID_IN_FILE[key],
          kid: key === 'didrik' ? didrikTypo : billed[key].kid,
          date: '2027-01-13',
          paidDate: '2027-01-13',
          payerName: people[key].name,
          payerAccount: '12345678903',
          message: null,
          reference: String(700000001 + i),
        }),
      );
      const bankFile = camtStatement(payments, 'MSG-20270113-0001');
      const upload = {
        name: 'kontoutskrift-2027-01-13.xml',
        mimeType: 'application/xml',
        buffer: bankFile,
      };
      const page = await asTreasurer();

      await page.goto('/billing');
      await page
        .getByRole('main')
        .getByRole('link', { name: nb('billing.overview.link.import'), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('payments.imports_title') }).waitFor();
      expect(await pathOf(page)).toBe('/billing/imports');

      // The check: what would match, nothing written.
      await page.getByLabel(nb('payments.import_file'), { exact: true }).setInputFiles(upload);
      await button(page, nb('payments.import_check')).click();
      await page
        .getByRole('heading', { level: 1, name: nb('payments.import_dry_title') })
        .waitFor();
      const main = page.getByRole('main');
      expect(await fact(main, nb('payments.summary_count'))).toBe('6');
      expect(await fact(main, nb('payments.result_matched'))).toBe('5');
      expect(await fact(main, nb('payments.result_unmatched'))).toBe('1');
      expect(await fact(main, nb('payments.result_settled'))).toBe('4');
      const rowOf = (name: string) => main.getByRole('row').filter({ hasText: name });
      for (const key of ['ada', 'trude', 'anne', 'bjorn', 'cecilie'] as const) {
        const row = (await rowOf(people[key].name).textContent()) ?? '';
        expect(row, key).toContain(nb('payments.outcome.matched'));
        expect(row, key).toContain(String(billed[key].invoice));
      }
      const stranger = (await rowOf(people.didrik.name).textContent()) ?? '';
      expect(stranger).toContain(nb('payments.outcome.unmatched'));
      expect(stranger).toContain(nb('payments.reason.kid_unknown'));
      expect(await paymentTableCounts(h.db())).toMatchObject({
        payments: 0,
        imports: 0,
        paidOre: 0,
      });

      // The import itself: the same file, chosen again on the report's form.
      await page.getByLabel(nb('payments.import_file'), { exact: true }).setInputFiles(upload);
      await button(page, nb('payments.import_commit')).click();
      await page
        .getByRole('heading', { level: 1, name: nb('payments.import_done_title') })
        .waitFor();
      expect(await fact(main, nb('payments.result_matched'))).toBe('5');
      expect(await fact(main, nb('payments.result_unmatched'))).toBe('1');
      expect(await fact(main, nb('payments.result_settled'))).toBe('4');
      expect(await fact(main, nb('payments.result_periods'))).toBe('4');
      const afterImport = await paymentTableCounts(h.db());
      expect(afterImport).toMatchObject({ payments: 6, imports: 1 });

      // The same file again: a clear message, nothing changes.
      await page.goto('/billing/imports');
      await page.getByLabel(nb('payments.import_file'), { exact: true }).setInputFiles(upload);
      await button(page, nb('payments.import_check')).click();
      const [before = '', after = ''] = nb('payments.import_already', { at: '{at}' }).split('{at}');
      const already = page.getByRole('status').filter({ hasText: before.trim() });
      await already.waitFor();
      expect(await already.textContent()).toContain(after.trim());
      expect(await button(page, nb('payments.import_commit')).count()).toBe(0);
      expect(await paymentTableCounts(h.db())).toEqual(afterImport);

      // The queue: Didrik's payment, with why it waits; the treasurer knows whose it is.
      await page.goto('/billing/payments');
      expect(await page.getByRole('main').textContent()).toContain(
        nb('payments.list_count', { count: 6 }),
      );
      await page
        .getByRole('link', { name: nb('payments.nav_queue', { count: 1 }), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('payments.queue_title') }).waitFor();
      const cards = page.getByRole('article');
      expect(await cards.count()).toBe(1);
      const card = cards.filter({ hasText: people.didrik.name });
      expect(await card.getByRole('heading', { level: 2 }).textContent()).toContain(kr(650_00));
      expect(await card.textContent()).toContain(nb('payments.reason.kid_unknown'));
      await fill(card, nb('payments.match_invoice'), String(billed.didrik.invoice));
      await button(card, nb('payments.match_submit')).click();
      await flash(page, nb('payments.flash_matched')).waitFor();
      expect(await page.getByRole('main').textContent()).toContain(nb('payments.queue_empty'));
      const matched = await paymentTableCounts(h.db());
      // 600,00 to the invoice, 50,00 kept as credit on Didrik's account.
      expect(matched.paidOre - afterImport.paidOre).toBe(ORDINARY_ORE);
    });

    it('6: previews the reminders (exactly the unpaid), sends them, the members get them', async () => {
      clock.set('2027-02-01T08:00:00Z'); // due 18 January + 14 days
      const page = await asTreasurer();
      await page.goto('/billing/reminders');
      await page.getByRole('heading', { level: 1, name: nb('billing.reminders.title') }).waitFor();
      const planned = await attributes(page.locator('tr[data-reminder]'), 'data-reminder');
      expect(planned.sort()).toEqual(
        [`email:${billed.cecilie.invoice}:1:0`, `email:${billed.eirik.invoice}:1:0`].sort(),
      );
      const rowOf = (p: Person) => page.locator('tr[data-reminder]').filter({ hasText: p.name });
      expect(await rowOf(people.cecilie).textContent()).toContain(kr(CECILIE_LATE_ORE));
      expect(await rowOf(people.eirik).textContent()).toContain(kr(ORDINARY_ORE));
      // Nobody lapses yet: the grace period runs one more day.
      expect(await page.getByRole('main').textContent()).toContain(nb('billing.lapse.none'));

      await button(page, nb('billing.reminders.send_now')).click();
      await flash(page, nb('billing.reminders.sent')).waitFor();
      expect(await page.getByRole('main').textContent()).toContain(
        nb('billing.reminders.none_due'),
      );

      const cecilie = await smtp.waitFor(
        (m) => m.to.includes(people.cecilie.email) && m.subject.startsWith('Påminnelse: faktura'),
      );
      expect(cecilie.subject).toBe(
        `Påminnelse: faktura ${billed.cecilie.invoice} – ${ASSOCIATION}`,
      );
      expect(cecilie.text).toContain(`Å betale: ${kr(CECILIE_LATE_ORE)}`);
      expect(cecilie.text).toContain(`KID: ${billed.cecilie.kid}`);
      const eirik = await smtp.waitFor(
        (m) => m.to.includes(people.eirik.email) && m.subject.startsWith('Påminnelse: faktura'),
      );
      expect(eirik.text).toContain(`Å betale: ${kr(ORDINARY_ORE)}`);
      for (const key of ['ada', 'trude', 'anne', 'bjorn', 'didrik'] as const)
        expect(mailsTo(people[key], 'Påminnelse'), key).toHaveLength(0);
    });

    it('7–8: the lapse job lapses the unpaid; a late payment makes Cecilie active again', async () => {
      clock.set('2027-02-02T08:00:00Z'); // due + 14 grace days have passed
      const page = await asTreasurer();
      await page.goto('/billing/reminders');
      const lapsing = await attributes(page.locator('tr[data-lapse-member]'), 'data-lapse-member');
      expect(lapsing.sort()).toEqual(
        [people.cecilie.number, people.eirik.number].map(String).sort(),
      );

      // The scheduled job, as the daily timer would run it.
      const { failed } = await app.jobs.tick();
      expect(failed).toBe(0);

      const statusOf = async (p: Person) => {
        await page.goto(`/members/${p.id}`);
        await page.getByRole('heading', { level: 1, name: p.name }).waitFor();
        return fact(page.getByRole('main'), nb('members.field.status'));
      };
      expect(await statusOf(people.cecilie)).toContain(nb('members.status.lapsed'));
      expect(await statusOf(people.eirik)).toContain(nb('members.status.lapsed'));
      expect(await statusOf(people.didrik)).toContain(nb('members.status.active'));
      for (const p of [people.cecilie, people.eirik])
        await smtp.waitFor(
          (m) => m.to.includes(p.email) && m.subject.startsWith('Medlemskapet ditt har løpt ut'),
        );
      // The reminders job ran with it, and reminds nobody twice.
      expect(mailsTo(people.cecilie, 'Påminnelse')).toHaveLength(1);
      expect(mailsTo(people.eirik, 'Påminnelse')).toHaveLength(1);

      // Three days later Cecilie pays the rest, with the KID from the reminder.
      clock.advance(3 * DAY_MS);
      await page.goto('/billing/payments');
      await page
        .getByRole('main')
        .getByRole('link', { name: nb('payments.nav_register'), exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('payments.new_title') }).waitFor();
      expect(
        await page.getByLabel(nb('payments.field_booking_date'), { exact: true }).inputValue(),
      ).toBe('2027-02-05');
      await fill(page, nb('payments.field_kid'), billed.cecilie.kid);
      await fill(page, nb('payments.field_amount'), '350,00');
      await fill(page, nb('payments.field_payer_name'), people.cecilie.name);
      await button(page, nb('payments.new_submit')).click();
      await flash(page, nb('payments.flash_registered')).waitFor();

      expect(await statusOf(people.cecilie)).toContain(nb('members.status.active'));
      const period = page
        .getByRole('row')
        .filter({ hasText: `${YEAR} (${nb('members.periods.current')})` });
      expect(await period.count()).toBe(1);
      expect(await period.textContent()).not.toContain(nb('members.periods.unpaid'));
      expect(await statusOf(people.eirik)).toContain(nb('members.status.lapsed'));
    });

    it('9: the overview’s figures for the year are right to the øre', async () => {
      const invoiced = PEOPLE.reduce((s, p) => s + people[p.key].feeOre, 0);
      const vat = 6 * ORDINARY_VAT_ORE + REDUCED_VAT_ORE;
      const paid =
        PAID_IN_FILE.ada +
        PAID_IN_FILE.trude +
        PAID_IN_FILE.anne +
        PAID_IN_FILE.bjorn +
        PAID_IN_FILE.cecilie +
        ORDINARY_ORE + // Didrik's 650,00: 600,00 to the invoice …
        CECILIE_LATE_ORE;
      const credit = PAID_IN_FILE.didrik - ORDINARY_ORE; // … and 50,00 on his account
      const outstanding = ORDINARY_ORE; // Eirik
      // The arithmetic itself, in plain numbers.
      expect([invoiced, vat, paid, credit, outstanding]).toEqual([
        370_000, 55_000, 310_000, 5_000, 60_000,
      ]);
      expect(paid + outstanding).toBe(invoiced);

      const page = await asTreasurer();
      await page.goto('/billing');
      await page.getByRole('heading', { level: 1, name: nb('billing.overview.title') }).waitFor();
      const figure = async (name: string) => {
        const dd = page.locator(`dd[data-figure="${name}"]`);
        return {
          ore: Number(await dd.getAttribute('data-ore')),
          text: ((await dd.textContent()) ?? '').trim(),
        };
      };
      const expected: [string, number][] = [
        ['invoiced', invoiced],
        ['credit_notes', 0],
        ['paid', paid],
        ['outstanding', outstanding],
        ['overdue', outstanding],
        ['vat', vat],
        ['credit_balance', credit],
      ];
      for (const [name, ore] of expected) {
        const f = await figure(name);
        expect(f.ore, name).toBe(ore);
        expect(f.text.startsWith(kr(ore)), `${name}: ${f.text}`).toBe(true);
      }
      const count = async (name: string) =>
        page.locator(`dd[data-figure="${name}"]`).getAttribute('data-count');
      expect(await count('members_paid')).toBe('6');
      expect(await count('members_unpaid')).toBe('1');

      // VAT per rate: the service fees at 25 %, the membership fees outside VAT.
      const rate = (bp: number) => page.locator(`tr[data-rate="${bp}"]`);
      expect(await rate(2500).getAttribute('data-vat-ore')).toBe(String(vat));
      const at25 = (await rate(2500).textContent()) ?? '';
      const gross25 = 6 * 450_00 + 50_00;
      expect(at25).toContain(kr(gross25 - vat));
      expect(at25).toContain(kr(gross25));
      const outside = (await rate(0).textContent()) ?? '';
      expect(outside).toContain(kr(6 * 150_00 + 50_00));
      expect(await rate(0).getAttribute('data-vat-ore')).toBe('0');

      // The chart's table: January's bank file and February's late payment.
      const chart = page.locator('figure');
      expect(await chart.locator('tfoot').textContent()).toContain(kr(paid));
    });
  });
});
