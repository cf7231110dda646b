import { defineError } from '../../app/errors.js';

export const ProxyErrors = {
  disabled: defineError('proxies.disabled', 409, {
    nb: 'Foreningen tillater ikke fullmakter. Styret kan slå dem på under reglene for møter.',
    en: 'The association does not allow proxies. The board can turn them on in the meeting rules.',
  }),
  registerNotFrozen: defineError('proxies.register_not_frozen', 409, {
    nb: 'Manntallet for møtet er ikke låst ennå. Fullmakter kan gis når manntallet er låst.',
    en: 'The register of voters for this meeting is not frozen yet. Proxies can be given once it is.',
  }),
  holderNotOnRegister: defineError('proxies.holder_not_on_register', 400, {
    nb: 'Medlem nr. {number} står ikke i manntallet for dette møtet og kan ikke ha fullmakt.',
    en: 'Member no. {number} is not on the register of voters for this meeting and cannot hold a proxy.',
  }),
  toSelf: defineError('proxies.to_self', 400, {
    nb: 'Du kan ikke gi fullmakt til deg selv.',
    en: 'You cannot give a proxy to yourself.',
  }),
  grantorPresent: defineError('proxies.grantor_present', 409, {
    nb: '{name} er sjekket inn på møtet og stemmer selv. Fullmakt gis av den som ikke er til stede.',
    en: '{name} has checked in to the meeting and votes in person. A proxy is given by someone who is not there.',
  }),
  alreadyGiven: defineError('proxies.already_given', 409, {
    nb: '{name} har allerede gitt fullmakt til {holder} for dette møtet. Trekk den tilbake før du gir en ny.',
    en: '{name} has already given a proxy to {holder} for this meeting. Revoke it before giving a new one.',
  }),
  grantorHolds: defineError('proxies.grantor_holds', 409, {
    nb: '{name} har fullmakt fra andre på dette møtet og kan ikke samtidig gi fullmakt.',
    en: '{name} holds proxies from others at this meeting and cannot give a proxy at the same time.',
  }),
  holderGave: defineError('proxies.holder_gave', 409, {
    nb: '{name} har selv gitt fullmakt for dette møtet og kan ikke ha fullmakt fra andre.',
    en: '{name} has given a proxy for this meeting and cannot hold proxies from others.',
  }),
  overCap: defineError('proxies.over_cap', 409, {
    nb: '{name} har allerede {cap} fullmakt(er), som er det høyeste en person kan ha.',
    en: '{name} already holds {cap} prox(ies), the most one person may hold.',
  }),
  noProxy: defineError('proxies.no_proxy', 404, {
    nb: 'Fant ingen gjeldende fullmakt.',
    en: 'No proxy in force was found.',
  }),
  notHeld: defineError('proxies.not_held', 403, {
    nb: 'Du har ingen gjeldende fullmakt fra dette medlemmet på dette møtet.',
    en: 'You hold no proxy in force from this member at this meeting.',
  }),
  alreadyVotedFor: defineError('proxies.already_voted_for', 409, {
    nb: 'Det er allerede stemt for dette medlemmet i denne avstemningen. Hvert medlem har én stemme.',
    en: 'A vote has already been cast for this member in this vote. Each member has one vote.',
  }),
};
