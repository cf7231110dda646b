import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { permissionsFor } from '../../app/policy.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { camtXmlChunks } from '../billing/bank-files/generate.js';
import { importBankFile } from '../billing/bank-import.usecases.js';
import { runDues } from '../billing/dues-run.usecases.js';
import { setFees } from '../billing/fees.usecases.js';
import { creditInvoice } from '../billing/invoices.usecases.js';
import { getOverview } from '../billing/overview.usecases.js';
import { BANK_ACCOUNT, configure } from '../billing/overview.test-support.js';
import { actOnClaim, submitClaim } from './expenses.usecases.js';
import { parseGbat10, parseGbat10Amount } from './gbat10.js';
import { exportJournalText } from './exports.usecases.js';
import { postAll } from './posting.usecases.js';
import { getAnnualReport } from './reports.usecases.js';

// "The year's books balance to the øre against the dues and the expenses": fees of
// 150 kr outside VAT + 450 kr incl. 25 % VAT, a dues run for 30 members, payments from a
// real camt.054 file (one of them too much), a credit note, an expense claim with input
// VAT through attest, approve and pay, then the posting run — and every figure of the
// journal checked against the billing overview and the claims.

const MEMBERS = 30;
const PAYERS = 24; // members 0–23 pay 600 kr; 24 pays 700 kr; 25–27 owe; 28 is credited
const OVERPAYER = 24;
const CREDITED = 28;
const PAID_WITHOUT_INVOICE = 29; // pays 600 kr, then the invoice is credited: all to credit

