import { formatDate } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { formatOre } from '../../app/money.js';
import type { EmailMessage } from '../../app/outbox.js';
import { formatBankAccount } from './invoice-format.js';

// Reminder and lapse emails in both languages, plain text like the membership emails.

type Common = { to: string; name: string; association: string; locale: Locale };

const kr = (ore: number, locale: Locale) => `kr ${formatOre(ore, locale)}`;

export type ReminderMail = Common & {
  sequence: number;
  invoiceNumber: number;
  dueDate: string;
  outstandingOre: number;
  kid: string | null;
  bankAccount: string | null;
  payBy: string;
  isDues: boolean;
  fee: { ore: number; invoiceNumber: number; kid: string | null; dueDate: string } | null;
  link: string;
};

export function reminderMessage(m: ReminderMail): EmailMessage {
  const { locale } = m;
  const d = (date: string) => formatDate(date, locale);
  if (locale === 'en') {
    const which = m.sequence === 1 ? 'Reminder' : 'Second reminder';
    const fee = m.fee
      ? `\nA reminder fee of ${kr(m.fee.ore, locale)} has been charged as invoice ${m.fee.invoiceNumber} (KID ${m.fee.kid ?? '–'}, due ${d(m.fee.dueDate)}); please pay it separately with its own KID.\n`
      : '';
    const dues = m.isDues
      ? '\nA membership stays active only while its dues are paid; a payment received after a lapse makes it active again.\n'
      : '';
    return {
      to: m.to,
      subject: `${which}: invoice ${m.invoiceNumber} – ${m.association}`,
      text: `Hello ${m.name},\n\nWe have not received full payment of invoice ${m.invoiceNumber}, which was due on ${d(m.dueDate)}.\n\nAmount to pay: ${kr(m.outstandingOre, locale)}\nAccount: ${formatBankAccount(m.bankAccount)}\nKID: ${m.kid ?? '–'}\n\nPlease pay by ${d(m.payBy)}. If you have paid in the meantime, please disregard this reminder.\n${fee}${dues}\nYour invoices and payments:\n\n${m.link}\n`,
    };
  }
  const which = m.sequence === 1 ? 'Påminnelse' : '2. påminnelse';
  const fee = m.fee
    ? `\nDet er lagt til et purregebyr på ${kr(m.fee.ore, locale)} som faktura ${m.fee.invoiceNumber} (KID ${m.fee.kid ?? '–'}, forfall ${d(m.fee.dueDate)}). Betal det for seg, med sin egen KID.\n`
    : '';
  const dues = m.isDues
    ? '\nMedlemskapet er aktivt bare når kontingenten er betalt; kommer betalingen etter at det har løpt ut, blir det aktivt igjen.\n'
    : '';
  return {
    to: m.to,
    subject: `${which}: faktura ${m.invoiceNumber} – ${m.association}`,
    text: `Hei ${m.name},\n\nVi har ikke mottatt full betaling av faktura ${m.invoiceNumber}, som forfalt ${d(m.dueDate)}.\n\nÅ betale: ${kr(m.outstandingOre, locale)}\nKontonummer: ${formatBankAccount(m.bankAccount)}\nKID: ${m.kid ?? '–'}\n\nBetal innen ${d(m.payBy)}. Har du betalt i mellomtiden, kan du se bort fra denne påminnelsen.\n${fee}${dues}\nFakturaene og betalingene dine:\n\n${m.link}\n`,
  };
}

export type LapseMail = Common & {
  invoiceNumber: number;
  dueDate: string;
  outstandingOre: number;
  kid: string | null;
  bankAccount: string | null;
  link: string;
};

/** The membership lapsed because the year's dues are unpaid past due date and grace. */
export function lapsedMessage(m: LapseMail): EmailMessage {
  const { locale } = m;
  const d = (date: string) => formatDate(date, locale);
  if (locale === 'en') {
    return {
      to: m.to,
      subject: `Your membership has lapsed – ${m.association}`,
      text: `Hello ${m.name},\n\nYour membership of ${m.association} has lapsed, because dues invoice ${m.invoiceNumber} (due ${d(m.dueDate)}) has not been paid. While the membership is lapsed, your access to the association's services is closed.\n\nPay ${kr(m.outstandingOre, locale)} to account ${formatBankAccount(m.bankAccount)} with KID ${m.kid ?? '–'}, and the membership becomes active again when the payment is registered.\n\nYour invoices:\n\n${m.link}\n\nIf you believe this is a mistake, reply to the treasurer.\n`,
    };
  }
  return {
    to: m.to,
    subject: `Medlemskapet ditt har løpt ut – ${m.association}`,
    text: `Hei ${m.name},\n\nMedlemskapet ditt i ${m.association} har løpt ut, fordi kontingentfaktura ${m.invoiceNumber} (forfall ${d(m.dueDate)}) ikke er betalt. Så lenge medlemskapet er utløpt, er tilgangen til foreningens tjenester stengt.\n\nBetal ${kr(m.outstandingOre, locale)} til konto ${formatBankAccount(m.bankAccount)} med KID ${m.kid ?? '–'}, så blir medlemskapet aktivt igjen når betalingen er registrert.\n\nFakturaene dine:\n\n${m.link}\n\nTror du dette er feil, svar kassereren.\n`,
  };
}

/** The reason recorded with the status change (the member sees it). */
export function lapseReason(invoiceNumber: number, locale: Locale): string {
  return locale === 'en'
    ? `unpaid dues invoice ${invoiceNumber}`
    : `ubetalt kontingentfaktura ${invoiceNumber}`;
}

/** The description of a reminder-fee invoice's one line. */
export function reminderFeeLine(invoiceNumber: number, sequence: number, locale: Locale): string {
  return locale === 'en'
    ? `Reminder fee (reminder ${sequence}) for invoice ${invoiceNumber}`
    : `Purregebyr (${sequence}. påminnelse) for faktura ${invoiceNumber}`;
}
