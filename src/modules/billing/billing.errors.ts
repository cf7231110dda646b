import { AppError, defineError } from '../../app/errors.js';

export const BillingErrors = {
  kidTooLong: defineError('billing.kid_too_long', 409, {
    nb: 'Medlemsnummer {memberNumber} eller fakturanummer {invoiceNumber} får ikke plass i KID-en. Øk antall siffer i innstillingene.',
    en: 'Member number {memberNumber} or invoice number {invoiceNumber} does not fit in the KID. Increase the number of digits in the settings.',
  }),
  noBankAccount: defineError('billing.no_bank_account', 409, {
    nb: 'Legg inn foreningens kontonummer i innstillingene for kontingent før du lager fakturaer.',
    en: "Enter the association's bank account in the billing settings before issuing invoices.",
  }),
  invoiceNotFound: defineError('billing.invoice_not_found', 404, {
    nb: 'Fant ikke fakturaen.',
    en: 'Invoice not found.',
  }),
  alreadyCredited: defineError('billing.already_credited', 409, {
    nb: 'Faktura {number} er allerede kreditert.',
    en: 'Invoice {number} has already been credited.',
  }),
  notAnInvoice: defineError('billing.not_an_invoice', 409, {
    nb: 'En kreditnota kan ikke krediteres.',
    en: 'A credit note cannot be credited.',
  }),
  emptyInvoice: defineError('billing.empty_invoice', 400, {
    nb: 'En faktura må ha minst én linje med et beløp over null.',
    en: 'An invoice needs at least one line with an amount above zero.',
  }),
};

/** Fee schedule, settings, invoices and dues runs (helper G). */
export const InvoiceErrors = {
  settingsInvalid: defineError('billing.settings_invalid', 400, {
    nb: 'Noen innstillinger må rettes.',
    en: 'Some settings need correcting.',
  }),
  feeYearInvalid: defineError('billing.fee_year_invalid', 400, {
    nb: 'Ugyldig år.',
    en: 'Invalid year.',
  }),
  membershipTypeNotFound: defineError('billing.membership_type_not_found', 404, {
    nb: 'Fant ikke medlemskapstypen.',
    en: 'Membership type not found.',
  }),
  feesInvalid: defineError('billing.fees_invalid', 400, {
    nb: 'Noen av kontingentdelene må rettes.',
    en: 'Some of the fee components need correcting.',
  }),
  copyTargetNotEmpty: defineError('billing.copy_target_not_empty', 409, {
    nb: 'Det finnes allerede kontingentsatser for {year}. Endre dem der i stedet.',
    en: 'There is already a fee schedule for {year}. Edit it there instead.',
  }),
  copySourceEmpty: defineError('billing.copy_source_empty', 409, {
    nb: 'Det finnes ingen kontingentsatser for {year} å kopiere.',
    en: 'There is no fee schedule for {year} to copy.',
  }),
  forbiddenInvoice: defineError('billing.invoice_forbidden', 403, {
    nb: 'Du har ikke tilgang til denne fakturaen.',
    en: 'You do not have access to this invoice.',
  }),
  reasonRequired: defineError('billing.credit_reason_required', 400, {
    nb: 'Skriv hvorfor fakturaen krediteres.',
    en: 'Say why the invoice is credited.',
  }),
  noFeesForYear: defineError('billing.no_fees_for_year', 409, {
    nb: 'Det finnes ingen kontingentsatser for {year}. Legg dem inn under Kontingentsatser før du fakturerer.',
    en: 'There is no fee schedule for {year}. Set the fees before running the dues.',
  }),
  duesRunRunning: defineError('billing.dues_run_running', 409, {
    nb: 'Kontingentkjøringen for {year} pågår allerede. Vent til den er ferdig.',
    en: 'The dues run for {year} is already in progress. Wait until it has finished.',
  }),
  memberNotFound: defineError('billing.member_not_found', 404, {
    nb: 'Fant ikke medlemmet.',
    en: 'Member not found.',
  }),
  duesRunNotFound: defineError('billing.dues_run_not_found', 404, {
    nb: 'Fant ikke kontingentkjøringen.',
    en: 'Dues run not found.',
  }),
};

