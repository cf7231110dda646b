import type { Locale } from '../../app/errors.js';
import type { EmailMessage } from '../../app/outbox.js';

// Email templates in both languages. Plain text: it reads well everywhere.

export function verifyEmailMessage(opts: {
  to: string;
  name: string;
  link: string;
  association: string;
  locale: Locale;
}): EmailMessage {
  const { name, link, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Confirm your email address – ${association}`,
        text: `Hello ${name},\n\nConfirm your email address for ${association} by opening this link:\n\n${link}\n\nThe link works for 48 hours. If you did not create an account, ignore this email.\n`,
      }
    : {
        to: opts.to,
        subject: `Bekreft e-postadressen din – ${association}`,
        text: `Hei ${name},\n\nBekreft e-postadressen din hos ${association} ved å åpne denne lenken:\n\n${link}\n\nLenken virker i 48 timer. Har du ikke opprettet en konto, kan du se bort fra denne e-posten.\n`,
      };
}

export function resetPasswordMessage(opts: {
  to: string;
  name: string;
  link: string;
  association: string;
  locale: Locale;
}): EmailMessage {
  const { name, link, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Reset your password – ${association}`,
        text: `Hello ${name},\n\nSomeone (hopefully you) asked to reset your password at ${association}. Choose a new one here:\n\n${link}\n\nThe link works once, for one hour. If you did not ask for this, ignore this email; your password is unchanged.\n`,
      }
    : {
        to: opts.to,
        subject: `Nytt passord – ${association}`,
        text: `Hei ${name},\n\nNoen (forhåpentlig du) har bedt om nytt passord hos ${association}. Velg et nytt her:\n\n${link}\n\nLenken virker én gang, i én time. Har du ikke bedt om dette, kan du se bort fra e-posten; passordet ditt er uendret.\n`,
      };
}

export function confirmEmailChangeMessage(opts: {
  to: string;
  name: string;
  link: string;
  association: string;
  locale: Locale;
}): EmailMessage {
  const { name, link, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Confirm your new email address – ${association}`,
        text: `Hello ${name},\n\nConfirm that this is your new email address at ${association}:\n\n${link}\n\nThe link works for 48 hours.\n`,
      }
    : {
        to: opts.to,
        subject: `Bekreft ny e-postadresse – ${association}`,
        text: `Hei ${name},\n\nBekreft at dette er din nye e-postadresse hos ${association}:\n\n${link}\n\nLenken virker i 48 timer.\n`,
      };
}

export function emailChangedNoticeMessage(opts: {
  to: string;
  name: string;
  newEmail: string;
  association: string;
  locale: Locale;
}): EmailMessage {
  const { name, newEmail, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your email address was changed – ${association}`,
        text: `Hello ${name},\n\nThe email address of your account at ${association} was changed to ${newEmail}. If you did not do this, contact the board at once.\n`,
      }
    : {
        to: opts.to,
        subject: `E-postadressen din er endret – ${association}`,
        text: `Hei ${name},\n\nE-postadressen på kontoen din hos ${association} er endret til ${newEmail}. Har du ikke gjort dette selv, kontakt styret med en gang.\n`,
      };
}

export function passwordChangedNoticeMessage(opts: {
  to: string;
  name: string;
  association: string;
  locale: Locale;
}): EmailMessage {
  const { name, association } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your password was changed – ${association}`,
        text: `Hello ${name},\n\nThe password of your account at ${association} was just changed, and your other sessions were logged out. If you did not do this, reset your password at once.\n`,
      }
    : {
        to: opts.to,
        subject: `Passordet ditt er endret – ${association}`,
        text: `Hei ${name},\n\nPassordet på kontoen din hos ${association} er nettopp endret, og andre innlogginger er logget ut. Har du ikke gjort dette selv, be om nytt passord med en gang.\n`,
      };
}
