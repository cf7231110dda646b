import { defineError } from '../../app/errors.js';

export const VoteErrors = {
  notOfficer: defineError('votes.not_officer', 403, {
    nb: 'Bare styret, møtelederen og referenten kan gjøre dette.',
    en: 'Only the board, the chair and the secretary can do this.',
  }),
  meetingNotStarted: defineError('votes.meeting_not_started', 409, {
    nb: 'Møtet er ikke åpnet. Innsjekking og stemmegivning åpner når møtet er satt.',
    en: 'The meeting has not been opened. Check-in and voting open when the meeting starts.',
  }),
  meetingTooEarly: defineError('votes.meeting_too_early', 409, {
    nb: 'Møtet kan tidligst åpnes på møtedagen, {date}.',
    en: 'The meeting can be opened on its day at the earliest, {date}.',
  }),
  meetingClosed: defineError('votes.meeting_closed', 409, {
    nb: 'Møtet er avsluttet eller avlyst.',
    en: 'The meeting is closed or cancelled.',
  }),
  registerNotFrozen: defineError('votes.register_not_frozen', 409, {
    nb: 'Manntallet er ikke låst ennå. Lås manntallet før avstemningen åpnes.',
    en: 'The register of voters is not frozen yet. Freeze it before the vote opens.',
  }),
  registerFrozen: defineError('votes.register_frozen', 409, {
    nb: 'Manntallet er allerede låst for dette møtet.',
    en: 'The register of voters is already frozen for this meeting.',
  }),
  registerApproved: defineError('votes.register_approved', 409, {
    nb: 'Manntallet er allerede godkjent.',
    en: 'The register of voters has already been approved.',
  }),
  notOnRegister: defineError('votes.not_on_register', 403, {
    nb: 'Du står ikke i manntallet for dette møtet og har ikke stemmerett. Stemmerett har medlemmer med aktivt og betalt medlemskap som var medlem senest {date}.',
    en: 'You are not on the register of voters for this meeting and have no vote. Members whose membership is active and paid, and who were members on {date} at the latest, have a vote.',
  }),
  memberNotOnRegister: defineError('votes.member_not_on_register', 400, {
    nb: 'Medlem nr. {number} står ikke i manntallet for dette møtet.',
    en: 'Member no. {number} is not on the register of voters for this meeting.',
  }),
  notCheckedIn: defineError('votes.not_checked_in', 409, {
    nb: 'Du er ikke sjekket inn på møtet. Sjekk inn først; bare de som er til stede kan stemme.',
    en: 'You have not checked in to the meeting. Check in first; only those present can vote.',
  }),
  voteNotFound: defineError('votes.vote_not_found', 404, {
    nb: 'Fant ikke avstemningen.',
    en: 'Vote not found.',
  }),
  voteNotOpen: defineError('votes.vote_not_open', 409, {
    nb: 'Avstemningen er ikke åpen. Stemmer tas bare imot mens avstemningen pågår.',
    en: 'The vote is not open. Votes are taken only while the vote is in progress.',
  }),
  voteClosed: defineError('votes.vote_closed', 409, {
    nb: 'Avstemningen er avsluttet. Stemmen din ble ikke registrert.',
    en: 'The vote has closed. Your vote was not recorded.',
  }),
  voteStarted: defineError('votes.vote_started', 409, {
    nb: 'Avstemningen er allerede åpnet; formen kan ikke endres nå.',
    en: 'The vote has already been opened; its form cannot change now.',
  }),
  alreadyVoted: defineError('votes.already_voted', 409, {
    nb: 'Du har allerede stemt i denne avstemningen. Hvert medlem har én stemme.',
    en: 'You have already voted in this vote. Each member has one vote.',
  }),
  invalidChoice: defineError('votes.invalid_choice', 400, {
    nb: 'Velg et av alternativene i avstemningen.',
    en: 'Choose one of the options of the vote.',
  }),
  openVoteHasNoBallots: defineError('votes.open_vote_counts', 409, {
    nb: 'Dette er en åpen avstemning (håndsopprekning): referenten fører inn tallene.',
    en: 'This is an open vote (show of hands): the secretary enters the counts.',
  }),
  countsTooMany: defineError('votes.counts_too_many', 400, {
    nb: 'Det er ført inn {cast} stemmer, men bare {present} stemmeberettigede er til stede.',
    en: '{cast} votes were entered, but only {present} voters are present.',
  }),
  notAMember: defineError('votes.not_a_member', 403, {
    nb: 'Bare medlemmer kan sjekke inn og stemme.',
    en: 'Only members can check in and vote.',
  }),
};