/** Payments: registration, bank imports, the queue (helper H). */
export const PaymentErrors = {
  noFile: defineError('billing.payments.no_file', 400, {
    nb: 'Velg en bankfil (OCR giro eller camt.053/camt.054) å laste opp.',
    en: 'Choose a bank file (OCR giro or camt.053/camt.054) to upload.',
  }),
  fileChanged: defineError('billing.payments.file_changed', 409, {
    nb: 'Dette er ikke den samme filen som ble sjekket. Sjekk filen på nytt før du importerer den.',
    en: 'This is not the same file that was checked. Check the file again before importing it.',
  }),
  concurrentImport: defineError('billing.payments.concurrent_import', 409, {
    nb: 'En annen import med de samme betalingene pågår akkurat nå. Ingenting er importert; prøv igjen om litt.',
    en: 'Another import with the same payments is running right now. Nothing was imported; try again shortly.',
  }),
  paymentNotFound: defineError('billing.payments.not_found', 404, {
    nb: 'Fant ikke betalingen.',
    en: 'Payment not found.',
  }),
  alreadyRegisteredInvoice: defineError('billing.payments.already_registered', 409, {
    nb: 'Denne betalingen er allerede registrert: {amount} kr den {date} på faktura {number}. Er det en ny betaling, skriv en referanse som skiller de to.',
    en: 'This payment has already been registered: NOK {amount} on {date} for invoice {number}. If it is another payment, enter a reference that tells the two apart.',
  }),
  alreadyRegisteredMember: defineError('billing.payments.already_registered', 409, {
    nb: 'Denne betalingen er allerede registrert: {amount} kr den {date} for medlem {number}. Er det en ny betaling, skriv en referanse som skiller de to.',
    en: 'This payment has already been registered: NOK {amount} on {date} for member {number}. If it is another payment, enter a reference that tells the two apart.',
  }),
  invoiceCredited: defineError('billing.payments.invoice_credited', 409, {
    nb: 'Faktura {number} er kreditert og kan ikke betales. Registrer beløpet som tilgodehavende på medlemmet i stedet: fyll inn medlemsnummer {memberNumber} og la faktura og KID stå tomme.',
    en: 'Invoice {number} has been credited and cannot be paid. Register the amount as credit on the member instead: enter member number {memberNumber} and leave invoice and KID empty.',
  }),
  creditNote: defineError('billing.payments.credit_note', 409, {
    nb: 'Nummer {number} er en kreditnota, ikke en faktura.',
    en: 'Number {number} is a credit note, not an invoice.',
  }),
  invoiceNotFound: defineError('billing.payments.invoice_not_found', 404, {
    nb: 'Fant ingen faktura med nummer {number}.',
    en: 'There is no invoice number {number}.',
  }),
  kidCheckDigit: defineError('billing.payments.kid_check_digit', 400, {
    nb: 'KID-en {kid} har feil kontrollsiffer. Sjekk at den er skrevet av riktig.',
    en: 'The KID {kid} has a wrong check digit. Check that it was copied correctly.',
  }),
  kidUnknown: defineError('billing.payments.kid_unknown', 404, {
    nb: 'Ingen faktura har KID {kid}.',
    en: 'No invoice has the KID {kid}.',
  }),
  memberNotFound: defineError('billing.payments.member_not_found', 404, {
    nb: 'Fant ikke medlem nummer {number}.',
    en: 'There is no member number {number}.',
  }),
  alreadyHandled: defineError('billing.payments.already_handled', 409, {
    nb: 'Betalingen er allerede behandlet av noen andre. Last siden på nytt.',
    en: 'Someone else has already handled this payment. Reload the page.',
  }),
  notSetAside: defineError('billing.payments.not_set_aside', 409, {
    nb: 'Betalingen er ikke satt til side (lenger). Last siden på nytt.',
    en: 'The payment is not (or no longer) set aside. Reload the page.',
  }),
  notReversible: defineError('billing.payments.not_reversible', 409, {
    nb: 'Bare en avstemt innbetaling kan registreres som tilbakeført av banken.',
    en: 'Only a matched incoming payment can be registered as returned by the bank.',
  }),
  alreadyReversed: defineError('billing.payments.already_reversed', 409, {
    nb: 'Denne betalingen er allerede tilbakeført.',
    en: 'This payment has already been reversed.',
  }),
  reversalBeforePayment: defineError('billing.payments.reversal_before_payment', 400, {
    nb: 'Tilbakeføringen kan ikke være bokført før betalingen ({date}).',
    en: 'The reversal cannot be booked before the payment ({date}).',
  }),
  nothingToReverse: defineError('billing.payments.nothing_to_reverse', 409, {
    nb: 'Fant ingen betaling på {amount} kr her som kan tilbakeføres.',
    en: 'There is no payment of NOK {amount} here that can be reversed.',
  }),
};

/**
 * A refused bank file as an AppError: the file reader's code (`bank_file.<code>`), and a
 * message that says nothing was imported, then where and why.
 */
export function bankFileRefused(err: {
  code: string;
  location: string;
  messages: { nb: string; en: string };
}): AppError {
  return new AppError({
    code: `bank_file.${err.code}`,
    status: 400,
    messages: {
      nb: `Filen ble avvist, og ingenting fra den er importert. ${err.messages.nb}`,
      en: `The file was refused and nothing from it was imported. ${err.messages.en}`,
    },
    params: { location: err.location },
  });
}
