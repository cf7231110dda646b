import { defineError } from '../../app/errors.js';

export const AssociationErrors = {
  alreadySetUp: defineError('association.already_set_up', 409, {
    nb: 'Foreningen er allerede satt opp.',
    en: 'The association has already been set up.',
  }),
  documentNotFound: defineError('association.document_not_found', 404, {
    nb: 'Fant ikke dokumentet.',
    en: 'Document not found.',
  }),
};
