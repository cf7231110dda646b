import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../src/app/bootstrap.js';
import { fixedClock } from '../../src/app/clock.js';
import { translator } from '../../src/app/i18n.js';
import { formatNok } from '../../src/modules/billing/invoice-format.js';
import { ELF, PDF } from '../../src/modules/finance/expenses.test-support.js';
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
import { startSmtpServer } from '../helpers/smtp.js';

// An expense claim as the people live it, in the browser: Mona, who pays the hosting
// bill, submits the receipt (an executable renamed .pdf is refused first); Trude the
// treasurer attests it and then cannot approve it (the two-person rule); Bente from the
// board approves it; Trude records the payment; Mona sees it paid and has had a mail at
// every step.

const nb = translator('nb');
const START = '2027-01-10T09:00:00Z';
const ACCOUNT = '86011117947';

async function fill(scope: Page | Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value);
}
function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}
function flash(page: Page, text: string): Locator {
  return page.getByRole('status').filter({ hasText: text });
}
async function logIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await fill(page, nb('accounts.field.email'), email);
  await fill(page, nb('accounts.field.password'), PASSWORD);
  await button(page, nb('accounts.login.submit')).click();
  await button(page, nb('nav.logout')).waitFor();
}
async function status(page: Page): Promise<string | null> {
  return page.locator('[data-status]').first().getAttribute('data-status');
}

