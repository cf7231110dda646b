import { defineError } from '../../app/errors.js';

/** Expense claims: submitting, the steps (attest, approve, pay, reject, return), series. */
export const ExpenseErrors = {
  notActiveMember: defineError('expenses.not_active_member', 403, {
    nb: 'Bare medlemmer med aktivt medlemskap kan sende inn utlegg.',
    en: 'Only members with an active membership can submit expense claims.',
  }),
  notFound: defineError('expenses.not_found', 404, {
    nb: 'Utlegget finnes ikke.',
    en: 'The expense claim does not exist.',
  }),
  receiptMissing: defineError('expenses.receipt_missing', 400, {
    nb: 'Legg ved kvitteringen (PDF, JPEG eller PNG).',
    en: 'Attach the receipt (PDF, JPEG or PNG).',
  }),
  receiptTooLarge: defineError('expenses.receipt_too_large', 400, {
    nb: 'Kvitteringen er for stor: høyst 10 MB.',
    en: 'The receipt is too large: at most 10 MB.',
  }),
  receiptType: defineError('expenses.receipt_type', 400, {
    nb: 'Kvitteringen må være en PDF, JPEG eller PNG. Filen er ingen av delene (innholdet avgjør, ikke filnavnet).',
    en: 'The receipt must be a PDF, JPEG or PNG. The file is none of these (its content decides, not its name).',
  }),
  ownClaim: defineError('expenses.own_claim', 403, {
    nb: 'Du kan ikke attestere, godkjenne, avvise eller sende tilbake ditt eget utlegg. En annen tillitsvalgt må gjøre det.',
    en: 'You cannot attest, approve, reject or return your own expense claim. Another officer must do it.',
  }),
  attesterCannotApprove: defineError('expenses.attester_cannot_approve', 403, {
    nb: 'Du attesterte dette utlegget, og kan derfor ikke også godkjenne det. Godkjenningen må gjøres av en annen (to-personsregelen).',
    en: 'You attested this claim, so you cannot also approve it. Another person must approve it (the two-person rule).',
  }),
  wrongStatus: defineError('expenses.wrong_status', 409, {
    nb: 'Utlegg {number} har status «{status}», og det kan ikke gjøres nå.',
    en: 'Expense claim {number} has the status "{status}"; that cannot be done now.',
  }),
  changedMeanwhile: defineError('expenses.changed_meanwhile', 409, {
    nb: 'Noen andre behandlet utlegg {number} i mellomtiden; det har nå status «{status}». Ingenting er endret av deg.',
    en: 'Someone else acted on expense claim {number} meanwhile; its status is now "{status}". Nothing was changed by you.',
  }),
  alreadyPaid: defineError('expenses.already_paid', 409, {
    nb: 'Utlegg {number} er allerede utbetalt ({paidOn}, referanse {reference}). Det betales ikke to ganger.',
    en: 'Expense claim {number} has already been paid ({paidOn}, reference {reference}). It is not paid twice.',
  }),
  receiptRequired: defineError('expenses.receipt_required', 409, {
    nb: 'Utlegg {number} har ingen kvittering ennå. Det kan ikke attesteres før medlemmet har lagt ved kvitteringen.',
    en: 'Expense claim {number} has no receipt yet. It cannot be attested until the member has attached it.',
  }),
  seriesNotFound: defineError('expenses.series_not_found', 404, {
    nb: 'Den faste utgiften finnes ikke.',
    en: 'The recurring cost does not exist.',
  }),
};
