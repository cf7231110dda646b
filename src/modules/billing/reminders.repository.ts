import type { Db } from '../../app/db.js';
import { toInvoice, type Invoice } from './invoices.repository.js';

// Queries behind reminders and lapses: which open invoices may be reminded, which
// members' dues are past due and grace, and the reminders rows themselves.

/** Who an invoice is addressed to, as the reminder and lapse jobs need it. */
export type Debtor = {
  id: string;
  memberNumber: number;
  name: string;
  email: string | null;
  userId: string | null;
  status: string;
};

export type SentReminder = {
  id: string;
  invoiceId: string;
  sequence: number;
  feeOre: number;
  feeInvoiceId: string | null;
  sentAt: string;
};

export type OpenInvoice = { invoice: Invoice; debtor: Debtor; reminders: SentReminder[] };

const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Open invoices (unsettled, never credited; reminder-fee invoices excluded: a fee is
 * part of the claim it was charged for) due on or before `dueOnOrBefore`, that have had
 * fewer than two reminders, with the reminders they have had.
 */
export async function listRemindableInvoices(
  db: Db,
  opts: { dueOnOrBefore: string },
): Promise<OpenInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('members', 'members.id', 'invoices.member_id')
    .selectAll('invoices')
    .select([
      'members.member_number as debtor_number',
      'members.name as debtor_name',
      'members.email as debtor_email',
      'members.user_id as debtor_user_id',
      'members.status as debtor_status',
    ])
    .where('invoices.kind', '=', 'invoice')
    .where('invoices.purpose', '!=', 'reminder_fee')
    .where('invoices.settled_at', 'is', null)
    .where('invoices.credited_ore', '=', 0)
    .where('invoices.due_date', '<=', opts.dueOnOrBefore)
    .where('members.erased_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('reminders')
            .select('reminders.id')
            .whereRef('reminders.invoice_id', '=', 'invoices.id')
            .where('reminders.sequence', '>=', 2),
        ),
      ),
    )
    .orderBy('invoices.number')
    .execute();
  const reminders = await remindersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    invoice: toInvoice(r),
    debtor: {
      id: r.member_id,
      memberNumber: r.debtor_number,
      name: r.debtor_name,
      email: r.debtor_email,
      userId: r.debtor_user_id,
      status: r.debtor_status,
    },
    reminders: reminders.get(r.id) ?? [],
  }));
}

/** The reminders sent for each of the invoices, in sequence order. */
export async function remindersOf(
  db: Db,
  invoiceIds: string[],
): Promise<Map<string, SentReminder[]>> {
  const byInvoice = new Map<string, SentReminder[]>();
  for (const ids of chunks(invoiceIds)) {
    const rows = await db
      .selectFrom('reminders')
      .selectAll()
      .where('invoice_id', 'in', ids)
      .orderBy('invoice_id')
      .orderBy('sequence')
      .execute();
    for (const r of rows) {
      const list = byInvoice.get(r.invoice_id) ?? [];
      list.push({
        id: r.id,
        invoiceId: r.invoice_id,
        sequence: r.sequence,
        feeOre: r.fee_ore,
        feeInvoiceId: r.fee_invoice_id,
        sentAt: r.sent_at,
      });
      byInvoice.set(r.invoice_id, list);
    }
  }
  return byInvoice;
}

/**
 * Records a reminder. The (invoice, sequence) pair is unique: when another run has
 * already recorded it, nothing is written and false comes back.
 */
export async function insertReminder(
  db: Db,
  r: {
    id: string;
    invoiceId: string;
    sequence: number;
    feeOre: number;
    sentAt: string;
    createdBy: string | null;
  },
): Promise<boolean> {
  const res = await db
    .insertInto('reminders')
    .values({
      id: r.id,
      invoice_id: r.invoiceId,
      sequence: r.sequence,
      fee_ore: r.feeOre,
      fee_invoice_id: null,
      sent_at: r.sentAt,
      created_by: r.createdBy,
    })
    .onConflict((oc) => oc.columns(['invoice_id', 'sequence']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function setReminderFeeInvoice(
  db: Db,
  reminderId: string,
  feeInvoiceId: string,
): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ fee_invoice_id: feeInvoiceId })
    .where('id', '=', reminderId)
    .execute();
}

export type ReminderLogEntry = SentReminder & {
  invoiceNumber: number;
  memberId: string;
  memberNumber: number;
  memberName: string;
  feeInvoiceNumber: number | null;
};

/** Reminders sent at or after an instant, newest first (the "sent lately" list). */
export async function listRemindersSince(db: Db, since: string): Promise<ReminderLogEntry[]> {
  const rows = await db
    .selectFrom('reminders')
    .innerJoin('invoices', 'invoices.id', 'reminders.invoice_id')
    .innerJoin('members', 'members.id', 'invoices.member_id')
    .leftJoin('invoices as fee', 'fee.id', 'reminders.fee_invoice_id')
    .select([
      'reminders.id',
      'reminders.invoice_id',
      'reminders.sequence',
      'reminders.fee_ore',
      'reminders.fee_invoice_id',
      'reminders.sent_at',
      'invoices.number as invoice_number',
      'members.id as member_id',
      'members.member_number',
      'members.name as member_name',
      'fee.number as fee_number',
    ])
    .where('reminders.sent_at', '>=', since)
    .orderBy('reminders.sent_at', 'desc')
    .orderBy('invoices.number')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    invoiceId: r.invoice_id,
    sequence: r.sequence,
    feeOre: r.fee_ore,
    feeInvoiceId: r.fee_invoice_id,
    sentAt: r.sent_at,
    invoiceNumber: r.invoice_number,
    memberId: r.member_id,
    memberNumber: r.member_number,
    memberName: r.member_name,
    feeInvoiceNumber: r.fee_number,
  }));
}

/**
 * Active members with an unsettled dues invoice of `year` whose due date is before
 * `dueBefore` (today less the grace days), with the oldest such invoice.
 */
export async function listLapseCandidates(
  db: Db,
  opts: { year: number; dueBefore: string },
): Promise<{ invoice: Invoice; debtor: Debtor }[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('members', 'members.id', 'invoices.member_id')
    .selectAll('invoices')
    .select([
      'members.member_number as debtor_number',
      'members.name as debtor_name',
      'members.email as debtor_email',
      'members.user_id as debtor_user_id',
      'members.status as debtor_status',
    ])
    .where('members.status', '=', 'active')
    .where('invoices.kind', '=', 'invoice')
    .where('invoices.purpose', '=', 'dues')
    .where('invoices.year', '=', opts.year)
    .where('invoices.settled_at', 'is', null)
    .where('invoices.due_date', '<', opts.dueBefore)
    .orderBy('members.member_number')
    .orderBy('invoices.number')
    .execute();
  const seen = new Set<string>();
  const out: { invoice: Invoice; debtor: Debtor }[] = [];
  for (const r of rows) {
    if (seen.has(r.member_id)) continue;
    seen.add(r.member_id);
    out.push({
      invoice: toInvoice(r),
      debtor: {
        id: r.member_id,
        memberNumber: r.debtor_number,
        name: r.debtor_name,
        email: r.debtor_email,
        userId: r.debtor_user_id,
        status: r.debtor_status,
      },
    });
  }
  return out;
}
