import { defineError } from '../../app/errors.js';

export const ElectionErrors = {
  notFound: defineError('elections.not_found', 404, {
    nb: 'Fant ikke valget.',
    en: 'Election not found.',
  }),
  candidateNotFound: defineError('elections.candidate_not_found', 404, {
    nb: 'Fant ikke kandidaten.',
    en: 'Candidate not found.',
  }),
  notAgendaElections: defineError('elections.not_elections_item', 400, {
    nb: 'Velg en sak av typen «Valg» på sakslisten.',
    en: 'Choose an agenda item of the kind "Elections".',
  }),
  meetingKind: defineError('elections.meeting_kind', 409, {
    nb: 'Det holdes ikke valg på styremøter.',
    en: 'Elections are not held at board meetings.',
  }),
  standardExists: defineError('elections.standard_exists', 409, {
    nb: 'Møtet har allerede valg. Legg til flere enkeltvis.',
    en: 'The meeting already has elections. Add more one by one.',
  }),
  nominationsClosed: defineError('elections.nominations_closed', 409, {
    nb: 'Nominasjonen er stengt: avstemningen er startet eller valget er avgjort.',
    en: 'Nominations are closed: the vote has started or the election is decided.',
  }),
  notEligible: defineError('elections.not_eligible', 400, {
    nb: '{name} står ikke i manntallet for dette møtet og kan ikke velges.',
    en: '{name} is not on the register of voters for this meeting and cannot stand.',
  }),
  nominatorNotEligible: defineError('elections.nominator_not_eligible', 403, {
    nb: 'Bare medlemmer med stemmerett på møtet kan nominere.',
    en: 'Only members with a vote at the meeting can nominate.',
  }),
  memberNotFound: defineError('elections.member_not_found', 400, {
    nb: 'Fant ikke medlem nr. {number}.',
    en: 'Member no. {number} not found.',
  }),
  alreadyNominated: defineError('elections.already_nominated', 409, {
    nb: '{name} er allerede nominert i dette valget.',
    en: '{name} is already nominated in this election.',
  }),
  notYourNomination: defineError('elections.not_your_nomination', 403, {
    nb: 'Bare den nominerte kan svare på nominasjonen.',
    en: 'Only the nominee can answer the nomination.',
  }),
  cannotWithdraw: defineError('elections.cannot_withdraw', 403, {
    nb: 'Bare kandidaten, den som nominerte, eller møtets ledelse kan trekke nominasjonen.',
    en: 'Only the candidate, the nominator or the meeting officers can withdraw the nomination.',
  }),
  alreadyAnswered: defineError('elections.already_answered', 409, {
    nb: 'Nominasjonen er allerede besvart eller trukket.',
    en: 'The nomination has already been answered or withdrawn.',
  }),
  noCandidates: defineError('elections.no_candidates', 409, {
    nb: 'Valget har ingen kandidater som har takket ja.',
    en: 'The election has no candidates who have accepted.',
  }),
  tooManyForAcclamation: defineError('elections.too_many_for_acclamation', 409, {
    nb: 'Det er flere kandidater ({candidates}) enn plasser ({seats}): valget må avgjøres ved avstemning.',
    en: 'There are more candidates ({candidates}) than seats ({seats}): the election needs a vote.',
  }),
  candidatesNotOnRegister: defineError('elections.candidates_not_on_register', 409, {
    nb: 'Disse kandidatene står ikke i manntallet og må trekkes før avstemningen: {names}.',
    en: 'These candidates are not on the register and must be withdrawn before the vote: {names}.',
  }),
  notVoting: defineError('elections.not_voting', 409, {
    nb: 'Valget har ingen avstemning i gang.',
    en: 'The election has no vote in progress.',
  }),
  notTied: defineError('elections.not_tied', 409, {
    nb: 'Det er ingen stemmelikhet å avgjøre i dette valget.',
    en: 'There is no tie to settle in this election.',
  }),
  decided: defineError('elections.decided', 409, {
    nb: 'Valget er allerede avgjort.',
    en: 'The election has already been decided.',
  }),
  ballotTooMany: defineError('elections.ballot_too_many', 400, {
    nb: 'Du kan krysse av for høyst {seats} kandidater.',
    en: 'You can mark at most {seats} candidates.',
  }),
  ballotDuplicate: defineError('elections.ballot_duplicate', 400, {
    nb: 'Samme kandidat er krysset av flere ganger.',
    en: 'The same candidate is marked more than once.',
  }),
  ballotUnknown: defineError('elections.ballot_unknown', 400, {
    nb: 'Stemmeseddelen nevner noen som ikke stiller til valg.',
    en: 'The ballot names someone who is not standing.',
  }),
  ballotEmpty: defineError('elections.ballot_empty', 400, {
    nb: 'Kryss av for minst én kandidat, eller stem blankt.',
    en: 'Mark at least one candidate, or vote blank.',
  }),
  ballotBlankAndNames: defineError('elections.ballot_blank_and_names', 400, {
    nb: 'En blank stemme kan ikke samtidig ha kandidater krysset av.',
    en: 'A blank vote cannot also have candidates marked.',
  }),
};
