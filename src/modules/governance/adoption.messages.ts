export const nb = {
  'governance.proposal_kind.appeal': 'Anke over modereringsvedtak',
  'adoption.note': 'Vedtatt av {meeting} {date}, forslag {number}: {title}',
  'adoption.appeal_note.upheld': '{meeting}, forslag {number}: anken ble tatt til følge.',
  'adoption.appeal_note.rejected': '{meeting}, forslag {number}: anken ble forkastet.',
  'adoption.outcome.title': 'Utfall',
  'adoption.outcome.adopted': 'Vedtatt av møtet.',
  'adoption.outcome.rejected': 'Ikke vedtatt.',
  'adoption.applied.statutes': 'Endringen gjelder: den er vedtektenes versjon {version}.',
  'adoption.applied.aup':
    'Endringen gjelder: den er versjon {version} av retningslinjene for bruk.',
  'adoption.see_changes': 'Se endringene',
  'adoption.needs_merge.base_changed':
    'Ikke innarbeidet automatisk: teksten forslaget endret (versjon {base}) gjaldt ikke lenger da forslaget ble vedtatt (nå versjon {current}), fordi en annen endring ble vedtatt først. Styret innarbeider endringen for hånd og publiserer en ny versjon.',
  'adoption.needs_merge.other_language':
    'Ikke innarbeidet automatisk: forslaget er skrevet mot den engelske teksten, og den norske teksten (som gjelder) må endres for hånd. Styret publiserer en ny versjon.',
  'adoption.needs_merge.no_base':
    'Ikke innarbeidet automatisk: forslaget har ingen tekst å endre. Styret innarbeider endringen for hånd.',
  'adoption.merge.publish': 'Publiser en ny versjon',
  'adoption.merge.mark': 'Den nye versjonen med endringen er publisert',
  'adoption.merge.done': 'Registrert: endringen er innarbeidet.',
  'adoption.appeal.upheld': 'Generalforsamlingen tok anken til følge; vedtaket er opphevet.',
  'adoption.appeal.rejected': 'Generalforsamlingen forkastet anken; vedtaket står.',
};

export const en: Record<keyof typeof nb, string> = {
  'governance.proposal_kind.appeal': 'Appeal of a moderation decision',
  'adoption.note': 'Adopted by {meeting} on {date}, proposal {number}: {title}',
  'adoption.appeal_note.upheld': '{meeting}, proposal {number}: the appeal was upheld.',
  'adoption.appeal_note.rejected': '{meeting}, proposal {number}: the appeal was rejected.',
  'adoption.outcome.title': 'Outcome',
  'adoption.outcome.adopted': 'Adopted by the meeting.',
  'adoption.outcome.rejected': 'Not adopted.',
  'adoption.applied.statutes': 'The change is in force: it is version {version} of the statutes.',
  'adoption.applied.aup':
    'The change is in force: it is version {version} of the Acceptable Usage Policy.',
  'adoption.see_changes': 'See the changes',
  'adoption.needs_merge.base_changed':
    'Not applied automatically: the text the proposal changed (version {base}) was no longer current when it was adopted (now version {current}), because another change was adopted first. The board merges the change by hand and publishes a new version.',
  'adoption.needs_merge.other_language':
    'Not applied automatically: the proposal was written against the English text, and the Norwegian text (which is authoritative) must be changed by hand. The board publishes a new version.',
  'adoption.needs_merge.no_base':
    'Not applied automatically: the proposal has no text to change. The board merges the change by hand.',
  'adoption.merge.publish': 'Publish a new version',
  'adoption.merge.mark': 'The new version with the change is published',
  'adoption.merge.done': 'Recorded: the change is merged.',
  'adoption.appeal.upheld': 'The general assembly upheld the appeal; the decision is reversed.',
  'adoption.appeal.rejected': 'The general assembly rejected the appeal; the decision stands.',
};
