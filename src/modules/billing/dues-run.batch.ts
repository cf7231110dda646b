import { recordAudits, type Actor } from '../../app/audit.js';
import { nextNumbers } from '../../app/counters.js';
import { addDays } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import { newIds } from '../../app/ids.js';
import { enqueueEmails, type EmailMessage } from '../../app/outbox.js';
import type { Association } from '../association/association.repository.js';
import type { BillingSettings } from './billing-settings.repository.js';
import {
  addProgress,
  existingDuesInvoices,
  selectDueBatch,
  type DueMember,
  type DuesRun,
} from './dues-run.repository.js';
import type { FeeComponent } from './fees.repository.js';
import { INVOICE_SERIES, invoiceKid } from './invoice-issue.js';
import { insertInvoices, type Invoice, type InvoiceLine } from './invoices.repository.js';
import { invoiceMessage } from './invoice.emails.js';
import { monthsLeftInYear, proRata, splitGross } from './vat.js';

// One batch of a dues run, in the caller's transaction: who is due, their lines (pro
// rata), numbers reserved in one go, multi-row inserts, mail, audit and progress.

/** "2025", or "2025/26" when the association year does not follow the calendar. */
function yearLabel(year: number, startMonth: number): string {
  return startMonth === 1 ? String(year) : `${year}/${String(year + 1).slice(2)}`;
}

export type RunContext = {
  run: DuesRun;
  association: Association;
  settings: BillingSettings & { bankAccount: string };
  components: Map<string, FeeComponent[]>;
  bounds: { startsOn: string; endsOn: string };
  issueDate: string;
  actor: Actor;
  baseUrl: string;
};

/** The lines of one member's dues: every component, pro rata for a mid-year joiner. */
function duesLines(rc: RunContext, m: DueMember, locale: Locale): InvoiceLine[] {
  const label = yearLabel(rc.run.year, rc.association.yearStartMonth);
  const joined = m.joinedOn;
  const months =
    rc.settings.proRata && joined && joined > rc.bounds.startsOn
      ? monthsLeftInYear(joined, rc.bounds.startsOn)
      : 12;
  const lines: InvoiceLine[] = [];
  for (const comp of rc.components.get(m.typeId) ?? []) {
    const gross = months < 12 ? proRata(comp.amountOre, months) : comp.amountOre;
    if (gross <= 0) continue;
    const rate = rc.association.vatRegistered ? comp.vatRateBp : 0;
    const { netOre, vatOre } = splitGross(gross, rate);
    const name = locale === 'en' ? comp.nameEn : comp.nameNb;
    const share =
      months < 12 ? (locale === 'en' ? ` (${months}/12 months)` : ` (${months}/12 måneder)`) : '';
    lines.push({
      position: lines.length + 1,
      description: `${name} ${label}${share}`,
      grossOre: gross,
      vatRateBp: rate,
      vatOre,
      netOre,
    });
  }
  return lines;
}

/** The next dues key of a member for the year: n goes up only after a credit note. */
function nextDuesKey(
  year: number,
  memberId: string,
  existing: { duesKey: string | null }[],
): string {
  let n = existing.length;
  for (const e of existing) {
    const parsed = Number(e.duesKey?.split(':')[3]);
    if (Number.isInteger(parsed) && parsed > n) n = parsed;
  }
  return `dues:${year}:${memberId}:${n + 1}`;
}

