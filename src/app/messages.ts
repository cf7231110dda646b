import * as common from './common.messages.js';
import * as association from '../modules/association/association.messages.js';
import * as accounts from '../modules/accounts/accounts.messages.js';

/**
 * All interface text, merged from each domain's `*.messages.ts`. Add a domain's
 * dictionaries here; the `en` side is typed to have every key `nb` has.
 */
export const dictionaries = {
  nb: { ...common.nb, ...association.nb, ...accounts.nb },
  en: { ...common.en, ...association.en, ...accounts.en },
};