describeBrowser('browser: an expense claim under the two-person rule', () => {
  describeEachDialect('from receipt to refund', (h) => {
    const browser = useBrowser();
    const clock = fixedClock(START);
    let app: Running;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    type Person = Awaited<ReturnType<typeof createMemberUser>>;
    let mona: Person;
    let trude: Person;
    let bente: Person;
    let number = 0;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({
        database: h.database(),
        clock,
        smtpUrl: smtp.url,
        config: { worker: true },
      });
      await app.jobs.stop();
      await setUpAssociation(app);
      mona = await createMemberUser(h.db(), { name: 'Mona Medlem' });
      trude = await createMemberUser(h.db(), { name: 'Trude Kasserer', offices: ['treasurer'] });
      bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.close();
    });

    async function as(person: Person, viewport?: { width: number; height: number }) {
      const { page } = await openPage(browser(), {
        baseUrl: app.url,
        ...(viewport ? { viewport } : {}),
      });
      await logIn(page, person.user.email);
      return page;
    }

    it('Mona submits the hosting receipt from a file input; an executable is refused first', async () => {
      const page = await as(mona);
      await page
        .getByRole('navigation')
        .getByRole('link', { name: nb('nav.expenses') })
        .click();
      await page.getByRole('heading', { level: 1, name: nb('expenses.title') }).waitFor();
      await page.getByRole('link', { name: nb('expenses.new_link') }).click();
      await page.getByRole('heading', { level: 1, name: nb('expenses.new_title') }).waitFor();

      await fill(page, nb('expenses.field.spent_on'), '2027-01-05');
      await fill(page, nb('expenses.field.amount'), '249,50');
      await fill(page, nb('expenses.field.vat'), '49,90');
      await fill(page, nb('expenses.field.description'), 'Webhotell januar');
      await page.getByLabel(nb('expenses.field.category'), { exact: true }).selectOption('6420');
      await fill(page, nb('expenses.field.payee_account'), '8601.11.17947');
      const receipt = page.getByLabel(nb('expenses.field.receipt'), { exact: true });
      await receipt.setInputFiles({
        name: 'kvittering.pdf',
        mimeType: 'application/pdf',
        buffer: ELF,
      });
      await button(page, nb('expenses.submit')).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await page.locator('#f-receipt-error').textContent()).toContain(
        nb('expenses.receipt_type'),
      );
      // The typed input is kept; nothing was stored.
      expect(
        await page.getByLabel(nb('expenses.field.description'), { exact: true }).inputValue(),
      ).toBe('Webhotell januar');
      expect(await h.db().selectFrom('expense_claims').select('id').execute()).toHaveLength(0);

      await page
        .getByLabel(nb('expenses.field.receipt'), { exact: true })
        .setInputFiles({ name: 'webhotell-januar.pdf', mimeType: 'application/pdf', buffer: PDF });
      await button(page, nb('expenses.submit')).click();
      await flash(page, nb('expenses.flash.submitted')).waitFor();
      number = Number(/\/expenses\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
      expect(number).toBeGreaterThan(0);
      expect(await status(page)).toBe('submitted');
      expect(await page.getByRole('link', { name: 'webhotell-januar.pdf' }).count()).toBe(1);
      await smtp.waitFor(
        (m) =>
          m.to.includes(mona.user.email) && m.subject.startsWith(`Utlegg ${number} er mottatt`),
      );
    });

    it('Trude attests it, and then cannot approve what she attested', async () => {
      const page = await as(trude);
      await page.goto('/expenses/queue');
      const toAttest = page.locator('[data-section="to_attest"]');
      await toAttest.getByRole('link', { name: String(number), exact: true }).click();
      await page
        .getByRole('heading', { level: 1, name: nb('expenses.claim_title', { number }) })
        .waitFor();
      // The receipt opens for her (a download).
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'webhotell-januar.pdf' }).click();
      expect((await download).suggestedFilename()).toBe(`utlegg-${number}-1.pdf`);

      expect(await button(page, nb('expenses.action.approve')).count()).toBe(0);
      await button(page, nb('expenses.action.attest')).click();
      await flash(page, nb('expenses.flash.attest')).waitFor();
      expect(await status(page)).toBe('attested');
      // The two-person rule, visible: no approve button, and the reason why.
      expect(await button(page, nb('expenses.action.approve')).count()).toBe(0);
      expect(await page.locator('[data-blocked="attester"]').textContent()).toContain(
        nb('expenses.rule.attester'),
      );
      // And a forged request is refused all the same.
      const forged = await page.evaluate(
        `fetch('/expenses/${number}/approve', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=' + encodeURIComponent(document.querySelector('input[name=_csrf]').value) }).then(r => r.status)`,
      );
      expect(forged).toBe(403);
      await page.reload();
      expect(await status(page)).toBe('attested');
    });

    it('Bente from the board approves it; Trude records the payment', async () => {
      const board = await as(bente);
      await board.goto('/expenses/queue');
      await board
        .locator('[data-section="to_approve"]')
        .getByRole('link', { name: String(number), exact: true })
        .click();
      await button(board, nb('expenses.action.approve')).click();
      await flash(board, nb('expenses.flash.approve')).waitFor();
      expect(await status(board)).toBe('approved');
      // Board members approve; they do not pay.
      expect(await button(board, nb('expenses.action.pay')).count()).toBe(0);

      const page = await as(trude);
      await page.goto('/expenses/queue');
      await page
        .locator('[data-section="to_pay"]')
        .getByRole('link', { name: String(number), exact: true })
        .click();
      expect(await page.getByText(formatNok(24950, 'nb')).count()).toBeGreaterThan(0);
      await fill(page, nb('expenses.field.reference'), 'NETTBANK-0110-1');
      await button(page, nb('expenses.action.pay')).click();
      await flash(page, nb('expenses.flash.pay')).waitFor();
      expect(await status(page)).toBe('paid');
      expect(await button(page, nb('expenses.action.pay')).count()).toBe(0);
      const row = await h
        .db()
        .selectFrom('expense_claims')
        .selectAll()
        .where('number', '=', number)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'paid',
        attested_by: trude.user.id,
        approved_by: bente.user.id,
        paid_by: trude.user.id,
        paid_on: '2027-01-10',
        payment_reference: 'NETTBANK-0110-1',
        payee_account: ACCOUNT,
      });
      expect(Number(row.amount_ore)).toBe(24950);
    });

    it('Mona sees it paid on her phone, and had a mail at every step', async () => {
      const page = await as(mona, PHONE);
      await page.goto('/expenses');
      const line = page.locator(`[data-claim="${number}"]`);
      expect(await line.locator('[data-status]').getAttribute('data-status')).toBe('paid');
      expect(await line.textContent()).toContain(nb('expenses.status.paid'));
      expect(await horizontalOverflow(page), 'sideways scroll on /expenses').toBeLessThanOrEqual(0);
      await line.getByRole('link', { name: String(number), exact: true }).click();
      expect(await status(page)).toBe('paid');
      expect(await page.locator('main').textContent()).toContain('NETTBANK-0110-1');
      expect(await horizontalOverflow(page), 'sideways scroll on the claim').toBeLessThanOrEqual(0);
      await page.goto('/expenses/new');
      expect(await horizontalOverflow(page), 'sideways scroll on the form').toBeLessThanOrEqual(0);
      // The refund account is filled in from her last claim.
      expect(
        await page.getByLabel(nb('expenses.field.payee_account'), { exact: true }).inputValue(),
      ).toBe(ACCOUNT);
      const submit = await button(page, nb('expenses.submit')).boundingBox();
      expect((submit?.x ?? 0) + (submit?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.length).toBeGreaterThan(1000);

      for (const word of ['mottatt', 'attestert', 'godkjent', 'utbetalt']) {
        const mail = await smtp.waitFor(
          (m) =>
            m.to.includes(mona.user.email) && m.subject.startsWith(`Utlegg ${number} er ${word}`),
        );
        expect(mail.text).toContain(`${app.url}/expenses/${number}`);
      }
      const paid = smtp.messages.find((m) => m.subject.startsWith(`Utlegg ${number} er utbetalt`))!;
      expect(paid.text).toContain('NETTBANK-0110-1');
      expect(paid.text).toContain('8601.11.17947');
    });
  });
});
