import { defineError } from '../../app/errors.js';

export const AdminErrors = {
  outboxNotFound: defineError('admin.outbox_not_found', 404, {
    nb: 'Fant ikke e-posten.',
    en: 'Email not found.',
  }),
  notRetryable: defineError('admin.outbox_not_retryable', 409, {
    nb: 'Bare e-post som har feilet eller holdes tilbake, kan sendes på nytt.',
    en: 'Only failed or held email can be retried.',
  }),
  tokenNotFound: defineError('admin.token_not_found', 404, {
    nb: 'Fant ikke API-nøkkelen.',
    en: 'API token not found.',
  }),
  ownerNotFound: defineError('admin.token_owner_not_found', 400, {
    nb: 'Fant ingen bruker med denne e-postadressen eller dette brukernavnet.',
    en: 'No user has this email address or username.',
  }),
  ownerForbidden: defineError('admin.token_owner_forbidden', 403, {
    nb: 'Bare en administrator kan lage API-nøkler for andre brukere.',
    en: 'Only an administrator can create API tokens for other users.',
  }),
};
