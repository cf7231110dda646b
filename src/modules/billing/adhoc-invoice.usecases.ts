import type { Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { enqueueEmail } from '../../app/outbox.js';
import { findAssociation } from '../association/association.repository.js';
import { findMemberById, findMemberByNumber } from '../members/members.repository.js';
import { InvoiceErrors } from './billing.errors.js';
import { issueInvoice } from './invoice-issue.js';
import { invoiceMessage } from './invoice.emails.js';
import { findMemberMailInfo } from './invoice-list.repository.js';
import type { Invoice } from './invoices.repository.js';
import type { AdHocLine } from './invoices.schemas.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/**
 * The treasurer's one-off invoice to a member (purpose 'other'): issued through the same
 * path as dues invoices (gapless number, KID, VAT when registered, audit entry) and
 * mailed with its PDF, in one transaction.
 */
export async function issueAdHocInvoice(
  deps: Deps,
  input: {
    actor: Actor;
    member: { id: string } | { number: number };
    lines: AdHocLine[];
  },
): Promise<{ invoice: Invoice; mailed: boolean }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    const association = await findAssociation(tx);
    if (!association) throw CommonErrors.setupRequired();
    const member =
      'id' in input.member
        ? await findMemberById(tx, input.member.id)
        : await findMemberByNumber(tx, input.member.number);
    if (!member) throw InvoiceErrors.memberNotFound();
    const { invoice } = await issueInvoice(tx, {
      member,
      lines: input.lines,
      purpose: 'other',
      year: null,
      issueDate: todayIn(association.timeZone, now),
      actor: input.actor,
      now,
    });
    const mail = await findMemberMailInfo(tx, member.id);
    if (!mail?.email) return { invoice, mailed: false };
    const locale =
      mail.locale === 'en' || mail.locale === 'nb' ? mail.locale : association.defaultLocale;
    await enqueueEmail(tx, {
      message: invoiceMessage({
        to: mail.email,
        invoice,
        association: association.name,
        baseUrl: deps.config.baseUrl,
        locale,
      }),
      at: now,
    });
    return { invoice, mailed: true };
  });
  deps.kickOutbox();
  return result;
}
