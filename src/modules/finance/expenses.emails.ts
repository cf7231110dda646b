import { formatDate } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { formatOre } from '../../app/money.js';
import type { EmailMessage } from '../../app/outbox.js';

// The claimant hears of every step of their claim, in their language, plain text.

export type ClaimMailKind =
  'submitted' | 'attested' | 'approved' | 'paid' | 'rejected' | 'returned' | 'series_due';

export type ClaimMail = {
  kind: ClaimMailKind;
  to: string;
  name: string;
  association: string;
  locale: Locale;
  number: number;
  amountOre: number;
  description: string;
  spentOn: string;
  reason?: string | null;
  paidOn?: string | null;
  reference?: string | null;
  payeeAccount?: string | null;
  link: string;
};

function account(digits: string | null | undefined): string {
  if (!digits || digits.length !== 11) return digits ?? '–';
  return `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}`;
}

export function claimMessage(m: ClaimMail): EmailMessage {
  const kr = `kr ${formatOre(m.amountOre, m.locale)}`;
  const d = (date: string) => formatDate(date, m.locale);
  if (m.locale === 'en') {
    const what = `expense claim ${m.number} (${m.description}, ${kr}, ${d(m.spentOn)})`;
    const lines: Record<ClaimMailKind, [string, string]> = {
      submitted: [
        `Expense claim ${m.number} received`,
        `We have received your ${what}. An officer will check (attest) it, and another will approve it; then the treasurer pays it to account ${account(m.payeeAccount)}. You get an email at every step.`,
      ],
      attested: [
        `Expense claim ${m.number} attested`,
        `Your ${what} has been checked and attested. It now waits for approval by another officer.`,
      ],
      approved: [
        `Expense claim ${m.number} approved`,
        `Your ${what} has been approved. The treasurer will pay it to account ${account(m.payeeAccount)}.`,
      ],
      paid: [
        `Expense claim ${m.number} paid`,
        `Your ${what} was paid on ${m.paidOn ? d(m.paidOn) : '–'} to account ${account(m.payeeAccount)}, with the reference ${m.reference ?? '–'}.`,
      ],
      rejected: [
        `Expense claim ${m.number} rejected`,
        `Your ${what} has been rejected.\n\nReason: ${m.reason ?? '–'}\n\nIf you disagree, talk to the board.`,
      ],
      returned: [
        `Expense claim ${m.number} sent back for changes`,
        `Your ${what} has been sent back to you for changes.\n\nWhat to change: ${m.reason ?? '–'}\n\nCorrect it and submit it again from the page below; it is then checked from the start.`,
      ],
      series_due: [
        `Attach the receipt: expense claim ${m.number}`,
        `Your recurring cost "${m.description}" is due for ${d(m.spentOn)}, so expense claim ${m.number} (${kr}) has been created for you. Attach the receipt on the page below: the claim cannot be attested until it has one.`,
      ],
    };
    const [subject, body] = lines[m.kind];
    return {
      to: m.to,
      subject: `${subject} – ${m.association}`,
      text: `Hello ${m.name},\n\n${body}\n\nThe claim and its history:\n\n${m.link}\n`,
    };
  }
  const what = `utlegg ${m.number} (${m.description}, ${kr}, ${d(m.spentOn)})`;
  const lines: Record<ClaimMailKind, [string, string]> = {
    submitted: [
      `Utlegg ${m.number} er mottatt`,
      `Vi har mottatt ${what}. En tillitsvalgt kontrollerer (attesterer) det, en annen godkjenner det, og så betaler kassereren det til konto ${account(m.payeeAccount)}. Du får e-post ved hvert steg.`,
    ],
    attested: [
      `Utlegg ${m.number} er attestert`,
      `${capital(what)} er kontrollert og attestert. Nå venter det på godkjenning av en annen tillitsvalgt.`,
    ],
    approved: [
      `Utlegg ${m.number} er godkjent`,
      `${capital(what)} er godkjent. Kassereren betaler det til konto ${account(m.payeeAccount)}.`,
    ],
    paid: [
      `Utlegg ${m.number} er utbetalt`,
      `${capital(what)} ble utbetalt ${m.paidOn ? d(m.paidOn) : '–'} til konto ${account(m.payeeAccount)}, med referanse ${m.reference ?? '–'}.`,
    ],
    rejected: [
      `Utlegg ${m.number} er avvist`,
      `${capital(what)} er avvist.\n\nBegrunnelse: ${m.reason ?? '–'}\n\nEr du uenig, ta det opp med styret.`,
    ],
    returned: [
      `Utlegg ${m.number} er sendt tilbake for endringer`,
      `${capital(what)} er sendt tilbake til deg for endringer.\n\nDette må endres: ${m.reason ?? '–'}\n\nRett det og send det inn igjen fra siden under; da kontrolleres det på nytt fra begynnelsen.`,
    ],
    series_due: [
      `Legg ved kvitteringen: utlegg ${m.number}`,
      `Den faste utgiften «${m.description}» forfaller ${d(m.spentOn)}, så utlegg ${m.number} (${kr}) er opprettet for deg. Legg ved kvitteringen på siden under: utlegget kan ikke attesteres før det har en.`,
    ],
  };
  const [subject, body] = lines[m.kind];
  return {
    to: m.to,
    subject: `${subject} – ${m.association}`,
    text: `Hei ${m.name},\n\n${body}\n\nUtlegget og historikken:\n\n${m.link}\n`,
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
