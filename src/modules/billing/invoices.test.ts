import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { systemActor } from '../../app/audit.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { findMemberById } from '../members/members.repository.js';
import { loggedIn } from '../members/members.test-support.js';
import { runDues } from './dues-run.usecases.js';
import { issueInvoice } from './invoice-issue.js';
import {
  invoicesOf,
  payOnInvoice,
  seedDataCoopFees,
  setBankAccount,
} from './invoices.test-support.js';

const YEAR = 2026;

describeEachDialect('invoices', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let treasurer: TestClient;
  const db = () => h.db();
  const users: Record<string, { email: string; memberId: string; memberNumber: number }> = {};
  let orgInvoice = 0;
  const numberOf = async (memberId: string) => (await invoicesOf(db(), memberId))[0]!.number;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({
      database: h.database(),
      smtpUrl: smtp.url,
      clock: fixedClock('2026-03-02T09:00:00Z'),
    });
    await setUpAssociation(app, {
      vat_registered: 'on',
      org_number: '974760673',
      address_line: 'Storgata 1',
      postal_code: '0155',
      city: 'Oslo',
    });
    await setBankAccount(db(), { invoiceNote: 'Spørsmål? Skriv til kasserer@example.org.' });
    await seedDataCoopFees(app, YEAR);
    for (const [key, offices] of [
      ['treasurer', ['treasurer']],
      ['auditor', ['auditor']],
      ['anna', []],
      ['bjorn', []],
    ] as const) {
      const { user, member } = await createMemberUser(db(), {
        offices: [...offices],
        name: key === 'anna' ? 'Anna Ås' : undefined,
      });
      users[key] = { email: user.email, memberId: member.id, memberNumber: member.memberNumber };
    }
    await db().updateTable('members').set({ joined_on: '2020-01-01' }).execute();
    await runDues(app.ctx, { actor: systemActor, year: YEAR });
    // An organisation member, invoiced by hand with an "or more" line.
    const org = await createMember(db(), { typeCode: 'organisation', name: 'Nett AS' });
    await db()
      .updateTable('members')
      .set({ org_number: '923609016', contact_person: 'Ola Kontakt', address_line: 'Kaia 2' })
      .where('id', '=', org.id)
      .execute();
    const member = (await findMemberById(db(), org.id))!;
    orgInvoice = (
      await db()
        .transaction()
        .execute((tx) =>
          issueInvoice(tx, {
            member,
            lines: [{ description: 'Støttebidrag', grossOre: 150000, vatRateBp: 0 }],
            purpose: 'other',
            year: YEAR,
            orMore: true,
            issueDate: '2026-03-02',
            actor: systemActor,
            now: new Date('2026-03-02T09:00:00Z'),
          }),
        )
    ).invoice.number;
    treasurer = await loggedIn(app, users['treasurer']!.email);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('shows an invoice with everything a Norwegian invoice needs', async () => {
    const number = await numberOf(users['anna']!.memberId);
    const { res, html } = await treasurer.get(`/billing/invoices/${number}`);
    expect(res.status).toBe(200);
    const [inv] = await invoicesOf(db(), users['anna']!.memberId);
    for (const text of [
      `Faktura ${number}`,
      'Fakturadato',
      'Forfallsdato',
      'Datafellesskapet Test',
      'Storgata 1',
      'Org.nr. 974760673 MVA',
      'Anna Ås',
      `Medlemsnummer ${users['anna']!.memberNumber}`,
      'Medlemskontingent 2026',
      'Tjenesteavgift 2026',
      '25 %',
      'kr 510,00', // net
      'kr 90,00', // VAT
      'kr 600,00',
      '8601.11.17947',
      inv!.kid!,
      'Spørsmål? Skriv til kasserer@example.org.',
      'Ikke betalt ennå',
      'Utestående',
      `href="/billing/invoices/${number}.pdf"`,
      'Krediter faktura',
    ])
      expect(html, text).toContain(text);

    const org = await treasurer.get(`/billing/invoices/${orgInvoice}`);
    expect(org.html).toContain('Nett AS');
    expect(org.html).toContain('Org.nr. 923609016');
    expect(org.html).toContain('Att.: Ola Kontakt');
    expect(org.html).toContain('minstebeløp');
    expect((await treasurer.get('/billing/invoices/999999')).res.status).toBe(404);
  });

  it('serves the PDF to the treasurer, the auditor and the member it belongs to', async () => {
    const number = await numberOf(users['anna']!.memberId);
    for (const who of ['treasurer', 'auditor', 'anna']) {
      const client = await loggedIn(app, users[who]!.email);
      const res = await client.request('GET', `/billing/invoices/${number}.pdf`);
      expect(res.status, who).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
  });

  it('lets a plain member see only their own invoices', async () => {
    const anna = await loggedIn(app, users['anna']!.email);
    const own = await numberOf(users['anna']!.memberId);
    const other = await numberOf(users['bjorn']!.memberId);
    const mine = await anna.get(`/billing/invoices/${own}`);
    expect(mine.res.status).toBe(200);
    expect(mine.html).not.toContain('Krediter faktura');
    expect(mine.html).not.toContain('href="/billing/settings"');
    expect((await anna.get(`/billing/invoices/${other}`)).res.status).toBe(403);
    expect((await anna.request('GET', `/billing/invoices/${other}.pdf`)).status).toBe(403);
    expect((await anna.get('/billing/invoices')).res.status).toBe(403);
    await anna.get(`/billing/invoices/${own}`);
    const credit = await anna.post(`/billing/invoices/${own}/credit`, { reason: 'nei takk' });
    expect(credit.res.status).toBe(403);
    const anonymous = new TestClient(app.url);
    const res = await anonymous.request('GET', `/billing/invoices/${own}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });

  it('lets the auditor read everything but not credit', async () => {
    const auditor = await loggedIn(app, users['auditor']!.email);
    const number = await numberOf(users['bjorn']!.memberId);
    expect((await auditor.get('/billing/invoices')).res.status).toBe(200);
    const view = await auditor.get(`/billing/invoices/${number}`);
    expect(view.res.status).toBe(200);
    expect(view.html).not.toContain('Krediter faktura');
    const credit = await auditor.post(`/billing/invoices/${number}/credit`, { reason: 'test' });
    expect(credit.res.status).toBe(403);
    expect((await invoicesOf(db(), users['bjorn']!.memberId)).length).toBe(1);
  });

  it('credits an invoice: a credit note, paid money to the member’s credit, mail with PDF', async () => {
    const [inv] = await invoicesOf(db(), users['anna']!.memberId);
    await payOnInvoice(db(), { id: inv!.id, memberId: inv!.member_id }, 20000);
    await treasurer.get(`/billing/invoices/${inv!.number}`);
    const noReason = await treasurer.post(`/billing/invoices/${inv!.number}/credit`, {
      reason: ' ',
    });
    expect(noReason.res.status).toBe(400);
    expect(noReason.html).toContain('Må fylles ut.');
    const ok = await treasurer.post(`/billing/invoices/${inv!.number}/credit`, {
      reason: 'Feil medlemskapstype',
    });
    expect(ok.res.status).toBe(303);
    const [, note] = await invoicesOf(db(), users['anna']!.memberId);
    expect(note).toMatchObject({
      kind: 'credit_note',
      total_ore: -60000,
      credited_invoice_id: inv!.id,
    });
    expect(ok.res.headers.get('location')).toBe(`/billing/invoices/${note!.number}`);

    const notePage = await treasurer.get(`/billing/invoices/${note!.number}`);
    expect(notePage.html).toContain(`Kreditnota ${note!.number}`);
    expect(notePage.html).toContain('Krediterer faktura');
    expect(notePage.html).toContain('kr -600,00');
    const original = await treasurer.get(`/billing/invoices/${inv!.number}`);
    expect(original.html).toContain('Kreditert');
    expect(original.html).not.toContain('Krediter faktura');

    const allocations = await db()
      .selectFrom('payment_allocations')
      .selectAll()
      .where('member_id', '=', inv!.member_id)
      .orderBy('amount_ore')
      .execute();
    expect(allocations.map((a) => [a.invoice_id, a.amount_ore, a.kind])).toEqual([
      [inv!.id, -20000, 'overpayment'],
      [inv!.id, 20000, 'payment'],
      [null, 20000, 'overpayment'],
    ]);
    const [after] = await invoicesOf(db(), users['anna']!.memberId);
    expect(after).toMatchObject({ paid_ore: 0, credited_ore: 60000 });
    expect(after!.settled_at).not.toBeNull();

    const again = await treasurer.post(`/billing/invoices/${inv!.number}/credit`, {
      reason: 'igjen',
    });
    expect([403, 409]).toContain(again.res.status);

    for (let i = 0; i < 3; i++) await app.worker.runOnce();
    const mail = await smtp.waitFor(
      (x) => x.to.includes(users['anna']!.email) && x.subject.startsWith('Kreditnota'),
    );
    expect(mail.text).toContain('kr 200,00');
    expect(mail.text).toContain('Feil medlemskapstype');
    expect(mail.attachments[0]!.contentType).toBe('application/pdf');
    expect(mail.attachments[0]!.filename).toBe(`kreditnota-${note!.number}.pdf`);
    expect(mail.attachments[0]!.content.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('lists invoices with filters and pages', async () => {
    const member = (await findMemberById(db(), users['bjorn']!.memberId))!;
    await db()
      .transaction()
      .execute(async (tx) => {
        for (let i = 0; i < 55; i++)
          await issueInvoice(tx, {
            member,
            lines: [{ description: `Kurs ${i}`, grossOre: 10000, vatRateBp: 2500 }],
            purpose: 'other',
            year: YEAR,
            issueDate: '2026-03-02',
            actor: systemActor,
            now: new Date('2026-03-02T09:00:00Z'),
          });
      });
    const all = await treasurer.get('/billing/invoices');
    expect(all.res.status).toBe(200);
    expect(all.html).toContain('Side 1 av 2');
    expect(all.html).toContain('href="/billing/invoices?page=2"');
    expect((await treasurer.get('/billing/invoices?page=2')).html).toContain('Side 2 av 2');

    const credited = await treasurer.get('/billing/invoices?status=credited');
    expect(credited.html).toContain('2 fakturaer og kreditnotaer');
    const dues = await treasurer.get(`/billing/invoices?purpose=dues&year=${YEAR}`);
    expect(dues.html).toContain('6 fakturaer og kreditnotaer');
    const byMember = await treasurer.get(
      `/billing/invoices?member=${users['bjorn']!.memberNumber}`,
    );
    expect(byMember.html).toContain('56 fakturaer og kreditnotaer');
    const one = await treasurer.get(`/billing/invoices?number=${orgInvoice}`);
    expect(one.html).toContain('1 fakturaer og kreditnotaer');
    expect(one.html).toContain('Nett AS');
    const open = await treasurer.get('/billing/invoices?status=open&purpose=dues');
    expect(open.html).toContain('4 fakturaer og kreditnotaer');
    const bad = await treasurer.get('/billing/invoices?year=abc');
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Skriv et gyldig tall.');
    expect(bad.html).toContain('value="abc"');
  });

  it('shows no VAT columns on an invoice issued while not VAT-registered', async () => {
    await db().updateTable('association').set({ vat_registered: 0 }).execute();
    const member = (await findMemberById(db(), users['bjorn']!.memberId))!;
    const { invoice } = await db()
      .transaction()
      .execute((tx) =>
        issueInvoice(tx, {
          member,
          lines: [{ description: 'Tjenesteavgift', grossOre: 45000, vatRateBp: 2500 }],
          purpose: 'other',
          year: YEAR,
          issueDate: '2026-03-02',
          actor: systemActor,
          now: new Date('2026-03-02T09:00:00Z'),
        }),
      );
    await db().updateTable('association').set({ vat_registered: 1 }).execute();
    const { html } = await treasurer.get(`/billing/invoices/${invoice.number}`);
    expect(html).not.toContain('Mva.-sats');
    expect(html).not.toContain('974760673 MVA');
    expect(html).toContain('ikke mva.-registrert');
    expect(invoice.vatOre).toBe(0);
  });
});
