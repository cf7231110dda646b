import { defineError, type Translations } from '../../app/errors.js';

// The service catalogue's, access requests' and OIDC clients' errors.

export const ServiceErrors = {
  notFound: defineError('services.not_found', 404, {
    nb: 'Tjenesten finnes ikke.',
    en: 'The service does not exist.',
  }),
  slugTaken: defineError('services.slug_taken', 409, {
    nb: 'Kortnavnet er allerede i bruk av en annen tjeneste.',
    en: 'The short name is already used by another service.',
  }),
  invalid: defineError('services.invalid', 400, {
    nb: 'Noen felt må rettes.',
    en: 'Some fields need correcting.',
  }),
  requestNotAllowed: defineError('services.request_not_allowed', 409, {
    nb: 'Denne tjenesten krever ingen søknad, eller du kan ikke søke om tilgang nå.',
    en: 'This service needs no request, or you cannot request access now.',
  }),
  alreadyRequested: defineError('services.already_requested', 409, {
    nb: 'Du har allerede søkt om tilgang, eller har tilgang.',
    en: 'You have already requested access, or you have it.',
  }),
  noMembership: defineError('services.no_membership', 403, {
    nb: 'Du må være medlem for å søke om tilgang til tjenester.',
    en: 'You need to be a member to request access to services.',
  }),
  accessNotFound: defineError('services.access_not_found', 404, {
    nb: 'Forespørselen finnes ikke.',
    en: 'The request does not exist.',
  }),
  accessChanged: defineError('services.access_changed', 409, {
    nb: 'Forespørselen er allerede behandlet. Last siden på nytt.',
    en: 'The request has already been decided. Reload the page.',
  }),
  memberNotFound: defineError('services.member_not_found', 404, {
    nb: 'Fant ingen aktivt medlem med det nummeret.',
    en: 'No active member has that number.',
  }),
  clientNotFound: defineError('services.client_not_found', 404, {
    nb: 'Klienten finnes ikke.',
    en: 'The client does not exist.',
  }),
  publicClientSecret: defineError('services.public_client_secret', 409, {
    nb: 'En offentlig klient har ingen hemmelighet.',
    en: 'A public client has no secret.',
  }),
};

/** Messages beside single fields, for domain checks that are not zod's. */
export const ServiceFieldMessages: Record<string, Translations> = {
  slugTaken: {
    nb: 'Kortnavnet er allerede i bruk.',
    en: 'The short name is already in use.',
  },
  reasonRequired: {
    nb: 'Skriv en begrunnelse; medlemmet får den på e-post.',
    en: 'Write a reason; the member receives it by email.',
  },
  memberNotFound: {
    nb: 'Fant ingen aktivt medlem med det nummeret.',
    en: 'No active member has that number.',
  },
  connectorTokenRequired: {
    nb: 'Skriv inn API-nøkkelen til tjenesten.',
    en: "Enter the service's API token.",
  },
};
