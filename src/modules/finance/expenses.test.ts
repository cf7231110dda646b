import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { translator } from '../../app/i18n.js';
import { startTestApp, setUpAssociation, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { sniffReceiptType } from './expense-receipt.js';
import {
  ACCOUNT,
  ACCOUNT_BAD,
  claimForm,
  claimNumberOf,
  claimRow,
  ELF,
  expenseCounts,
  JPEG,
  mailsTo,
  MZ,
  PDF,
  PNG,
  postClaim,
  postStep,
  TEXT,
} from './expenses.test-support.js';

const nb = translator('nb');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('receipt type from content', () => {
  it('knows PDF, PNG and JPEG by their first bytes, and nothing else', () => {
    expect(sniffReceiptType(PDF)).toBe('application/pdf');
    expect(sniffReceiptType(PNG)).toBe('image/png');
    expect(sniffReceiptType(JPEG)).toBe('image/jpeg');
    expect(sniffReceiptType(ELF)).toBeNull();
    expect(sniffReceiptType(MZ)).toBeNull();
    expect(sniffReceiptType(TEXT)).toBeNull();
    expect(sniffReceiptType(Buffer.from('%PDF'))).toBeNull();
  });
});

describeEachDialect('expense claims: submitting, validation, who sees what', (h) => {
  let app: Running;
  const clock = fixedClock('2027-01-10T10:00:00Z');
  type Person = Awaited<ReturnType<typeof createMemberUser>>;
  let mona: Person;
  let otto: Person;
  let bente: Person;
  let lapsed: Person;
  let monaClient: TestClient;
  let first: number;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    const db = h.db();
    mona = await createMemberUser(db, { name: 'Mona Medlem' });
    otto = await createMemberUser(db, { name: 'Otto Other' });
    bente = await createMemberUser(db, { name: 'Bente Styre', offices: ['board_member'] });
    lapsed = await createMemberUser(db, { name: 'Lasse Lapset', status: 'lapsed' });
    monaClient = await loggedIn(app, mona.user.email);
  });
  afterAll(async () => app.close());

  it('stores a claim with its receipt, history, audit entry and email, all at once', async () => {
    const before = await expenseCounts(h.db());
    const { res } = await postClaim(monaClient);
    expect(res.status).toBe(303);
    first = claimNumberOf(res);
    const row = await claimRow(h.db(), first);
    expect(row).toMatchObject({
      member_id: mona.member.id,
      submitted_by: mona.user.id,
      status: 'submitted',
      spent_on: '2027-01-05',
      category: '6420',
      payee_account: ACCOUNT,
      fiscal_year: 2027,
    });
    expect(Number(row.amount_ore)).toBe(24950);
    expect(Number(row.vat_ore)).toBe(4990);
    const receipt = await h
      .db()
      .selectFrom('expense_receipts')
      .selectAll()
      .where('claim_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(receipt.content_type).toBe('application/pdf');
    expect(receipt.filename).toBe('kvittering.pdf');
    expect(Number(receipt.size)).toBe(PDF.length);
    expect(receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(receipt.content).equals(PDF)).toBe(true);
    const after = await expenseCounts(h.db());
    expect(after.claims - before.claims).toBe(1);
    expect(after.receipts - before.receipts).toBe(1);
    expect(after.events - before.events).toBe(1);
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['expenses.claim_submitted']);
    const mails = await mailsTo(h.db(), mona.user.email);
    expect(mails.at(-1)?.subject).toContain(`Utlegg ${first} er mottatt`);
    expect(mails.at(-1)?.text).toContain(`/expenses/${first}`);
    // The page shows it, with the receipt to download.
    const { html } = await monaClient.get(`/expenses/${first}`);
    expect(html).toContain('data-status="submitted"');
    expect(html).toContain('kvittering.pdf');
    expect((await monaClient.get('/expenses')).html).toContain(`data-claim="${first}"`);
  });

  it('reads amounts with comma or point, and takes a PNG or JPEG receipt too', async () => {
    const a = await postClaim(monaClient, {
      form: claimForm({ amount: '1 249.5', vat: '' }),
      file: { name: 'bilde.png', content: PNG, type: 'image/png' },
    });
    expect(a.res.status).toBe(303);
    expect(Number((await claimRow(h.db(), claimNumberOf(a.res))).amount_ore)).toBe(124950);
    // A JPEG sent as "application/octet-stream" named .bin: the content decides.
    const b = await postClaim(monaClient, {
      form: claimForm({ amount: '12', vat: '' }),
      file: { name: 'scan.bin', content: JPEG, type: 'application/octet-stream' },
    });
    expect(b.res.status).toBe(303);
    const row = await claimRow(h.db(), claimNumberOf(b.res));
    const receipt = await h
      .db()
      .selectFrom('expense_receipts')
      .select('content_type')
      .where('claim_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(receipt.content_type).toBe('image/jpeg');
  });

  const refused: [string, Parameters<typeof postClaim>[1], string, string][] = [
    ['zero amount', { form: claimForm({ amount: '0' }) }, 'amount', 'expenses.amount_zero'],
    [
      'a negative amount',
      { form: claimForm({ amount: '-50' }) },
      'amount',
      'expenses.amount_negative',
    ],
    [
      'three decimals',
      { form: claimForm({ amount: '12,345' }) },
      'amount',
      'expenses.amount_decimals',
    ],
    [
      'words for an amount',
      { form: claimForm({ amount: 'tjue' }) },
      'amount',
      'expenses.amount_invalid',
    ],
    [
      'VAT above the amount',
      { form: claimForm({ amount: '10', vat: '11' }) },
      'vat',
      'expenses.vat_above_amount',
    ],
    [
      'a wrong MOD11 account',
      { form: claimForm({ payee_account: ACCOUNT_BAD }) },
      'payee_account',
      'expenses.account_check_digit',
    ],
    [
      'a 10-digit account',
      { form: claimForm({ payee_account: '8601111794' }) },
      'payee_account',
      'expenses.account_format',
    ],
    ['no receipt', { file: null }, 'receipt', 'expenses.receipt_missing'],
    [
      'an 11 MB receipt',
      { file: { name: 'stor.pdf', content: Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]) } },
      'receipt',
      'expenses.receipt_too_large',
    ],
    [
      'an ELF executable named .pdf',
      { file: { name: 'kvittering.pdf', content: ELF } },
      'receipt',
      'expenses.receipt_type',
    ],
    [
      'a Windows executable named .pdf',
      { file: { name: 'kvittering.pdf', content: MZ } },
      'receipt',
      'expenses.receipt_type',
    ],
    [
      'a text file',
      { file: { name: 'kvittering.txt', content: TEXT, type: 'text/plain' } },
      'receipt',
      'expenses.receipt_type',
    ],
    [
      'a date in the future',
      { form: claimForm({ spent_on: '2027-02-01' }) },
      'spent_on',
      'expenses.spent_on_future',
    ],
    [
      'an unknown category',
      { form: claimForm({ category: '1920' }) },
      'category',
      'form.invalid_choice',
    ],
  ];

  for (const [what, opts, field, key] of refused) {
    it(`refuses ${what} with a message beside the field, keeps the input, stores nothing`, async () => {
      const before = await expenseCounts(h.db());
      const { res, html } = await postClaim(monaClient, opts);
      expect(res.status).toBe(400);
      expect(html).toContain(`id="f-${field}-error"`);
      expect(html).toContain(esc(nb(key as Parameters<typeof nb>[0])));
      // The typed input comes back (the file must be chosen again).
      expect(html).toContain(esc(opts?.form?.['description'] ?? 'Webhotell januar'));
      expect(await expenseCounts(h.db())).toEqual(before);
    });
  }

  it('prefills the refund account from the last claim', async () => {
    const { html } = await monaClient.get('/expenses/new');
    expect(html).toContain(`name="payee_account" type="text" value="${ACCOUNT}"`);
  });

  it('lets only members with an active membership submit', async () => {
    const client = await loggedIn(app, lapsed.user.email);
    expect((await client.get('/expenses/new')).res.status).toBe(403);
    const before = await expenseCounts(h.db());
    await client.get('/expenses');
    const body = new FormData();
    body.set('_csrf', client.csrf());
    for (const [k, v] of Object.entries(claimForm())) body.set(k, v);
    body.set('receipt', new Blob([new Uint8Array(PDF)]), 'k.pdf');
    const res = await client.request('POST', '/expenses/new', { body });
    expect(res.status).toBe(403);
    expect(await expenseCounts(h.db())).toEqual(before);
  });

  it('serves the receipt to the claimant and officers only, as a download', async () => {
    const { html } = await monaClient.get(`/expenses/${first}`);
    const href = /href="(\/expenses\/\d+\/receipts\/[0-9a-z]{26})"/.exec(html)?.[1];
    expect(href).toBeTruthy();
    const own = await monaClient.request('GET', href!);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(own.headers.get('content-disposition')).toBe(
      `attachment; filename="utlegg-${first}-1.pdf"`,
    );
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await own.arrayBuffer()).equals(PDF)).toBe(true);

    const officer = await loggedIn(app, bente.user.email);
    expect((await officer.request('GET', href!)).status).toBe(200);

    const other = await loggedIn(app, otto.user.email);
    const theirs = await other.request('GET', href!);
    expect(theirs.status).toBe(403);
    expect(theirs.headers.get('content-type')).not.toBe('application/pdf');
    expect((await other.get(`/expenses/${first}`)).res.status).toBe(403);
    expect((await other.get('/expenses')).html).not.toContain(`data-claim="${first}"`);

    const anonymous = new TestClient(app.url);
    const res = await anonymous.request('GET', href!);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });

  it('gives a member without an office 403 on the queue and on every step', async () => {
    const other = await loggedIn(app, otto.user.email);
    expect((await other.get('/expenses/queue')).res.status).toBe(403);
    await other.get('/expenses');
    for (const action of ['attest', 'approve', 'pay', 'reject', 'return']) {
      const { res } = await other.post(`/expenses/${first}/${action}`, {
        reason: 'nei',
        paid_on: '2027-01-10',
        reference: 'x',
      });
      expect(res.status, action).toBe(403);
    }
    // Mona holds no office either: not even her own claim.
    await monaClient.get('/expenses');
    expect((await monaClient.post(`/expenses/${first}/attest`, {})).res.status).toBe(403);
    expect((await claimRow(h.db(), first)).status).toBe('submitted');
    // The board member sees the queue with the claim to attest.
    const officer = await loggedIn(app, bente.user.email);
    const queue = await officer.get('/expenses/queue');
    expect(queue.res.status).toBe(200);
    expect(queue.html).toMatch(
      new RegExp(`data-section="to_attest"[\\s\\S]*data-claim="${first}"`),
    );
  });

  it('refuses a form without its CSRF token', async () => {
    await monaClient.get('/expenses/new');
    const body = new FormData();
    for (const [k, v] of Object.entries(claimForm())) body.set(k, v);
    body.set('receipt', new Blob([new Uint8Array(PDF)]), 'k.pdf');
    const before = await expenseCounts(h.db());
    const res = await monaClient.request('POST', '/expenses/new', { body });
    expect(res.status).toBe(403);
    expect(await expenseCounts(h.db())).toEqual(before);
    expect(postStep).toBeTypeOf('function');
  });
});
