import type { Locale } from '../../app/errors.js';
import type { EmailMessage } from '../../app/outbox.js';
import { formatBankAccount, formatInvoiceDate, formatNok } from './invoice-format.js';
import type { Invoice } from './invoices.repository.js';

// Invoice and credit note mail in both languages, plain text like the other mail. The
// PDF is attached when the mail is delivered (attachmentRefs), so the outbox row stays small.

export const INVOICE_PDF = 'invoice_pdf';

type Common = {
  to: string;
  invoice: Pick<
    Invoice,
    'id' | 'number' | 'totalOre' | 'dueDate' | 'kid' | 'bankAccount' | 'orMore' | 'buyer'
  >;
  association: string;
  /** The app's base URL, for the link to the member's invoices. */
  baseUrl: string;
  locale: Locale;
};

export function invoiceMessage(opts: Common): EmailMessage {
  const { invoice, association, locale } = opts;
  const link = `${opts.baseUrl}/membership/invoices`;
  const amount = formatNok(invoice.totalOre, locale);
  const account = formatBankAccount(invoice.bankAccount);
  const due = formatInvoiceDate(invoice.dueDate, locale);
  const attachmentRefs = [{ kind: INVOICE_PDF, id: invoice.id }];
  if (locale === 'en')
    return {
      to: opts.to,
      subject: `Invoice ${invoice.number} from ${association}`,
      text:
        `Hello ${invoice.buyer.name},\n\nHere is invoice no. ${invoice.number} from ${association}; the PDF is attached.\n\n` +
        `Amount: ${amount}${invoice.orMore ? ' (or more, as you wish)' : ''}\n` +
        `Due date: ${due}\nAccount: ${account}\nKID: ${invoice.kid ?? '–'}\n\n` +
        `Please use the KID when you pay, so the payment is matched to this invoice.\n\n` +
        `Your invoices and payments:\n${link}\n`,
      attachmentRefs,
    };
  return {
    to: opts.to,
    subject: `Faktura ${invoice.number} fra ${association}`,
    text:
      `Hei ${invoice.buyer.name},\n\nHer er faktura nr. ${invoice.number} fra ${association}; PDF-en ligger vedlagt.\n\n` +
      `Beløp: ${amount}${invoice.orMore ? ' (eller mer, om du vil)' : ''}\n` +
      `Forfallsdato: ${due}\nKontonummer: ${account}\nKID: ${invoice.kid ?? '–'}\n\n` +
      `Bruk KID når du betaler, så blir betalingen koblet til denne fakturaen.\n\n` +
      `Fakturaene og betalingene dine:\n${link}\n`,
    attachmentRefs,
  };
}

export function creditNoteMessage(
  opts: Common & { creditedNumber: number; reason: string; movedToCreditOre: number },
): EmailMessage {
  const { invoice, association, locale } = opts;
  const link = `${opts.baseUrl}/membership/invoices`;
  const amount = formatNok(-invoice.totalOre, locale);
  const moved = formatNok(opts.movedToCreditOre, locale);
  const attachmentRefs = [{ kind: INVOICE_PDF, id: invoice.id }];
  if (locale === 'en')
    return {
      to: opts.to,
      subject: `Credit note ${invoice.number} from ${association}`,
      text:
        `Hello ${invoice.buyer.name},\n\nInvoice no. ${opts.creditedNumber} has been credited with credit note no. ${invoice.number} (${amount}); the PDF is attached. You do not need to pay the invoice.\n\n` +
        `Reason: ${opts.reason}\n` +
        (opts.movedToCreditOre > 0
          ? `\nWhat you had paid on it, ${moved}, is kept as credit on your account.\n`
          : '') +
        `\nYour invoices and payments:\n${link}\n`,
      attachmentRefs,
    };
  return {
    to: opts.to,
    subject: `Kreditnota ${invoice.number} fra ${association}`,
    text:
      `Hei ${invoice.buyer.name},\n\nFaktura nr. ${opts.creditedNumber} er kreditert med kreditnota nr. ${invoice.number} (${amount}); PDF-en ligger vedlagt. Du skal ikke betale fakturaen.\n\n` +
      `Begrunnelse: ${opts.reason}\n` +
      (opts.movedToCreditOre > 0
        ? `\nDet du hadde betalt, ${moved}, står til gode på kontoen din.\n`
        : '') +
      `\nFakturaene og betalingene dine:\n${link}\n`,
    attachmentRefs,
  };
}
