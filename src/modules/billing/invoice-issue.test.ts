import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { systemActor } from '../../app/audit.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember } from '../../../test/helpers/fixtures.js';
import { findMemberById } from '../members/members.repository.js';
import { isValidKid } from './bank-files/kid.js';
import { DEFAULT_BILLING_SETTINGS, saveBillingSettings } from './billing-settings.repository.js';
import { invoiceKid, issueCreditNote, issueInvoice } from './invoice-issue.js';
import { findInvoiceById, listInvoiceLines } from './invoices.repository.js';

it('builds the KID from member number, invoice number and a MOD10 check digit', () => {
  const kid = invoiceKid(42, 1234, { kidMemberDigits: 5, kidInvoiceDigits: 6 });
  expect(kid).toBe('00042001234' + kid.slice(-1));
  expect(kid.length).toBe(12);
  expect(isValidKid(kid)).toBe(true);
  expect(() => invoiceKid(123456, 1, { kidMemberDigits: 5, kidInvoiceDigits: 6 })).toThrow(/KID/);
});

describeEachDialect('issuing invoices', (h) => {
  let app: Running;
  const now = new Date('2026-03-01T10:00:00Z');
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app, { vat_registered: 'on' });
    await saveBillingSettings(
      h.db(),
      { ...DEFAULT_BILLING_SETTINGS, bankAccount: '86011117947' },
      now,
    );
  });
  afterAll(async () => app.close());

  const lines = [
    { description: 'Medlemskontingent', grossOre: 15000, vatRateBp: 0 },
    { description: 'Tjenesteavgift', grossOre: 45000, vatRateBp: 2500 },
  ];

  it('computes VAT per line, totals and due date, and keeps a snapshot of the buyer', async () => {
    const { id } = await createMember(h.db(), { name: 'Kari Nordmann' });
    const member = (await findMemberById(h.db(), id))!;
    const { invoice } = await h
      .db()
      .transaction()
      .execute((tx) =>
        issueInvoice(tx, {
          member,
          lines,
          purpose: 'dues',
          year: 2026,
          issueDate: '2026-03-01',
          actor: systemActor,
          now,
        }),
      );
    expect(invoice.totalOre).toBe(60000);
    expect(invoice.vatOre).toBe(9000);
    expect(invoice.netOre).toBe(51000);
    expect(invoice.dueDate).toBe('2026-03-15');
    expect(invoice.buyer.name).toBe('Kari Nordmann');
    const stored = await listInvoiceLines(h.db(), invoice.id);
    expect(stored.map((l) => [l.grossOre, l.vatRateBp, l.vatOre])).toEqual([
      [15000, 0, 0],
      [45000, 2500, 9000],
    ]);
  });

  it('keeps the number series gapless when issuing concurrently and when a transaction rolls back', async () => {
    const members = await Promise.all(Array.from({ length: 6 }, () => createMember(h.db())));
    const before = await h
      .db()
      .selectFrom('invoices')
      .select((eb) => eb.fn.max('number').as('max'))
      .executeTakeFirstOrThrow();
    // One rolls back after taking a number: the number comes back.
    await h
      .db()
      .transaction()
      .execute(async (tx) => {
        const member = (await findMemberById(tx, members[0]!.id))!;
        await issueInvoice(tx, {
          member,
          lines,
          purpose: 'other',
          year: null,
          issueDate: '2026-03-01',
          actor: systemActor,
          now,
        });
        throw new Error('abort');
      })
      .catch(() => undefined);
    const issued = await Promise.all(
      members.map((m) =>
        h
          .db()
          .transaction()
          .execute(async (tx) => {
            const member = (await findMemberById(tx, m.id))!;
            return issueInvoice(tx, {
              member,
              lines,
              purpose: 'other',
              year: null,
              issueDate: '2026-03-01',
              actor: systemActor,
              now,
            });
          }),
      ),
    );
    const start = Number(before.max ?? 0);
    expect(issued.map((r) => r.invoice.number).sort((a, b) => a - b)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => start + n),
    );
  });

  it('corrects by credit note only, once', async () => {
    const { id } = await createMember(h.db());
    const member = (await findMemberById(h.db(), id))!;
    const { invoice } = await h
      .db()
      .transaction()
      .execute((tx) =>
        issueInvoice(tx, {
          member,
          lines,
          purpose: 'dues',
          year: 2026,
          issueDate: '2026-03-01',
          actor: systemActor,
          now,
        }),
      );
    const { creditNote } = await h
      .db()
      .transaction()
      .execute((tx) =>
        issueCreditNote(tx, {
          invoiceId: invoice.id,
          reason: 'wrong type',
          issueDate: '2026-03-02',
          actor: systemActor,
          now,
        }),
      );
    expect(creditNote.number).toBe(invoice.number + 1);
    expect(creditNote.totalOre).toBe(-60000);
    expect(creditNote.kid).toBeNull();
    const after = (await findInvoiceById(h.db(), invoice.id))!;
    expect(after.creditedOre).toBe(60000);
    expect(after.settledAt).not.toBeNull();
    await expect(
      h
        .db()
        .transaction()
        .execute((tx) =>
          issueCreditNote(tx, {
            invoiceId: invoice.id,
            reason: 'again',
            issueDate: '2026-03-02',
            actor: systemActor,
            now,
          }),
        ),
    ).rejects.toThrow(/already been credited/);
  });
});
