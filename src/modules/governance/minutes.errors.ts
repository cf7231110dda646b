import { defineError } from '../../app/errors.js';

export const MinutesErrors = {
  notFound: defineError('minutes.not_found', 404, {
    nb: 'Protokollen for dette møtet er ikke publisert.',
    en: 'The minutes of this meeting are not published.',
  }),
  notOfficer: defineError('minutes.not_officer', 403, {
    nb: 'Bare referenten, møtelederen og styret kan skrive og endre protokollen.',
    en: 'Only the secretary, the chair and the board can draft and edit the minutes.',
  }),
  membersOnly: defineError('minutes.members_only', 403, {
    nb: 'Protokollene er bare for medlemmer.',
    en: 'The minutes are for members only.',
  }),
  meetingNotHeld: defineError('minutes.meeting_not_held', 409, {
    nb: 'Protokollen kan skrives når møtet er åpnet eller avsluttet.',
    en: 'The minutes can be drafted once the meeting has opened or closed.',
  }),
  alreadyDrafted: defineError('minutes.already_drafted', 409, {
    nb: 'Møtet har allerede et utkast til protokoll.',
    en: 'The meeting already has draft minutes.',
  }),
  notDraft: defineError('minutes.not_draft', 409, {
    nb: 'Protokollen er sendt til godkjenning og kan ikke endres. Referenten kan sende den tilbake til utkast.',
    en: 'The minutes have been sent for confirmation and cannot be edited. The secretary can send them back to draft.',
  }),
  locked: defineError('minutes.locked', 409, {
    nb: 'Protokollen er godkjent og låst. Den kan aldri endres.',
    en: 'The minutes are confirmed and locked. They can never be edited.',
  }),
  stale: defineError('minutes.stale', 409, {
    nb: 'Noen andre lagret protokollen (versjon {revision}) etter at du åpnet den. Teksten din er ikke lagret, men står i feltet. Sammenlign med den lagrede teksten under, og lagre på nytt.',
    en: 'Someone else saved the minutes (revision {revision}) after you opened them. Your text was not saved but is kept in the field. Compare it with the saved text below and save again.',
  }),
  confirmersNeeded: defineError('minutes.confirmers_needed', 409, {
    nb: 'Velg to som skal godkjenne protokollen før den sendes til godkjenning.',
    en: 'Choose two people to confirm the minutes before sending them for confirmation.',
  }),
  confirmersSame: defineError('minutes.confirmers_same', 400, {
    nb: 'Velg to forskjellige personer.',
    en: 'Choose two different people.',
  }),
  confirmerNotAttendee: defineError('minutes.confirmer_not_attendee', 400, {
    nb: 'Den som godkjenner protokollen, må ha vært til stede på møtet og være medlem.',
    en: 'A confirmer must have attended the meeting and be a member.',
  }),
  notConfirmer: defineError('minutes.not_confirmer', 403, {
    nb: 'Bare de to møtet valgte til å godkjenne protokollen, kan godkjenne den.',
    en: 'Only the two people the meeting chose can confirm the minutes.',
  }),
  notConfirming: defineError('minutes.not_confirming', 409, {
    nb: 'Protokollen er ikke sendt til godkjenning.',
    en: 'The minutes have not been sent for confirmation.',
  }),
  alreadyConfirmed: defineError('minutes.already_confirmed', 409, {
    nb: 'Du har allerede godkjent protokollen.',
    en: 'You have already confirmed the minutes.',
  }),
  revisionChanged: defineError('minutes.revision_changed', 409, {
    nb: 'Protokollen er endret siden du leste den (nå versjon {revision}). Les den gjeldende teksten og godkjenn på nytt.',
    en: 'The minutes have changed since you read them (now revision {revision}). Read the current text and confirm again.',
  }),
};
