import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { getBillingSettings } from './billing-settings.repository.js';

describeEachDialect('billing settings', (h) => {
  let app: Running;
  let treasurerEmail = '';
  const db = () => h.db();
  const good = {
    bank_account: '8601 11 17947',
    due_days: '14',
    kid_member_digits: '5',
    kid_invoice_digits: '6',
    grace_days: '14',
    reminder_after_days: '14',
    reminder_fee: '0',
    pro_rata: 'on',
    invoice_note: 'Spørsmål? Skriv til kasserer@example.org.',
  };
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    treasurerEmail = (await createMemberUser(db(), { offices: ['treasurer'] })).user.email;
  });
  afterAll(async () => app.close());

  it('is for the treasurer only: plain members, the board and the auditor get 403', async () => {
    for (const offices of [[], ['auditor'], ['board_member']] as const) {
      const { user } = await createMemberUser(db(), { offices: [...offices] });
      const client = await loggedIn(app, user.email);
      expect((await client.get('/billing/settings')).res.status, offices.join()).toBe(403);
      await client.get('/membership');
      expect((await client.post('/billing/settings', good)).res.status).toBe(403);
    }
    expect((await getBillingSettings(db())).bankAccount).toBeNull();
  });

  it('shows the defaults: 14 days, KID 5 + 6 digits, no reminder fee, pro rata on', async () => {
    const treasurer = await loggedIn(app, treasurerEmail);
    const { res, html } = await treasurer.get('/billing/settings');
    expect(res.status).toBe(200);
    expect(html).toContain('name="due_days" type="text" value="14"');
    expect(html).toContain('name="kid_member_digits" type="text" value="5"');
    expect(html).toContain('nå 12 siffer');
    expect(html).toMatch(/name="pro_rata" checked/);
  });

  it('refuses a bank account with a wrong check digit, keeping the input', async () => {
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/settings');
    const bad = await treasurer.post('/billing/settings', {
      ...good,
      bank_account: '8601.11.17948',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Kontonummeret er ugyldig');
    expect(bad.html).toContain('value="8601.11.17948"');
    expect(bad.html).toContain('aria-invalid="true"');
    expect((await getBillingSettings(db())).bankAccount).toBeNull();
  });

  it('refuses a reminder fee before 14 days, a KID over 25 digits, and bad numbers', async () => {
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/settings');
    const early = await treasurer.post('/billing/settings', {
      ...good,
      reminder_fee: '35',
      reminder_after_days: '10',
    });
    expect(early.res.status).toBe(400);
    expect(early.html).toContain('minst 14 dager etter forfall');
    const long = await treasurer.post('/billing/settings', {
      ...good,
      kid_member_digits: '12',
      kid_invoice_digits: '13',
    });
    expect(long.res.status).toBe(400);
    const fee = await treasurer.post('/billing/settings', { ...good, reminder_fee: '35,555' });
    expect(fee.res.status).toBe(400);
    expect(fee.html).toContain('Skriv beløpet i kroner');
    const days = await treasurer.post('/billing/settings', { ...good, due_days: 'fjorten' });
    expect(days.res.status).toBe(400);
    expect((await getBillingSettings(db())).bankAccount).toBeNull();
  });

  it('refuses KID widths too narrow for the member numbers already given', async () => {
    await db()
      .updateTable('members')
      .set({ member_number: 123456 })
      .where('member_number', '=', 1)
      .execute();
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/settings');
    const narrow = await treasurer.post('/billing/settings', good);
    expect(narrow.res.status).toBe(400);
    expect(narrow.html).toContain('Medlemsnumrene har allerede 6 siffer');
    await db()
      .updateTable('members')
      .set({ member_number: 1 })
      .where('member_number', '=', 123456)
      .execute();
  });

  it('saves good settings (spaces and dots allowed), audited', async () => {
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/settings');
    const ok = await treasurer.post('/billing/settings', {
      ...good,
      reminder_fee: '35',
      reminder_after_days: '14',
      pro_rata: '',
    });
    expect(ok.res.status).toBe(303);
    const saved = await getBillingSettings(db());
    expect(saved).toEqual({
      bankAccount: '86011117947',
      dueDays: 14,
      kidMemberDigits: 5,
      kidInvoiceDigits: 6,
      graceDays: 14,
      reminderAfterDays: 14,
      reminderFeeOre: 3500,
      proRata: false,
      invoiceNote: 'Spørsmål? Skriv til kasserer@example.org.',
    });
    const page = await treasurer.get('/billing/settings');
    expect(page.html).toContain('value="8601.11.17947"');
    expect(page.html).toContain('value="35"');
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'billing.settings_updated')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after!)).toMatchObject({
      bankAccount: '86011117947',
      reminderFeeOre: 3500,
    });
    expect(JSON.parse(audit.before!)).toMatchObject({ bankAccount: null });
  });
});
