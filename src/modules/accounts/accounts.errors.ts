import { defineError } from '../../app/errors.js';

export const AccountErrors = {
  emailTaken: defineError('accounts.email_taken', 409, {
    nb: 'Det finnes allerede en konto med denne e-postadressen.',
    en: 'An account with this email address already exists.',
  }),
  handleTaken: defineError('accounts.handle_taken', 409, {
    nb: 'Brukernavnet er opptatt.',
    en: 'That username is taken.',
  }),
  invalidCredentials: defineError('accounts.invalid_credentials', 401, {
    nb: 'Feil e-postadresse eller passord.',
    en: 'Wrong email address or password.',
  }),
  rateLimited: defineError('accounts.rate_limited', 429, {
    nb: 'For mange mislykkede innlogginger. Vent {minutes} minutter og prøv igjen, eller be om nytt passord.',
    en: 'Too many failed logins. Wait {minutes} minutes and try again, or reset your password.',
  }),
  emailNotVerified: defineError('accounts.email_not_verified', 403, {
    nb: 'Du må bekrefte e-postadressen din først. Vi har sendt deg en ny lenke.',
    en: 'You need to confirm your email address first. We have sent you a new link.',
  }),
  tokenInvalid: defineError('accounts.token_invalid', 400, {
    nb: 'Lenken er ugyldig, utløpt eller allerede brukt. Be om en ny.',
    en: 'The link is invalid, has expired or has already been used. Ask for a new one.',
  }),
  wrongPassword: defineError('accounts.wrong_password', 400, {
    nb: 'Nåværende passord er feil.',
    en: 'The current password is wrong.',
  }),
};