/** One batch in one transaction: numbers reserved, invoices, lines, mail, audit, progress. */
export async function runBatch(
  tx: Db,
  rc: RunContext,
  opts: { afterNumber: number; limit: number; now: Date },
): Promise<{ lastNumber: number | null; created: number; skipped: number; totalOre: number }> {
  const typeIds = [...rc.components.keys()];
  const members = await selectDueBatch(tx, {
    typeIds,
    endsOn: rc.bounds.endsOn,
    afterNumber: opts.afterNumber,
    limit: opts.limit,
  });
  if (members.length === 0) return { lastNumber: null, created: 0, skipped: 0, totalOre: 0 };
  const existing = await existingDuesInvoices(tx, {
    year: rc.run.year,
    memberIds: members.map((m) => m.id),
  });
  const byMember = new Map<string, typeof existing>();
  for (const e of existing) byMember.set(e.memberId, [...(byMember.get(e.memberId) ?? []), e]);

  const todo: { member: DueMember; lines: InvoiceLine[]; locale: Locale; duesKey: string }[] = [];
  let skipped = 0;
  for (const member of members) {
    const mine = byMember.get(member.id) ?? [];
    // Already invoiced (and not credited in full): never twice.
    if (mine.some((e) => e.creditedOre < e.totalOre)) {
      skipped++;
      continue;
    }
    const locale: Locale =
      member.locale === 'en' || member.locale === 'nb'
        ? member.locale
        : rc.association.defaultLocale;
    const lines = duesLines(rc, member, locale);
    if (lines.length === 0) {
      skipped++;
      continue;
    }
    todo.push({ member, lines, locale, duesKey: nextDuesKey(rc.run.year, member.id, mine) });
  }

  const first = todo.length > 0 ? await nextNumbers(tx, INVOICE_SERIES, todo.length) : 0;
  const at = opts.now.toISOString();
  const seller = {
    name: rc.association.name,
    addressLine: rc.association.addressLine,
    postalCode: rc.association.postalCode,
    city: rc.association.city,
    orgNumber: rc.association.orgNumber,
    email: rc.association.email,
  };
  const ids = newIds(todo.length, opts.now.getTime());
  const items = todo.map((x, i) => {
    const number = first + i;
    const m = x.member;
    const invoice: Invoice = {
      id: ids[i]!,
      number,
      kind: 'invoice',
      creditedInvoiceId: null,
      memberId: m.id,
      purpose: 'dues',
      year: rc.run.year,
      duesKey: x.duesKey,
      duesRunId: rc.run.id,
      issueDate: rc.issueDate,
      dueDate: addDays(rc.issueDate, rc.settings.dueDays),
      kid: invoiceKid(m.memberNumber, number, rc.settings),
      bankAccount: rc.settings.bankAccount,
      seller,
      buyer: {
        name: m.name,
        memberNumber: m.memberNumber,
        addressLine: m.addressLine,
        postalCode: m.postalCode,
        city: m.city,
        country: m.country,
        orgNumber: m.orgNumber,
        contactPerson: m.contactPerson,
        email: m.email,
      },
      vatRegistered: rc.association.vatRegistered,
      orMore: (rc.components.get(m.typeId) ?? []).some((c) => c.orMore),
      netOre: x.lines.reduce((s, l) => s + l.netOre, 0),
      vatOre: x.lines.reduce((s, l) => s + l.vatOre, 0),
      totalOre: x.lines.reduce((s, l) => s + l.grossOre, 0),
      paidOre: 0,
      creditedOre: 0,
      settledAt: null,
      createdAt: at,
    };
    return { invoice, lines: x.lines, createdBy: rc.actor.userId, locale: x.locale };
  });
  await insertInvoices(tx, items);
  const messages: EmailMessage[] = [];
  for (const { invoice, locale } of items) {
    if (!invoice.buyer.email) continue; // no address, no mail; the invoice still exists
    messages.push(
      invoiceMessage({
        to: invoice.buyer.email,
        invoice,
        association: rc.association.name,
        baseUrl: rc.baseUrl,
        locale,
      }),
    );
  }
  await enqueueEmails(tx, { messages, at: opts.now });
  await recordAudits(
    tx,
    items.map(({ invoice }) => ({
      actor: rc.actor,
      action: 'billing.invoice_issued',
      entityType: 'invoice',
      entityId: invoice.id,
      after: {
        number: invoice.number,
        memberId: invoice.memberId,
        purpose: 'dues',
        year: invoice.year,
        totalOre: invoice.totalOre,
        vatOre: invoice.vatOre,
        kid: invoice.kid,
        duesRunId: rc.run.id,
      },
      at: opts.now,
    })),
  );
  const totalOre = items.reduce((s, x) => s + x.invoice.totalOre, 0);
  await addProgress(tx, rc.run.id, { created: items.length, skipped, totalOre, now: opts.now });
  return {
    lastNumber: members[members.length - 1]!.memberNumber,
    created: items.length,
    skipped,
    totalOre,
  };
}
