import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp } from '../../../test/helpers/app.js';
import { apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { loggedIn } from '../members/members.test-support.js';
import { planLapses, runLapses } from './lapse.usecases.js';
import { creditNote, deliverMail, issue, pay, setUpBilling } from './overview.test-support.js';

describeEachDialect('lapse after due date and grace', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = fixedClock('2026-01-10T09:00:00Z');
  const m: Record<string, { id: string; memberNumber: number }> = {};

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({ database: h.database(), clock, smtpUrl: smtp.url });
    // Reminders are pushed out of the way: this suite is about lapses.
    await setUpBilling(app, { settings: { graceDays: 14, dueDays: 14, reminderAfterDays: 200 } });
    const db = h.db();
    m['unpaid'] = await createMember(db, { name: 'Ulla Unpaid' });
    m['paid'] = await createMember(db);
    m['credited'] = await createMember(db);
    m['lastYear'] = await createMember(db);
    m['suspended'] = await createMember(db, { status: 'suspended' });
    m['other'] = await createMember(db);
    m['late'] = await createMember(db, { name: 'Lars Late' });
    const dues = (k: string, issueDate = '2026-01-10') =>
      issue(db, { memberId: m[k]!.id, issueDate });
    await dues('unpaid');
    const paid = await dues('paid');
    await pay(db, {
      memberId: m['paid'].id,
      invoiceId: paid.id,
      amountOre: 60000,
      bookingDate: '2026-01-20',
    });
    const credited = await dues('credited');
    await creditNote(db, credited.id, '2026-01-12');
    await issue(db, { memberId: m['lastYear'].id, issueDate: '2025-06-01', year: 2025 });
    await dues('suspended');
    await issue(db, {
      memberId: m['other'].id,
      issueDate: '2026-01-10',
      purpose: 'other',
      year: null,
    });
    await dues('late', '2026-01-20'); // due 3 February: lapses on 18 February
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const status = async (k: string) =>
    (
      await h
        .db()
        .selectFrom('members')
        .select('status')
        .where('id', '=', m[k]!.id)
        .executeTakeFirstOrThrow()
    ).status;
  const lapsedNumbers = async () =>
    (await planLapses(h.db(), clock.now())).items.map((i) => i.debtor.memberNumber);

  it('lapses nobody on the last day of grace, in the association’s time zone', async () => {
    clock.set('2026-02-07T22:59:00Z'); // 23:59 on 7 Feb in Oslo: due 24 Jan + 14 days of grace
    expect(await lapsedNumbers()).toEqual([]);
    const { lapsed } = await runLapses(app.ctx, { actor: systemActor });
    expect(lapsed).toEqual([]);
    expect(await status('unpaid')).toBe('active');
  });

  it('lapses an active member with an unpaid dues invoice for the current year the day after', async () => {
    clock.set('2026-02-07T23:00:00Z'); // midnight, 8 Feb in Oslo
    expect(await lapsedNumbers()).toEqual([m['unpaid']!.memberNumber]);
    clock.set('2026-02-08T10:00:00Z');
    // Through the daily job, as the worker runs it.
    await app.jobs.tick();
    expect(await status('unpaid')).toBe('lapsed');
    for (const k of ['paid', 'credited', 'lastYear', 'other', 'late'])
      expect(await status(k), k).toBe('active');
    expect(await status('suspended')).toBe('suspended');

    const change = await h
      .db()
      .selectFrom('member_status_changes')
      .selectAll()
      .where('member_id', '=', m['unpaid']!.id)
      .where('to_status', '=', 'lapsed')
      .execute();
    expect(change).toHaveLength(1);
    expect(change[0]!.reason).toMatch(/^ubetalt kontingentfaktura \d+$/);
    expect(change[0]!.actor_label).toBe('system');
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'billing.member_lapsed')
      .where('entity_id', '=', m['unpaid']!.id)
      .execute();
    expect(audit).toHaveLength(1);

    await deliverMail(app);
    const mail = await smtp.waitFor((x) => x.subject.startsWith('Medlemskapet ditt har løpt ut'));
    expect(mail.text).toContain('8601.11.17947');
    expect(mail.text).toContain('/membership/invoices');
  });

  it('is idempotent: running again changes nothing and sends nothing', async () => {
    const mailsBefore = smtp.messages.length;
    const { lapsed } = await runLapses(app.ctx, { actor: systemActor });
    expect(lapsed).toEqual([]);
    await deliverMail(app);
    expect(smtp.messages.length).toBe(mailsBefore);
    const changes = await h
      .db()
      .selectFrom('member_status_changes')
      .select('id')
      .where('member_id', '=', m['unpaid']!.id)
      .where('to_status', '=', 'lapsed')
      .execute();
    expect(changes).toHaveLength(1);
    const t = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const token = await issueToken(h.db(), t.user.id, ['billing:write']);
    const api = await apiSend(app.url, 'POST', '/lapse/run', token, {});
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ lapsed: [], failed: [] });
  });

  it('follows each invoice’s own due date, and the treasurer can run it from the page', async () => {
    clock.set('2026-02-17T10:00:00Z');
    expect(await lapsedNumbers()).toEqual([]);
    clock.set('2026-02-18T10:00:00Z');
    expect(await lapsedNumbers()).toEqual([m['late']!.memberNumber]);
    const t = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const treasurer = await loggedIn(app, t.user.email);
    const page = await treasurer.get('/billing/reminders');
    expect(page.html).toContain(`data-lapse-member="${m['late']!.memberNumber}"`);
    const { res } = await treasurer.post('/billing/lapse/run', {});
    expect(res.status).toBe(303);
    expect(await status('late')).toBe('lapsed');
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('actor_label')
      .where('action', '=', 'billing.member_lapsed')
      .where('entity_id', '=', m['late']!.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_label).toBe(t.user.handle);
  });
});
