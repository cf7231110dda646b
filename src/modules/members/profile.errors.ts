import { defineError } from '../../app/errors.js';

export const ProfileErrors = {
  noMembership: defineError('profile.no_membership', 404, {
    nb: 'Du har ikke noe medlemskap ennå. Søk om medlemskap først.',
    en: 'You have no membership yet. Apply for membership first.',
  }),
  lastAdministrator: defineError('profile.last_administrator', 409, {
    nb: 'Du er den eneste administratoren. Gi en annen person administratortilgang før du sletter kontoen din.',
    en: 'You are the only administrator. Give someone else administrator access before you erase your account.',
  }),
};
