import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { loggedIn } from '../members/members.test-support.js';
import { isValidKid } from './bank-files/kid.js';
import { findInvoiceById, type Invoice } from './invoices.repository.js';
import {
  configure,
  creditNote,
  deliverMail,
  issue,
  pay,
  setUpBilling,
} from './overview.test-support.js';
import { planReminders, reminderFee, sendDueReminders } from './reminders.usecases.js';

it('charges a reminder fee only 14 days or more after the due date, and at most twice', () => {
  expect(reminderFee({ feeOre: 3500, daysPastDue: 13, feesCharged: 0 })).toBe(0);
  expect(reminderFee({ feeOre: 3500, daysPastDue: 14, feesCharged: 0 })).toBe(3500);
  expect(reminderFee({ feeOre: 3500, daysPastDue: 40, feesCharged: 1 })).toBe(3500);
  expect(reminderFee({ feeOre: 3500, daysPastDue: 60, feesCharged: 2 })).toBe(0);
  expect(reminderFee({ feeOre: 0, daysPastDue: 60, feesCharged: 0 })).toBe(0);
});

describeEachDialect('reminders', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = fixedClock('2026-01-10T09:00:00Z');
  let treasurerEmail = '';
  let treasurerId = '';
  let auditorEmail = '';
  let plainEmail = '';

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({ database: h.database(), clock, smtpUrl: smtp.url });
    await setUpBilling(app, { settings: { reminderAfterDays: 14, reminderFeeOre: 0 } });
    const t = await createMemberUser(h.db(), { offices: ['treasurer'] });
    treasurerEmail = t.user.email;
    treasurerId = t.user.id;
    auditorEmail = (await createMemberUser(h.db(), { offices: ['auditor'] })).user.email;
    plainEmail = (await createMemberUser(h.db())).user.email;
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  /** The plan for some invoices: [number, sequence, fee]. */
  async function planFor(...invoices: Invoice[]) {
    const plan = await planReminders(h.db(), clock.now());
    const numbers = new Set(invoices.map((i) => i.number));
    return plan.toSend
      .filter((r) => numbers.has(r.invoice.number))
      .map((r) => [r.invoice.number, r.sequence, r.feeOre]);
  }
  const remindersOf = (invoiceId: string) =>
    h
      .db()
      .selectFrom('reminders')
      .selectAll()
      .where('invoice_id', '=', invoiceId)
      .orderBy('sequence')
      .execute();

  it('sends the first reminder reminderAfterDays after the due date and the second as long after the first', async () => {
    const m = await createMember(h.db(), { name: 'Rita Reminded' });
    const x = await issue(h.db(), { memberId: m.id, issueDate: '2026-01-10' });
    expect(x.dueDate).toBe('2026-01-24');
    clock.set('2026-02-06T22:59:00Z'); // 23:59 on 6 February in Oslo: 13 days past due
    expect(await planFor(x)).toEqual([]);
    clock.set('2026-02-06T23:00:00Z'); // midnight in Oslo: 14 days
    expect(await planFor(x)).toEqual([[x.number, 1, 0]]);

    clock.set('2026-02-07T08:00:00Z');
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/reminders');
    const { res } = await treasurer.post('/billing/reminders/send', {});
    expect(res.status).toBe(303);
    await deliverMail(app);
    const email = (
      await h
        .db()
        .selectFrom('members')
        .select('email')
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow()
    ).email!;
    const mail = await smtp.waitFor(
      (x2) => x2.to.includes(email) && x2.subject.startsWith('Påminnelse'),
    );
    expect(mail.subject).toContain(`faktura ${x.number}`);
    expect(mail.text).toContain(x.kid!);
    expect(mail.text).toContain('8601.11.17947');
    expect(mail.text).toContain('600,00');
    expect(mail.text).toContain('/membership/invoices');

    // Running it again the same day sends nothing more.
    const again = await sendDueReminders(app.ctx, { actor: systemActor });
    expect(again.sent.filter((s) => s.invoiceNumber === x.number)).toEqual([]);
    expect(await remindersOf(x.id)).toHaveLength(1);

    clock.set('2026-02-20T10:00:00Z');
    expect(await planFor(x)).toEqual([]);
    clock.set('2026-02-21T10:00:00Z');
    expect(await planFor(x)).toEqual([[x.number, 2, 0]]);
    // The daily job sends it.
    await app.jobs.tick();
    await app.jobs.tick();
    await deliverMail(app);
    await smtp.waitFor((x2) => x2.to.includes(email) && x2.subject.startsWith('2. påminnelse'));
    expect((await remindersOf(x.id)).map((r) => r.sequence)).toEqual([1, 2]);

    // Never a third.
    clock.set('2026-04-30T10:00:00Z');
    expect(await planFor(x)).toEqual([]);
    await app.jobs.tick();
    expect(await remindersOf(x.id)).toHaveLength(2);
  });

  it('charges a configured fee only when the reminder is at least 14 days after the due date', async () => {
    await configure(h.db(), { reminderAfterDays: 7, reminderFeeOre: 3500 });
    const m = await createMember(h.db());
    const y = await issue(h.db(), { memberId: m.id, issueDate: '2026-05-01' });
    clock.set('2026-05-22T10:00:00Z'); // 7 days past due
    expect(await planFor(y)).toEqual([[y.number, 1, 0]]);
    await sendDueReminders(app.ctx, { actor: systemActor });
    clock.set('2026-05-29T10:00:00Z'); // 14 days past due, 7 after the first
    expect(await planFor(y)).toEqual([[y.number, 2, 3500]]);
    const { sent } = await sendDueReminders(app.ctx, { actor: systemActor });
    const second = sent.find((s) => s.invoiceNumber === y.number)!;
    expect(second.feeInvoiceNumber).not.toBeNull();
    const rows = await remindersOf(y.id);
    expect(rows.map((r) => [r.sequence, r.fee_ore, r.fee_invoice_id === null])).toEqual([
      [1, 0, true],
      [2, 3500, false],
    ]);
    const fee = (await findInvoiceById(h.db(), rows[1]!.fee_invoice_id!))!;
    expect([fee.purpose, fee.totalOre, fee.vatOre, fee.memberId, fee.year]).toEqual([
      'reminder_fee',
      3500,
      0,
      m.id,
      2026,
    ]);
    expect(isValidKid(fee.kid!)).toBe(true);
    expect(fee.kid).not.toBe(y.kid);
    await deliverMail(app);
    const mail = await smtp.waitFor(
      (x) => x.subject.startsWith('2. påminnelse') && x.subject.includes(`faktura ${y.number} `),
    );
    expect(mail.text).toContain('purregebyr');
    expect(mail.text).toContain(fee.kid!);
    // The fee invoice is part of the claim: it is never reminded on its own.
    clock.set('2026-08-30T10:00:00Z');
    expect(await planFor(fee)).toEqual([]);
  });

  it('charges at most two reminder fees for a claim', async () => {
    await configure(h.db(), { reminderAfterDays: 14, reminderFeeOre: 3500 });
    const m = await createMember(h.db());
    const z = await issue(h.db(), { memberId: m.id, issueDate: '2026-09-01' }); // due 15 Sep
    clock.set('2026-09-29T10:00:00Z');
    expect(await planFor(z)).toEqual([[z.number, 1, 3500]]);
    await sendDueReminders(app.ctx, { actor: systemActor });
    clock.set('2026-10-13T10:00:00Z');
    expect(await planFor(z)).toEqual([[z.number, 2, 3500]]);
    await sendDueReminders(app.ctx, { actor: systemActor });
    clock.set('2026-12-20T10:00:00Z');
    expect(await planFor(z)).toEqual([]);
    const fees = await h
      .db()
      .selectFrom('invoices')
      .select('total_ore')
      .where('member_id', '=', m.id)
      .where('purpose', '=', 'reminder_fee')
      .execute();
    expect(fees.map((f) => f.total_ore)).toEqual([3500, 3500]);
  });

  it('sends a reminder and charges its fee once even when two runs race', async () => {
    await configure(h.db(), { reminderAfterDays: 14, reminderFeeOre: 3500 });
    clock.set('2026-12-21T10:00:00Z');
    const m = await createMember(h.db());
    const w = await issue(h.db(), { memberId: m.id, issueDate: '2026-12-21' }); // due 4 Jan
    clock.set('2027-01-18T10:00:00Z');
    expect(await planFor(w)).toEqual([[w.number, 1, 3500]]);
    const runs = await Promise.all([
      sendDueReminders(app.ctx, { actor: systemActor }),
      sendDueReminders(app.ctx, { actor: systemActor }),
    ]);
    expect(runs.flatMap((r) => r.sent).filter((s) => s.invoiceNumber === w.number)).toHaveLength(1);
    expect(runs.flatMap((r) => r.failed)).toEqual([]);
    expect(await remindersOf(w.id)).toHaveLength(1);
    const fees = await h
      .db()
      .selectFrom('invoices')
      .select('id')
      .where('member_id', '=', m.id)
      .where('purpose', '=', 'reminder_fee')
      .execute();
    expect(fees).toHaveLength(1);
  });

  it('sends exactly what the preview listed, and not to the paid, the credited or those without email', async () => {
    await configure(h.db(), { reminderAfterDays: 14, reminderFeeOre: 0 });
    clock.set('2027-01-05T10:00:00Z');
    const owing = await Promise.all([1, 2, 3].map(() => createMember(h.db())));
    const open = await Promise.all(
      owing.map((m) => issue(h.db(), { memberId: m.id, issueDate: '2027-01-05' })),
    );
    const paid = await issue(h.db(), {
      memberId: (await createMember(h.db())).id,
      issueDate: '2027-01-05',
    });
    await pay(h.db(), {
      memberId: paid.memberId,
      invoiceId: paid.id,
      amountOre: 60000,
      bookingDate: '2027-01-10',
    });
    const credited = await issue(h.db(), {
      memberId: (await createMember(h.db())).id,
      issueDate: '2027-01-05',
    });
    await creditNote(h.db(), credited.id, '2027-01-06');
    const noMail = await issue(h.db(), {
      memberId: (await createMember(h.db(), { email: null })).id,
      issueDate: '2027-01-05',
    });
    const part = await issue(h.db(), {
      memberId: (await createMember(h.db())).id,
      issueDate: '2027-01-05',
    });
    await pay(h.db(), {
      memberId: part.memberId,
      invoiceId: part.id,
      amountOre: 10000,
      bookingDate: '2027-01-10',
    });

    clock.set('2027-02-02T10:00:00Z'); // due 19 Jan + 14
    const treasurer = await loggedIn(app, treasurerEmail);
    const { html } = await treasurer.get('/billing/reminders');
    const shown = [...html.matchAll(/data-reminder="email:(\d+):(\d+):(\d+)"/g)]
      .map((m) => `${m[1]}:${m[2]}:${m[3]}`)
      .sort();
    const byPost = [...html.matchAll(/data-reminder="post:(\d+):/g)].map((m) => Number(m[1]));
    for (const inv of [...open, part]) expect(shown).toContain(`${inv.number}:1:0`);
    for (const inv of [paid, credited, noMail])
      expect(shown.some((s) => s.startsWith(`${inv.number}:`))).toBe(false);
    expect(byPost).toContain(noMail.number);

    const token = await issueToken(h.db(), treasurerId, ['billing:write']);
    const preview = await apiGet(app.url, '/reminders/due', token);
    const previewed = (
      preview.body as { toSend: { invoiceNumber: number; sequence: number; feeOre: number }[] }
    ).toSend
      .map((r) => `${r.invoiceNumber}:${r.sequence}:${r.feeOre}`)
      .sort();
    expect(previewed).toEqual(shown);

    const sent = await apiSend(app.url, 'POST', '/reminders/send', token, {});
    expect(sent.status).toBe(200);
    const done = (
      sent.body as { sent: { invoiceNumber: number; sequence: number; feeOre: number }[] }
    ).sent
      .map((r) => `${r.invoiceNumber}:${r.sequence}:${r.feeOre}`)
      .sort();
    expect(done).toEqual(shown);
    expect(await remindersOf(noMail.id)).toEqual([]);
    expect(await remindersOf(paid.id)).toEqual([]);
    // Nothing left to send today.
    expect((await planReminders(h.db(), clock.now())).toSend).toEqual([]);
    const page = await treasurer.get('/billing/reminders');
    expect(page.html).not.toContain('data-reminder="email:');
    expect(page.html).toContain(`href="/billing/invoices/${open[0]!.number}"`);
  });

  it('lets the auditor see the preview but not send; a plain member sees nothing', async () => {
    const auditor = await loggedIn(app, auditorEmail);
    const page = await auditor.get('/billing/reminders');
    expect(page.res.status).toBe(200);
    expect(page.html).not.toContain('action="/billing/reminders/send"');
    expect((await auditor.post('/billing/reminders/send', {})).res.status).toBe(403);
    expect((await auditor.post('/billing/lapse/run', {})).res.status).toBe(403);
    const plain = await loggedIn(app, plainEmail);
    expect((await plain.get('/billing/reminders')).res.status).toBe(403);
    await plain.get('/membership');
    expect((await plain.post('/billing/reminders/send', {})).res.status).toBe(403);
    const readOnly = await issueToken(h.db(), treasurerId, ['billing:read']);
    expect((await apiSend(app.url, 'POST', '/reminders/send', readOnly, {})).status).toBe(403);
    expect((await apiSend(app.url, 'POST', '/lapse/run', readOnly, {})).status).toBe(403);
  });
});
