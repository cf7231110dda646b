import { defineError } from '../../app/errors.js';

export const EnforcementErrors = {
  notFound: defineError('enforcement.not_found', 404, {
    nb: 'Fant ikke kallet.',
    en: 'Enforcement call not found.',
  }),
  notFailed: defineError('enforcement.not_failed', 409, {
    nb: 'Bare kall som har feilet kan prøves på nytt.',
    en: 'Only failed calls can be retried.',
  }),
};
