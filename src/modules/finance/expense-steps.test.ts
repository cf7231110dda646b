import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import type { AppError } from '../../app/errors.js';
import { permissionsFor } from '../../app/policy.js';
import { startTestApp, setUpAssociation, type TestClient } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import {
  claimForm,
  claimNumberOf,
  claimRow,
  ELF,
  mailsTo,
  PDF,
  postClaim,
  postStep,
} from './expenses.test-support.js';
import { actOnClaim, submitClaim, type Officer } from './expenses.usecases.js';

// The steps of a claim under the two-person rule: who may attest, approve, pay, reject or
// return it, what happens when two act at once, and what the claimant hears.

describeEachDialect('expense claims: the steps and the two-person rule', (h) => {
  let app: Running;
  const clock = fixedClock('2027-01-10T10:00:00Z');
  type Person = Awaited<ReturnType<typeof createMemberUser>>;
  let mona: Person; // a member
  let bente: Person; // board member: attests
  let bjarne: Person; // board member: approves
  let trude: Person; // treasurer
  let c: Record<'mona' | 'bente' | 'bjarne' | 'trude', TestClient>;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    const db = h.db();
    mona = await createMemberUser(db, { name: 'Mona Medlem' });
    bente = await createMemberUser(db, { name: 'Bente Styre', offices: ['board_member'] });
    bjarne = await createMemberUser(db, { name: 'Bjarne Styre', offices: ['board_member'] });
    trude = await createMemberUser(db, { name: 'Trude Kasserer', offices: ['treasurer'] });
    c = {
      mona: await loggedIn(app, mona.user.email),
      bente: await loggedIn(app, bente.user.email),
      bjarne: await loggedIn(app, bjarne.user.email),
      trude: await loggedIn(app, trude.user.email),
    };
  });
  afterAll(async () => app.close());

  const submit = async (client: TestClient) => claimNumberOf((await postClaim(client)).res);
  const status = async (n: number) => (await claimRow(h.db(), n)).status;

  it('goes submitted → attested → approved → paid with two different officers, mailing each step', async () => {
    const n = await submit(c.mona);
    // The attest button is there for Bente; approve is not yet.
    let page = await c.bente.get(`/expenses/${n}`);
    expect(page.html).toContain(`action="/expenses/${n}/attest"`);
    expect(page.html).not.toContain(`action="/expenses/${n}/approve"`);
    expect((await postStep(c.bente, n, 'attest')).res.status).toBe(303);
    expect(await status(n)).toBe('attested');

    // Bente attested it: no approve button for her, the rule said instead, and refused.
    page = await c.bente.get(`/expenses/${n}`);
    expect(page.html).not.toContain(`action="/expenses/${n}/approve"`);
    expect(page.html).toContain('data-blocked="attester"');
    const refused = await c.bente.post(`/expenses/${n}/approve`, {});
    expect(refused.res.status).toBe(403);
    expect(refused.html).toContain('to-personsregelen');
    expect(await status(n)).toBe('attested');

    expect((await postStep(c.bjarne, n, 'approve')).res.status).toBe(303);
    expect(await status(n)).toBe('approved');
    // Board members cannot pay; the treasurer can.
    expect(
      (await postStep(c.bjarne, n, 'pay', { paid_on: '2027-01-10', reference: 'x' })).res.status,
    ).toBe(403);
    const paid = await postStep(c.trude, n, 'pay', { paid_on: '2027-01-10', reference: 'NB-4711' });
    expect(paid.res.status).toBe(303);
    const row = await claimRow(h.db(), n);
    expect(row).toMatchObject({
      status: 'paid',
      attested_by: bente.user.id,
      approved_by: bjarne.user.id,
      paid_by: trude.user.id,
      paid_on: '2027-01-10',
      payment_reference: 'NB-4711',
    });

    // A second payment is refused with the first one's date and reference, nothing changes.
    const again = await c.trude.post(`/expenses/${n}/pay`, {
      paid_on: '2027-01-10',
      reference: 'NB-4712',
    });
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('allerede utbetalt');
    expect((await claimRow(h.db(), n)).payment_reference).toBe('NB-4711');

    const subjects = (await mailsTo(h.db(), mona.user.email))
      .map((m) => m.subject)
      .filter((s) => s.includes(`Utlegg ${n} `));
    // (The clock stands still in this test, so the order of rows is not the order of steps.)
    expect(subjects).toHaveLength(4);
    for (const word of ['mottatt', 'attestert', 'godkjent', 'utbetalt'])
      expect(
        subjects.some((s) => s.includes(word)),
        word,
      ).toBe(true);
    const events = await h
      .db()
      .selectFrom('expense_claim_events')
      .innerJoin('expense_claims', 'expense_claims.id', 'expense_claim_events.claim_id')
      .select(['action', 'actor_label'])
      .where('expense_claims.number', '=', n)
      .orderBy('expense_claim_events.id')
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'approved',
      'attested',
      'paid',
      'submitted',
    ]);
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'expenses.claim_approved',
      'expenses.claim_attested',
      'expenses.claim_paid',
      'expenses.claim_submitted',
    ]);
    // Mona sees it paid, with its history.
    const mine = await c.mona.get(`/expenses/${n}`);
    expect(mine.html).toContain('data-status="paid"');
    expect(mine.html).toContain('NB-4711');
  });

  it('never lets the treasurer attest or approve their own claim', async () => {
    const n = await submit(c.trude);
    const page = await c.trude.get(`/expenses/${n}`);
    expect(page.html).not.toContain(`action="/expenses/${n}/attest"`);
    expect(page.html).toContain('data-blocked="own"');
    const own = await c.trude.post(`/expenses/${n}/attest`, {});
    expect(own.res.status).toBe(403);
    expect(own.html).toContain('ditt eget utlegg');
    expect((await postStep(c.bente, n, 'attest')).res.status).toBe(303);
    expect((await c.trude.post(`/expenses/${n}/approve`, {})).res.status).toBe(403);
    await c.trude.get(`/expenses/${n}`);
    expect((await c.trude.post(`/expenses/${n}/reject`, { reason: 'meh' })).res.status).toBe(403);
    expect(await status(n)).toBe('attested');
    // The queue does not offer it to her, but to Bjarne.
    expect((await c.trude.get('/expenses/queue')).html).toMatch(
      new RegExp(`data-section="waiting"[\\s\\S]*data-claim="${n}"`),
    );
    expect((await c.bjarne.get('/expenses/queue')).html).toMatch(
      new RegExp(
        `data-section="to_approve"[\\s\\S]*data-claim="${n}"[\\s\\S]*data-section="waiting"`,
      ),
    );
    expect((await postStep(c.bjarne, n, 'approve')).res.status).toBe(303);
    // Two others attested and approved it: she records the payment of it.
    expect(
      (await postStep(c.trude, n, 'pay', { paid_on: '2027-01-09', reference: 'own' })).res.status,
    ).toBe(303);
  });

  it('sends a claim back with a reason; the claimant corrects it and attestation starts over', async () => {
    const n = await submit(c.mona);
    await postStep(c.bente, n, 'attest');
    // A reason is required.
    const empty = await postStep(c.bjarne, n, 'return', { reason: '' });
    expect(empty.res.status).toBe(400);
    expect(empty.html).toContain('id="f-return-reason-error"');
    expect(await status(n)).toBe('attested');
    expect(
      (await postStep(c.bjarne, n, 'return', { reason: 'Beløpet stemmer ikke med kvitteringen' }))
        .res.status,
    ).toBe(303);
    let row = await claimRow(h.db(), n);
    expect(row).toMatchObject({ status: 'returned', attested_by: null, attested_at: null });
    expect(row.reason).toContain('stemmer ikke');
    const mail = (await mailsTo(h.db(), mona.user.email)).find((m) =>
      m.subject.includes(`Utlegg ${n} er sendt tilbake`),
    )!;
    expect(mail).toBeTruthy();
    expect(mail.text).toContain('Beløpet stemmer ikke med kvitteringen');

    // Another member cannot edit it; Mona can, with or without a new receipt.
    expect((await c.bente.get(`/expenses/${n}/edit`)).res.status).toBe(403);
    const edit = await c.mona.get(`/expenses/${n}/edit`);
    expect(edit.res.status).toBe(200);
    expect(edit.html).toContain('value="249,50"');
    const resubmitted = await postClaim(c.mona, {
      pagePath: `/expenses/${n}/edit`,
      action: `/expenses/${n}/edit`,
      form: claimForm({ amount: '239,50' }),
      file: null,
    });
    expect(resubmitted.res.status).toBe(303);
    row = await claimRow(h.db(), n);
    expect(row).toMatchObject({ status: 'submitted', reason: null });
    expect(Number(row.amount_ore)).toBe(23950);
    // Bente may attest it again (from the start).
    expect((await postStep(c.bente, n, 'attest')).res.status).toBe(303);
  });

  it('rejects with a reason; a rejected claim takes no further step', async () => {
    const n = await submit(c.mona);
    expect(
      (await postStep(c.bente, n, 'reject', { reason: 'Ikke foreningens utgift' })).res.status,
    ).toBe(303);
    expect(await status(n)).toBe('rejected');
    const mail = (await mailsTo(h.db(), mona.user.email)).find((m) =>
      m.subject.includes(`Utlegg ${n} er avvist`),
    );
    expect(mail?.text).toContain('Ikke foreningens utgift');
    const late = await c.bjarne.post(`/expenses/${n}/attest`, {});
    expect(late.res.status).toBe(409);
    expect(await status(n)).toBe('rejected');
  });

  it('of two payments at once, exactly one succeeds', async () => {
    const { claim } = await submitClaim(app.ctx, {
      actor: { userId: mona.user.id, label: 'mona' },
      claimant: { userId: mona.user.id, memberId: mona.member.id, memberStatus: 'active' },
      input: {
        spentOn: '2027-01-02',
        amountOre: 99_00,
        vatOre: 0,
        description: 'Strøm',
        category: '6340',
        payeeAccount: '86011117947',
      },
      upload: { filename: 'k.pdf', content: PDF },
    });
    const officer = (p: Person, offices: ('board_member' | 'treasurer')[]): Officer => ({
      userId: p.user.id,
      memberId: p.member.id,
      permissions: permissionsFor({ isAdmin: false, offices }),
    });
    const actor = (p: Person) => ({ userId: p.user.id, label: p.user.handle });
    await actOnClaim(app.ctx, {
      actor: actor(bente),
      officer: officer(bente, ['board_member']),
      number: claim.number,
      action: 'attest',
    });
    await actOnClaim(app.ctx, {
      actor: actor(bjarne),
      officer: officer(bjarne, ['board_member']),
      number: claim.number,
      action: 'approve',
    });
    const pay = (ref: string) =>
      actOnClaim(app.ctx, {
        actor: actor(trude),
        officer: officer(trude, ['treasurer']),
        number: claim.number,
        action: 'pay',
        paidOn: '2027-01-10',
        reference: ref,
      });
    const results = await Promise.allSettled([pay('A'), pay('B'), pay('C')]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(2);
    for (const f of failed) expect((f.reason as AppError).code).toBe('expenses.already_paid');
    const events = await h
      .db()
      .selectFrom('expense_claim_events')
      .select('action')
      .where('claim_id', '=', claim.id)
      .where('action', '=', 'paid')
      .execute();
    expect(events).toHaveLength(1);
    const mails = (await mailsTo(h.db(), mona.user.email)).filter((m) =>
      m.subject.includes(`Utlegg ${claim.number} er utbetalt`),
    );
    expect(mails).toHaveLength(1);
  });

  it('mails an English-speaking claimant in English', async () => {
    await h
      .db()
      .updateTable('users')
      .set({ locale: 'en' })
      .where('id', '=', mona.user.id)
      .execute();
    const n = await submit(c.mona);
    await postStep(c.bente, n, 'attest');
    const mails = await mailsTo(h.db(), mona.user.email);
    expect(mails.some((m) => m.subject.startsWith(`Expense claim ${n} attested`))).toBe(true);
    expect(mails.some((m) => m.subject.startsWith(`Expense claim ${n} received`))).toBe(true);
    await h
      .db()
      .updateTable('users')
      .set({ locale: 'nb' })
      .where('id', '=', mona.user.id)
      .execute();
  });

  it('offers the same through the API: submit with a base64 receipt, queue, steps', async () => {
    const monaToken = await issueToken(h.db(), mona.user.id, ['finance:read']);
    const benteToken = await issueToken(h.db(), bente.user.id, ['finance:write']);
    const bjarneToken = await issueToken(h.db(), bjarne.user.id, ['finance:write']);
    const trudeToken = await issueToken(h.db(), trude.user.id, ['finance:write']);
    const body = {
      spentOn: '2027-01-03',
      amountOre: 450_00,
      vatOre: 90_00,
      description: 'Brukt server',
      category: '6551',
      payeeAccount: '8601.11.17947',
      receipt: { filename: 'server.pdf', contentBase64: PDF.toString('base64') },
    };
    // Refused input: nothing stored.
    const elf = await apiSend(app.url, 'POST', '/expenses', monaToken, {
      ...body,
      receipt: { filename: 'server.pdf', contentBase64: ELF.toString('base64') },
    });
    expect(elf.status).toBe(400);
    expect((elf.body as { error: { code: string } }).error.code).toBe('expenses.receipt_type');
    const zero = await apiSend(app.url, 'POST', '/expenses', monaToken, { ...body, amountOre: 0 });
    expect(zero.status).toBe(400);
    const bad = await apiSend(app.url, 'POST', '/expenses', monaToken, {
      ...body,
      payeeAccount: '86011117948',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('kontrollsifferet');

    const created = await apiSend(app.url, 'POST', '/expenses', monaToken, body);
    expect(created.status).toBe(201);
    const number = (created.body as { number: number }).number;
    type Listed = { claims: { number: number; status: string; actions?: string[] }[] };
    const own = (await apiGet(app.url, '/expenses', monaToken)).body as Listed;
    expect(own.claims.find((cl) => cl.number === number)?.status).toBe('submitted');
    expect((await apiGet(app.url, '/expenses/queue', monaToken)).status).toBe(403);
    expect(
      (await apiSend(app.url, 'POST', `/expenses/${number}/attest`, monaToken, {})).status,
    ).toBe(403);
    const queue = await apiGet(app.url, '/expenses/queue', benteToken);
    expect(queue.status).toBe(200);
    expect((queue.body as Listed).claims.find((cl) => cl.number === number)?.actions).toEqual([
      'attest',
      'reject',
      'return',
    ]);
    expect(
      (await apiSend(app.url, 'POST', `/expenses/${number}/attest`, benteToken, {})).status,
    ).toBe(200);
    const self = await apiSend(app.url, 'POST', `/expenses/${number}/approve`, benteToken, {});
    expect(self.status).toBe(403);
    expect((self.body as { error: { code: string } }).error.code).toBe(
      'expenses.attester_cannot_approve',
    );
    expect(
      (await apiSend(app.url, 'POST', `/expenses/${number}/approve`, bjarneToken, {})).status,
    ).toBe(200);
    const pay = { paidOn: '2027-01-10', reference: 'API-1' };
    expect(
      (await apiSend(app.url, 'POST', `/expenses/${number}/pay`, trudeToken, pay)).status,
    ).toBe(200);
    const twice = await apiSend(app.url, 'POST', `/expenses/${number}/pay`, trudeToken, pay);
    expect(twice.status).toBe(409);
    expect((twice.body as { error: { code: string } }).error.code).toBe('expenses.already_paid');
    const detail = await apiGet(app.url, `/expenses/${number}`, monaToken);
    expect(detail.body).toMatchObject({ status: 'paid', paymentReference: 'API-1' });
    const otherToken = await issueToken(h.db(), (await createMemberUser(h.db())).user.id, [
      'finance:read',
    ]);
    expect((await apiGet(app.url, `/expenses/${number}`, otherToken)).status).toBe(403);
  });
});