describeEachDialect('the books balance to the øre', (h) => {
  let app: Running;
  const clock = fixedClock('2026-02-01T09:00:00Z');
  const paymentsOre: number[] = [];
  let claimAmountOre = 0;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app, { vat_registered: 'on', require_approval: '' });
    await configure(app.ctx.db, { proRata: false });
    const db = h.db();
    await setFees(app.ctx, {
      actor: systemActor,
      year: 2026,
      typeCode: 'ordinary',
      components: [
        {
          nameNb: 'Medlemskontingent',
          nameEn: 'Membership fee',
          amountOre: 15000,
          vatRateBp: 0,
          orMore: false,
        },
        {
          nameNb: 'Tjenesteavgift',
          nameEn: 'Service fee',
          amountOre: 45000,
          vatRateBp: 2500,
          orMore: false,
        },
      ],
    });
    const members = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await createMember(db, { name: `Medlem ${i}` }));
    const officers = {
      claimant: await createMemberUser(db, { name: 'Sigurd Serverdrift' }),
      attester: await createMemberUser(db, { offices: ['board_member'] }),
      approver: await createMemberUser(db, { offices: ['board_member'] }),
      treasurer: await createMemberUser(db, { offices: ['treasurer'] }),
    };

    await runDues(app.ctx, { actor: systemActor, year: 2026 });
    const invoices = await db
      .selectFrom('invoices')
      .innerJoin('members', 'members.id', 'invoices.member_id')
      .select(['invoices.number', 'invoices.kid', 'invoices.total_ore', 'members.name'])
      .where('invoices.kind', '=', 'invoice')
      .execute();
    const byName = new Map(invoices.map((i) => [i.name, i]));
    const inv = (i: number) => byName.get(`Medlem ${i}`)!;
    expect(inv(0).total_ore).toBe(60000);

    // The credit note before any payment; then the camt.054 file of the day.
    clock.set('2026-02-10T09:00:00Z');
    await creditInvoice(app.ctx, {
      actor: systemActor,
      number: inv(CREDITED).number,
      reason: 'Meldt seg ut',
    });
    const payers = [...Array.from({ length: PAYERS + 1 }, (_, i) => i), PAID_WITHOUT_INVOICE];
    for (const i of payers) paymentsOre.push(i === OVERPAYER ? 70000 : 60000);
    const xml = [
      ...camtXmlChunks({
        format: 'camt.054',
        count: payers.length,
        account: BANK_ACCOUNT,
        msgId: 'BOOKS-1',
        createdAt: '2026-02-15T06:00:00+01:00',
        payment: (k) => ({
          kind: 'credit',
          amountOre: paymentsOre[k]!,
          kid: inv(payers[k]!).kid,
          date: '2026-02-15',
          paidDate: '2026-02-14',
          payerName: `Medlem ${payers[k]}`,
          payerAccount: '12345678903',
          message: null,
          reference: String(500000000 + k),
        }),
      }),
    ].join('');
    clock.set('2026-02-15T09:00:00Z');
    const report = await importBankFile(app.ctx, {
      input: [Buffer.from(xml)],
      fileName: 'camt054.xml',
      dryRun: false,
      actor: systemActor,
    });
    expect(report.alreadyImported ?? null).toBeNull();
    clock.set('2026-02-20T09:00:00Z');
    await creditInvoice(app.ctx, {
      actor: systemActor,
      number: inv(PAID_WITHOUT_INVOICE).number,
      reason: 'Feil faktura',
    });

    // An expense claim under the two-person rule: 2 500 kr of which 500 kr input VAT.
    claimAmountOre = 250000;
    const officer = (u: (typeof officers)['attester']) => ({
      userId: u.user.id,
      memberId: u.member.id,
      permissions: permissionsFor({ isAdmin: false, offices: ['board_member'] }),
    });
    clock.set('2026-03-01T09:00:00Z');
    const { claim } = await submitClaim(app.ctx, {
      actor: systemActor,
      claimant: {
        userId: officers.claimant.user.id,
        memberId: officers.claimant.member.id,
        memberStatus: 'active',
      },
      input: {
        spentOn: '2026-02-28',
        amountOre: claimAmountOre,
        vatOre: 50000,
        description: 'Brukt server',
        category: '6551',
        payeeAccount: '86011117947',
      },
      upload: { filename: 'kvittering.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') },
    });
    await actOnClaim(app.ctx, {
      actor: systemActor,
      officer: officer(officers.attester),
      number: claim.number,
      action: 'attest',
    });
    await actOnClaim(app.ctx, {
      actor: systemActor,
      officer: officer(officers.approver),
      number: claim.number,
      action: 'approve',
    });
    await actOnClaim(app.ctx, {
      actor: systemActor,
      officer: {
        userId: officers.treasurer.user.id,
        memberId: officers.treasurer.member.id,
        permissions: permissionsFor({ isAdmin: false, offices: ['treasurer'] }),
      },
      number: claim.number,
      action: 'pay',
      paidOn: '2026-03-01',
      reference: 'Nettbank 42',
    });

    clock.set('2026-03-10T09:00:00Z');
    await postAll(app.ctx);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('balances the journal and agrees with the billing overview and the claims', async () => {
    const db = h.db();
    const r = await getAnnualReport(db, { year: 2026 });
    const closing = (account: string) =>
      r.trialBalance.rows.find((x) => x.account === account)?.closingOre ?? 0;
    const overview = await getOverview(db, { now: clock.now(), year: 2026 });
    const f = overview.figures;

    // Debits = credits.
    expect(r.trialBalance.totalDebitOre).toBe(r.trialBalance.totalCreditOre);
    expect(r.trialBalance.totalDebitOre).toBeGreaterThan(0);

    // Everyone active was invoiced (the 30, the officers, the admin); 25 paid, 2 credited.
    const invoiced = f.invoiceCount;
    expect(invoiced).toBeGreaterThanOrEqual(MEMBERS);
    // Receivables 1500 = what the overview says is outstanding.
    expect(f.outstandingOre).toBe((invoiced - PAYERS - 1 - 2) * 60000);
    expect(closing('1500')).toBe(f.outstandingOre);

    // Output VAT 2700 (credit) = the VAT the overview has collected (invoices less credit notes).
    expect(-closing('2700')).toBe(f.vatOre);
    expect(f.vatOre).toBe((invoiced - 2) * 9000);

    // Members' credit 2900 = the overview's credit balance (the overpayment, the credited payment).
    expect(-closing('2900')).toBe(f.creditBalanceOre);
    expect(f.creditBalanceOre).toBe(10000 + 60000);

    // Bank 1920 = payments received − the claim paid.
    const received = paymentsOre.reduce((s, x) => s + x, 0);
    expect(closing('1920')).toBe(received - claimAmountOre);

    // The claim: the cost net of VAT, input VAT, nothing left owed to the member.
    expect(closing('6551')).toBe(200000);
    expect(closing('2710')).toBe(50000);
    expect(closing('2910')).toBe(0);

    // Result = income − costs: the invoices' net (150 + 360 kr) less the server.
    const s = r.incomeStatement;
    expect(s.totalIncome.current).toBe((invoiced - 2) * 51000);
    expect(s.totalCosts.current).toBe(200000);
    expect(s.result.current).toBe(s.totalIncome.current - s.totalCosts.current);

    // The balance sheet balances, with the result carried to equity.
    expect(r.balanceSheet.balanced).toBe(true);
    // Input VAT (2710) is a class 2 account: it reduces the liabilities, it is not an asset.
    expect(r.balanceSheet.totalAssets.current).toBe(closing('1500') + closing('1920'));
    expect(r.balanceSheet.totalEquityAndLiabilities.current).toBe(
      r.balanceSheet.totalAssets.current,
    );
  });

  it('exports a GBAT10 file whose vouchers each sum to zero and whose total matches the journal', async () => {
    const { text } = await exportJournalText(app.ctx, {
      actor: systemActor,
      range: { year: 2026 },
      format: 'gbat10',
    });
    const records = parseGbat10(text);
    const lines = await h.db().selectFrom('journal_lines').select('entry_id').execute();
    expect(records).toHaveLength(lines.length);
    const sums = new Map<string, number>();
    let debits = 0;
    for (const rec of records) {
      const amount = parseGbat10Amount(rec['amount']!);
      sums.set(rec['voucher_number']!, (sums.get(rec['voucher_number']!) ?? 0) + amount);
      if (amount > 0) debits += amount;
    }
    for (const [voucher, sum] of sums) expect(sum, `voucher ${voucher}`).toBe(0);
    const r = await getAnnualReport(h.db(), { year: 2026 });
    expect(debits).toBe(r.trialBalance.totalDebitOre);
  });
});
