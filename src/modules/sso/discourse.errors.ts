import { defineError } from '../../app/errors.js';

/** What a DiscourseConnect request can be refused for before the gate is asked. */
export const DiscourseErrors = {
  unknownService: defineError('discourse.unknown_service', 404, {
    nb: 'Det finnes ingen tjeneste med DiscourseConnect på denne adressen.',
    en: 'There is no DiscourseConnect service at this address.',
  }),
  badRequest: defineError('discourse.bad_request', 400, {
    nb: 'Innloggingsforespørselen fra forumet er ufullstendig eller ugyldig. Gå tilbake til forumet og prøv å logge inn på nytt.',
    en: 'The login request from the forum is incomplete or invalid. Go back to the forum and try logging in again.',
  }),
  badSignature: defineError('discourse.bad_signature', 403, {
    nb: 'Innloggingsforespørselen fra forumet har feil signatur. Hemmeligheten i forumet og i Allmenning er kanskje ikke den samme.',
    en: 'The login request from the forum has a wrong signature. The secret in the forum and in Allmenning may differ.',
  }),
  foreignReturnUrl: defineError('discourse.foreign_return_url', 400, {
    nb: 'Forespørselen vil sende deg tilbake til en annen adresse enn tjenestens. Den er avvist.',
    en: 'The request would send you back to an address other than the service’s. It has been refused.',
  }),
  nonceUsed: defineError('discourse.nonce_used', 409, {
    nb: 'Denne innloggingsforespørselen er allerede brukt. Gå tilbake til forumet og logg inn på nytt.',
    en: 'This login request has already been used. Go back to the forum and log in again.',
  }),
};
