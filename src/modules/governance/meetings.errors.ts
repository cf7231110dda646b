import { defineError } from '../../app/errors.js';

// Running a meeting: its chair and secretary, closing it, and the founding meeting's
// attendees.

export const MeetingErrors = {
  notInProgress: defineError('meetings.not_in_progress', 409, {
    nb: 'Møtet er ikke i gang. Dette kan bare gjøres mens møtet pågår.',
    en: 'The meeting is not in progress. This can only be done while the meeting runs.',
  }),
  alreadyClosed: defineError('meetings.already_closed', 409, {
    nb: 'Møtet er allerede avsluttet.',
    en: 'The meeting has already been closed.',
  }),
  votesStillOpen: defineError('meetings.votes_still_open', 409, {
    nb: 'Møtet kan ikke avsluttes mens en avstemning er åpen. Avslutt først: {votes}.',
    en: 'The meeting cannot be closed while a vote is open. Close it first: {votes}.',
  }),
  officerNotPresent: defineError('meetings.officer_not_present', 400, {
    nb: 'Møteleder og referent må være til stede på møtet (sjekket inn eller registrert).',
    en: 'The chair and the secretary must be present at the meeting (checked in or registered).',
  }),
  notFounding: defineError('meetings.not_founding', 409, {
    nb: 'Bare stiftelsesmøtet registrerer deltakere på denne måten. På andre møter sjekker medlemmene inn.',
    en: 'Only the founding meeting registers attendees this way. At other meetings members check in.',
  }),
  attendeeRegistered: defineError('meetings.attendee_registered', 409, {
    nb: '{email} er allerede registrert som deltaker på møtet.',
    en: '{email} is already registered as an attendee of the meeting.',
  }),
  attendeeExcluded: defineError('meetings.attendee_excluded', 409, {
    nb: 'Personen med denne e-postadressen er ekskludert fra foreningen og kan ikke registreres.',
    en: 'The person with this email address has been excluded from the association and cannot be registered.',
  }),
  selfRegistrationClosed: defineError('meetings.self_registration_closed', 409, {
    nb: 'Påmeldingen her er stengt. Under et fysisk møte registrerer referenten deltakerne i salen.',
    en: 'Registration here is closed. During a physical meeting the secretary registers attendees in the room.',
  }),
  tooManyRegistrations: defineError('meetings.too_many_registrations', 429, {
    nb: 'For mange påmeldinger fra denne adressen. Vent litt og prøv igjen, eller be referenten registrere deg.',
    en: 'Too many registrations from this address. Wait a while and try again, or ask the secretary to register you.',
  }),
  noMembershipType: defineError('meetings.no_membership_type', 409, {
    nb: 'Foreningen har ingen aktiv medlemstype å registrere deltakerne med.',
    en: 'The association has no active membership type to register attendees with.',
  }),
};
