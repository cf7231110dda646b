import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { systemActor } from '../../app/audit.js';
import { fixedClock } from '../../app/clock.js';
import { AppError } from '../../app/errors.js';
import { ADMIN, setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { loggedIn } from '../members/members.test-support.js';
import { executeDuesRun, runDues, startDuesRun } from './dues-run.usecases.js';
import { creditInvoice } from './invoices.usecases.js';
import {
  invoicesOf,
  seedDataCoopFees,
  setBankAccount,
  waitForRun,
} from './invoices.test-support.js';

const YEAR = 2026;

describeEachDialect('dues run', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const db = () => h.db();
  const m: Record<string, { id: string; memberNumber: number; email?: string }> = {};
  let treasurerEmail = '';
  let auditorEmail = '';
  let plainEmail = '';

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
    await setBankAccount(db());
    await seedDataCoopFees(app, YEAR);
    const treasurer = await createMemberUser(db(), { offices: ['treasurer'] });
    const auditor = await createMemberUser(db(), { offices: ['auditor'] });
    const plain = await createMemberUser(db());
    treasurerEmail = treasurer.user.email;
    auditorEmail = auditor.user.email;
    plainEmail = plain.user.email;
    m['kari'] = {
      ...(await createMember(db(), { name: 'Kari Nordmann', email: 'kari@example.org' })),
      email: 'kari@example.org',
    };
    m['reduced'] = await createMember(db(), { typeCode: 'reduced' });
    m['joiner'] = await createMember(db(), { name: 'Jo Nysgjerrig' });
    m['noEmail'] = await createMember(db(), { email: null });
    m['lapsed'] = await createMember(db(), { status: 'lapsed' });
    m['applied'] = await createMember(db(), { status: 'applied' });
    m['supporter'] = await createMember(db(), { typeCode: 'supporter' });
    await db().updateTable('members').set({ joined_on: '2020-01-01' }).execute();
    await db()
      .updateTable('members')
      .set({ joined_on: '2026-07-15' })
      .where('id', '=', m['joiner'].id)
      .execute();
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('is closed to plain members; the auditor may look but not start', async () => {
    const plain = await loggedIn(app, plainEmail);
    expect((await plain.get('/billing/dues-runs')).res.status).toBe(403);
    await plain.get('/membership');
    expect((await plain.post('/billing/dues-runs', { year: String(YEAR) })).res.status).toBe(403);
    const auditor = await loggedIn(app, auditorEmail);
    const view = await auditor.get('/billing/dues-runs');
    expect(view.res.status).toBe(200);
    expect(view.html).not.toContain('action="/billing/dues-runs"');
    expect((await auditor.post('/billing/dues-runs', { year: String(YEAR) })).res.status).toBe(403);
    expect(await db().selectFrom('dues_runs').selectAll().execute()).toEqual([]);
  });

  it('refuses a year without fees, and a run without a bank account, clearly', async () => {
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/dues-runs');
    const noFees = await treasurer.post('/billing/dues-runs', { year: String(YEAR + 1) });
    expect(noFees.res.status).toBe(409);
    expect(noFees.html).toContain(`Det finnes ingen kontingentsatser for ${YEAR + 1}`);
    await setBankAccount(db(), { bankAccount: null });
    const noBank = await treasurer.post('/billing/dues-runs', { year: String(YEAR) });
    expect(noBank.res.status).toBe(409);
    expect(noBank.html).toContain('Legg inn foreningens kontonummer');
    await setBankAccount(db());
    expect(await db().selectFrom('invoices').selectAll().execute()).toEqual([]);
  });

  it('runs from the page: progress page, summary, VAT per line and pro rata', async () => {
    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/dues-runs');
    const started = await treasurer.post('/billing/dues-runs', { year: String(YEAR) });
    expect(started.res.status).toBe(303);
    const location = started.res.headers.get('location')!;
    expect(location).toMatch(/^\/billing\/dues-runs\/[0-9a-z]{26}$/);
    const run = await waitForRun(db(), location.split('/').pop()!);
    expect(run.status).toBe('done');
    // ada, treasurer, auditor, plain, kari, reduced, joiner, noEmail: active and of a type with fees.
    expect(run.due_count).toBe(8);
    expect(run.created_count).toBe(8);
    expect(run.skipped_count).toBe(0);

    const page = await treasurer.get(location);
    expect(page.html).toContain('Ferdig');
    expect(page.html).toContain('8 av 8 medlemmer behandlet');
    expect(page.res.headers.get('refresh')).toBeNull();

    const [kari] = await invoicesOf(db(), m['kari']!.id);
    expect(kari).toMatchObject({
      total_ore: 60000,
      vat_ore: 9000,
      net_ore: 51000,
      purpose: 'dues',
      year: YEAR,
    });
    expect(kari!.dues_key).toBe(`dues:${YEAR}:${m['kari']!.id}:1`);
    expect(kari!.due_date).toBe('2026-03-16');
    const lines = await db()
      .selectFrom('invoice_lines')
      .selectAll()
      .where('invoice_id', '=', kari!.id)
      .orderBy('position')
      .execute();
    expect(lines.map((l) => [l.description, l.gross_ore, l.vat_rate_bp, l.vat_ore])).toEqual([
      ['Medlemskontingent 2026', 15000, 0, 0],
      ['Tjenesteavgift 2026', 45000, 2500, 9000],
    ]);
    const [reduced] = await invoicesOf(db(), m['reduced']!.id);
    expect(reduced).toMatchObject({ total_ore: 10000, vat_ore: 1000 });
    // Joined 15 July: 6 of 12 months.
    const [joiner] = await invoicesOf(db(), m['joiner']!.id);
    expect(joiner).toMatchObject({ total_ore: 30000, vat_ore: 4500 });
    for (const key of ['lapsed', 'applied', 'supporter'])
      expect(await invoicesOf(db(), m[key]!.id), key).toEqual([]);

    const numbers = (
      await db().selectFrom('invoices').select('number').orderBy('number').execute()
    ).map((r) => r.number);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'billing.%')
      .execute();
    expect(audit.filter((a) => a.action === 'billing.invoice_issued')).toHaveLength(8);
    expect(audit.map((a) => a.action)).toContain('billing.dues_run_finished');
  });

  it('emails each invoice with its PDF attached, and no mail to a member without an address', async () => {
    const rows = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('payload', 'like', '%invoice_pdf%')
      .execute();
    expect(rows).toHaveLength(7);
    for (let i = 0; i < 3; i++) await app.worker.runOnce();
    const mail = await smtp.waitFor((x) => x.to.includes('kari@example.org'));
    expect(mail.subject).toMatch(/^Faktura \d+ fra Datafellesskapet Test$/);
    expect(mail.text).toContain('kr 600,00');
    expect(mail.text).toContain('8601.11.17947');
    const [kari] = await invoicesOf(db(), m['kari']!.id);
    expect(mail.text).toContain(`KID: ${kari!.kid}`);
    expect(mail.text).toContain('/membership/invoices');
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe(`faktura-${kari!.number}.pdf`);
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await invoicesOf(db(), m['noEmail']!.id)).toHaveLength(1);
  });

  it('is idempotent: running again creates nothing', async () => {
    const again = await runDues(app.ctx, { actor: systemActor, year: YEAR });
    expect(again).toMatchObject({ status: 'done', createdCount: 0, skippedCount: 8, dueCount: 8 });
    expect(await db().selectFrom('invoices').selectAll().execute()).toHaveLength(8);
  });

  it('refuses a second start while a run for the year is going', async () => {
    const results = await Promise.allSettled([
      startDuesRun(app.ctx, { actor: systemActor, year: YEAR }),
      startDuesRun(app.ctx, { actor: systemActor, year: YEAR }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason as AppError;
    expect(reason).toBeInstanceOf(AppError);
    expect(reason.code).toBe('billing.dues_run_running');

    const treasurer = await loggedIn(app, treasurerEmail);
    await treasurer.get('/billing/dues-runs');
    const busy = await treasurer.post('/billing/dues-runs', { year: String(YEAR) });
    expect(busy.res.status).toBe(409);
    expect(busy.html).toContain('pågår allerede');
    const running = (ok[0] as PromiseFulfilledResult<{ id: string }>).value;
    const progress = await treasurer.get(`/billing/dues-runs/${running.id}`);
    expect(progress.res.headers.get('refresh')).toBe('2');
    expect(progress.html).toContain('http-equiv="refresh"');
    await executeDuesRun(app.ctx, { runId: running.id, actor: systemActor });
    expect((await startDuesRun(app.ctx, { actor: systemActor, year: YEAR })).status).toBe(
      'running',
    );
    await db()
      .updateTable('dues_runs')
      .set({ status: 'done' })
      .where('status', '=', 'running')
      .execute();
  });

  it('invoices a member again only after a credit note, with the next dues key', async () => {
    const [kari] = await invoicesOf(db(), m['kari']!.id);
    await creditInvoice(app.ctx, { actor: systemActor, number: kari!.number, reason: 'feil type' });
    const run = await runDues(app.ctx, { actor: systemActor, year: YEAR });
    expect(run).toMatchObject({ createdCount: 1, skippedCount: 7 });
    const after = (await invoicesOf(db(), m['kari']!.id)).filter((i) => i.kind === 'invoice');
    expect(after.map((i) => i.dues_key)).toEqual([
      `dues:${YEAR}:${m['kari']!.id}:1`,
      `dues:${YEAR}:${m['kari']!.id}:2`,
    ]);
  });

  it('lists the runs for the auditor, with the summary', async () => {
    const auditor = await loggedIn(app, auditorEmail);
    const { html } = await auditor.get('/billing/dues-runs');
    expect(html).toContain('Tidligere kjøringer');
    expect(
      (html.match(/href="\/billing\/dues-runs\/[0-9a-z]{26}"/g) ?? []).length,
    ).toBeGreaterThanOrEqual(4);
    const admin = await loggedIn(app, ADMIN.email, ADMIN.password);
    expect((await admin.get('/billing/dues-runs?lang=en')).html).toContain('Earlier runs');
  });
});

describeEachDialect('dues run after a crash', (h) => {
  let app: Running;
  const db = () => h.db();
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2026-03-02T09:00:00Z') });
    await setUpAssociation(app);
    await setBankAccount(db(), { proRata: false });
    await seedDataCoopFees(app, YEAR);
    for (let i = 0; i < 10; i++) await createMember(db(), { email: i % 2 ? null : undefined });
    await db().updateTable('members').set({ joined_on: '2026-06-01' }).execute();
  });
  afterAll(async () => app.close());

  it('keeps whole batches only, and a re-run completes it without gaps or doubles', async () => {
    const crash = runDues(app.ctx, {
      actor: systemActor,
      year: YEAR,
      batchSize: 3,
      hooks: {
        beforeCommit: (batch) => {
          if (batch === 1) throw new Error('simulated crash');
        },
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const failed = await db().selectFrom('dues_runs').selectAll().executeTakeFirstOrThrow();
    expect(failed).toMatchObject({
      status: 'failed',
      created_count: 3,
      last_error: 'simulated crash',
    });
    expect(await db().selectFrom('invoices').selectAll().execute()).toHaveLength(3);

    const rerun = await runDues(app.ctx, { actor: systemActor, year: YEAR, batchSize: 3 });
    // ada + 10 members; pro rata is off, so everyone pays the full fee.
    expect(rerun).toMatchObject({ status: 'done', dueCount: 11, createdCount: 8, skippedCount: 3 });
    const invoices = await db().selectFrom('invoices').selectAll().orderBy('number').execute();
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(new Set(invoices.map((i) => i.member_id)).size).toBe(11);
    expect(new Set(invoices.map((i) => i.dues_key)).size).toBe(11);
    expect(invoices.every((i) => i.total_ore === 60000)).toBe(true);
    const counter = await db()
      .selectFrom('counters')
      .select('value')
      .where('name', '=', 'invoice_number')
      .executeTakeFirstOrThrow();
    expect(counter.value).toBe(11);
    const mails = await db().selectFrom('outbox').selectAll().execute();
    expect(mails).toHaveLength(
      invoices.filter((i) => (JSON.parse(i.buyer) as { email: string | null }).email).length,
    );
  });
  it('treats a run whose process died (no heartbeat for 2 minutes) as failed', async () => {
    await db()
      .insertInto('dues_runs')
      .values({
        id: '0'.repeat(26),
        year: YEAR,
        status: 'running',
        started_at: '2026-03-02T08:50:00.000Z',
        finished_at: null,
        started_by: null,
        due_count: 11,
        created_count: 0,
        skipped_count: 0,
        total_ore: 0,
        last_error: null,
        heartbeat_at: '2026-03-02T08:55:00.000Z',
      })
      .execute();
    const run = await runDues(app.ctx, { actor: systemActor, year: YEAR });
    expect(run).toMatchObject({ status: 'done', createdCount: 0, skippedCount: 11 });
    const dead = await db()
      .selectFrom('dues_runs')
      .selectAll()
      .where('id', '=', '0'.repeat(26))
      .executeTakeFirstOrThrow();
    expect(dead.status).toBe('failed');
    expect(dead.last_error).toContain('abandoned');
  });
});
