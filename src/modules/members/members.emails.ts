import type { Locale } from '../../app/errors.js';
import type { EmailMessage } from '../../app/outbox.js';
import type { MemberStatus } from './members.tables.js';
import { en, nb } from './members.messages.js';

// Membership emails in both languages, plain text like the account emails.

type Common = { to: string; name: string; association: string; locale: Locale };

function statusLabel(status: MemberStatus, locale: Locale): string {
  return (locale === 'en' ? en : nb)[`members.status.${status}`];
}

export function applicationReceivedMessage(opts: Common): EmailMessage {
  const { name, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `We have received your application – ${association}`,
        text: `Hello ${name},\n\nThank you for applying for membership of ${association}. The board will consider your application, and you will hear from us when it has been decided.\n`,
      }
    : {
        to: opts.to,
        subject: `Vi har mottatt søknaden din – ${association}`,
        text: `Hei ${name},\n\nTakk for at du søker medlemskap i ${association}. Styret behandler søknaden, og du hører fra oss når den er avgjort.\n`,
      };
}

export function applicationApprovedMessage(
  opts: Common & { memberNumber: number; link: string },
): EmailMessage {
  const { name, association, memberNumber, link } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Welcome as a member – ${association}`,
        text: `Hello ${name},\n\nYour membership of ${association} is now active. Your member number is ${memberNumber}.\n\nSee your membership here:\n\n${link}\n`,
      }
    : {
        to: opts.to,
        subject: `Velkommen som medlem – ${association}`,
        text: `Hei ${name},\n\nMedlemskapet ditt i ${association} er nå aktivt. Medlemsnummeret ditt er ${memberNumber}.\n\nSe medlemskapet ditt her:\n\n${link}\n`,
      };
}

export function applicationRefusedMessage(opts: Common & { reason: string }): EmailMessage {
  const { name, association, reason } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your application was not approved – ${association}`,
        text: `Hello ${name},\n\nThe board of ${association} has not approved your application for membership.\n\nReason given by the board:\n${reason}\n\nIf you have questions, reply to the board.\n`,
      }
    : {
        to: opts.to,
        subject: `Søknaden din ble ikke innvilget – ${association}`,
        text: `Hei ${name},\n\nStyret i ${association} har ikke innvilget søknaden din om medlemskap.\n\nStyrets begrunnelse:\n${reason}\n\nHar du spørsmål, ta kontakt med styret.\n`,
      };
}

export function resignationConfirmedMessage(opts: Common): EmailMessage {
  const { name, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your resignation is confirmed – ${association}`,
        text: `Hello ${name},\n\nWe confirm that you have resigned your membership of ${association}. Thank you for the time you were with us. You are welcome to apply again later.\n`,
      }
    : {
        to: opts.to,
        subject: `Utmeldingen din er bekreftet – ${association}`,
        text: `Hei ${name},\n\nVi bekrefter at du har meldt deg ut av ${association}. Takk for tiden du var med. Du er velkommen til å søke igjen senere.\n`,
      };
}

/** A change the board made on the member page (suspension, exclusion, lapse, reinstatement …). */
export function statusChangedMessage(
  opts: Common & { status: MemberStatus; reason: string | null },
): EmailMessage {
  const { name, association, reason } = opts;
  const status = statusLabel(opts.status, opts.locale);
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your membership status has changed – ${association}`,
        text: `Hello ${name},\n\nThe board of ${association} has changed the status of your membership to: ${status}.\n${reason ? `\nReason given by the board:\n${reason}\n` : ''}\nIf you disagree, you may ask the board to hear you, and appeal to the general assembly.\n`,
      }
    : {
        to: opts.to,
        subject: `Medlemsstatusen din er endret – ${association}`,
        text: `Hei ${name},\n\nStyret i ${association} har endret statusen på medlemskapet ditt til: ${status}.\n${reason ? `\nStyrets begrunnelse:\n${reason}\n` : ''}\nEr du uenig, kan du be styret om å bli hørt og klage til generalforsamlingen.\n`,
      };
}
