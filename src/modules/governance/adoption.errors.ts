import { defineError } from '../../app/errors.js';

export const AdoptionErrors = {
  statuteRuleRequired: defineError('adoption.statute_rule_required', 400, {
    nb: 'En endring av vedtektene eller retningslinjene for bruk krever flertallet for vedtektsendringer. Velg «Vedtektsendring» som flertallskrav.',
    en: 'A change of the statutes or the Acceptable Usage Policy needs the majority for statute changes. Choose “Statute change” as the majority.',
  }),
  notAwaitingMerge: defineError('adoption.not_awaiting_merge', 409, {
    nb: 'Dette forslaget venter ikke på å bli innarbeidet for hånd.',
    en: 'This proposal is not waiting to be merged by hand.',
  }),
  notMergedYet: defineError('adoption.not_merged_yet', 409, {
    nb: 'Gjeldende versjon ({version}) ble publisert før møtet vedtok forslaget. Publiser den innarbeidede teksten som ny versjon først.',
    en: 'The current version ({version}) was published before the meeting adopted the proposal. Publish the merged text as a new version first.',
  }),
};
