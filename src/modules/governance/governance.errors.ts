import { defineError } from '../../app/errors.js';

export const GovernanceErrors = {
  meetingNotFound: defineError('governance.meeting_not_found', 404, {
    nb: 'Fant ikke møtet.',
    en: 'Meeting not found.',
  }),
  noticeTooShort: defineError('governance.notice_too_short', 400, {
    nb: 'Møtet må kalles inn minst {days} dager i forveien. Tidligste tillatte dato er {earliest}.',
    en: 'The meeting must be called at least {days} days ahead. The earliest allowed date is {earliest}.',
  }),
  dateInPast: defineError('governance.date_in_past', 400, {
    nb: 'Møtet kan ikke legges til en dato som har vært.',
    en: 'The meeting cannot be set on a date that has passed.',
  }),
  meetingNotOpen: defineError('governance.meeting_not_open', 409, {
    nb: 'Møtet er avlyst eller avholdt, og kan ikke endres.',
    en: 'The meeting is cancelled or has been held, and cannot be changed.',
  }),
  agendaItemNotFound: defineError('governance.agenda_item_not_found', 404, {
    nb: 'Fant ikke saken på sakslisten.',
    en: 'Agenda item not found.',
  }),
  agendaItemMandatory: defineError('governance.agenda_item_mandatory', 409, {
    nb: 'Denne saken skal stå på sakslisten etter vedtektene, og kan ikke slettes.',
    en: 'The statutes require this item on the agenda; it cannot be deleted.',
  }),
  agendaOrderFixed: defineError('governance.agenda_order_fixed', 409, {
    nb: 'Vedtektene fastsetter rekkefølgen på de faste sakene. Bare andre saker kan flyttes forbi dem.',
    en: 'The statutes fix the order of the standing items. Only other items can move past them.',
  }),
  proposalsNotTaken: defineError('governance.proposals_not_taken', 409, {
    nb: 'Dette møtet tar ikke imot forslag fra medlemmene.',
    en: 'This meeting does not take proposals from members.',
  }),
  proposalDeadlinePassed: defineError('governance.proposal_deadline_passed', 409, {
    nb: 'Fristen for forslag til dette møtet gikk ut {deadline}. Styret kan bare ta opp et forslag etter fristen ved et eget vedtak; kontakt styret.',
    en: 'The deadline for proposals to this meeting was {deadline}. The board can only take up a proposal after the deadline by a decision of its own; contact the board.',
  }),
  proposalNotFound: defineError('governance.proposal_not_found', 404, {
    nb: 'Fant ikke forslaget.',
    en: 'Proposal not found.',
  }),
  proposalNotYours: defineError('governance.proposal_not_yours', 403, {
    nb: 'Du kan bare endre dine egne forslag.',
    en: 'You can only change your own proposals.',
  }),
  appealNotEditable: defineError('governance.appeal_not_editable', 409, {
    nb: 'Dette er en anke over et modereringsvedtak, og den kan ikke endres eller trekkes som et forslag. Vil du trekke anken, si fra til styret.',
    en: 'This is an appeal of a moderation decision; it cannot be changed or withdrawn as a proposal. To withdraw the appeal, tell the board.',
  }),
  proposalLocked: defineError('governance.proposal_locked', 409, {
    nb: 'Forslaget kan ikke endres lenger: fristen er ute, eller forslaget er trukket.',
    en: 'The proposal can no longer be changed: the deadline has passed, or it was withdrawn.',
  }),
  notAMember: defineError('governance.not_a_member', 403, {
    nb: 'Bare medlemmer kan sende inn forslag.',
    en: 'Only members can submit proposals.',
  }),
  memberNotFound: defineError('governance.member_not_found', 400, {
    nb: 'Fant ikke et medlem med det medlemsnummeret.',
    en: 'No member with that member number.',
  }),
  amendmentUnchanged: defineError('governance.amendment_unchanged', 400, {
    nb: 'Endringsforslaget er likt gjeldende tekst. Skriv inn teksten slik du vil ha den.',
    en: 'The amendment is the same as the current text. Write the text as you want it to be.',
  }),
  documentMissing: defineError('governance.document_missing', 409, {
    nb: 'Foreningen har ikke dette dokumentet ennå.',
    en: 'The association does not have this document yet.',
  }),
};
