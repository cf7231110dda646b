import type { Locale } from '../../app/errors.js';
import type { EmailMessage } from '../../app/outbox.js';

// Mail to a member about their access to a service, plain text in their language.

type Common = { to: string; name: string; association: string; locale: Locale };

export function accessGrantedMessage(
  opts: Common & { service: string; url: string; link: string },
): EmailMessage {
  const { name, association, service, url, link } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `You now have access to ${service} – ${association}`,
        text: `Hello ${name},\n\nYou have been given access to ${service}. Log in with your ${association} account at:\n\n${url}\n\nAll your services are listed here:\n\n${link}\n`,
      }
    : {
        to: opts.to,
        subject: `Du har fått tilgang til ${service} – ${association}`,
        text: `Hei ${name},\n\nDu har fått tilgang til ${service}. Logg inn med kontoen din i ${association} her:\n\n${url}\n\nAlle tjenestene dine finner du her:\n\n${link}\n`,
      };
}

export function accessRefusedMessage(
  opts: Common & { service: string; reason: string; link: string },
): EmailMessage {
  const { name, association, service, reason, link } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your request for ${service} was not granted – ${association}`,
        text: `Hello ${name},\n\nYour request for access to ${service} was not granted.\n\nReason:\n${reason}\n\nYour services:\n\n${link}\n`,
      }
    : {
        to: opts.to,
        subject: `Du fikk ikke tilgang til ${service} – ${association}`,
        text: `Hei ${name},\n\nForespørselen din om tilgang til ${service} ble ikke innvilget.\n\nBegrunnelse:\n${reason}\n\nTjenestene dine:\n\n${link}\n`,
      };
}

export function accessWithdrawnMessage(
  opts: Common & { service: string; reason: string; link: string },
): EmailMessage {
  const { name, association, service, reason, link } = opts;
  return opts.locale === 'en'
    ? {
        to: opts.to,
        subject: `Your access to ${service} has been withdrawn – ${association}`,
        text: `Hello ${name},\n\nYour access to ${service} has been withdrawn, and you have been logged out of it.\n\nReason:\n${reason}\n\nYour services:\n\n${link}\n`,
      }
    : {
        to: opts.to,
        subject: `Tilgangen din til ${service} er trukket tilbake – ${association}`,
        text: `Hei ${name},\n\nTilgangen din til ${service} er trukket tilbake, og du er logget ut av tjenesten.\n\nBegrunnelse:\n${reason}\n\nTjenestene dine:\n\n${link}\n`,
      };
}
