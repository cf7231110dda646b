import { defineError } from '../../app/errors.js';

// Decisions, urgent suspensions and appeals. The messages are what the moderator or
// the member reads beside the form.
export const DecisionErrors = {
  caseNotFound: defineError('moderation.case_not_found', 404, {
    nb: 'Saken finnes ikke.',
    en: 'The case does not exist.',
  }),
  decisionNotFound: defineError('moderation.decision_not_found', 404, {
    nb: 'Vedtaket finnes ikke.',
    en: 'The decision does not exist.',
  }),
  ownCase: defineError('moderation.own_case', 403, {
    nb: 'Du kan ikke behandle en sak om deg selv eller en sak du har meldt inn.',
    en: 'You cannot handle a case about yourself or one you reported.',
  }),
  excludeBoardOnly: defineError('moderation.exclude_board_only', 403, {
    nb: 'Bare styret kan vedta eksklusjon.',
    en: 'Only the board can decide an exclusion.',
  }),
  hearingRequired: defineError('moderation.hearing_required', 409, {
    nb: 'Medlemmet må høres før en sanksjon: send varsel og vent på svar eller til svarfristen er ute. Bare en hastesuspensjon kan vedtas uten høring.',
    en: 'The member must be heard before a sanction: send the hearing and wait for the answer or the deadline. Only an urgent suspension can be decided without a hearing.',
  }),
  endBeforeStart: defineError('moderation.end_before_start', 400, {
    nb: 'Sluttdatoen må være etter startdatoen ({start}).',
    en: 'The end date must be after the start date ({start}).',
  }),
  tooLong: defineError('moderation.suspension_too_long', 400, {
    nb: 'En suspensjon kan vare høyst 12 måneder: siste mulige sluttdato er {latest}.',
    en: 'A suspension can last at most 12 months: the latest possible end date is {latest}.',
  }),
  endRequired: defineError('moderation.end_required', 400, {
    nb: 'Oppgi når suspensjonen slutter.',
    en: 'Give the date the suspension ends.',
  }),
  urgentOnlySuspension: defineError('moderation.urgent_only_suspension', 400, {
    nb: 'Bare en suspensjon kan vedtas som hastesak.',
    en: 'Only a suspension can be decided as urgent.',
  }),
  memberNotActive: defineError('moderation.member_not_active', 409, {
    nb: 'Medlemmet har status «{status}» og kan ikke suspenderes nå.',
    en: 'The member has the status “{status}” and cannot be suspended now.',
  }),
  alreadyExcluded: defineError('moderation.already_excluded', 409, {
    nb: 'Medlemmet er allerede ekskludert.',
    en: 'The member is already excluded.',
  }),
  notActiveDecision: defineError('moderation.decision_not_active', 409, {
    nb: 'Vedtaket er ikke lenger i kraft.',
    en: 'The decision is no longer in force.',
  }),
  notUrgent: defineError('moderation.not_urgent', 409, {
    nb: 'Dette er ikke en ubekreftet hastesuspensjon.',
    en: 'This is not an unconfirmed urgent suspension.',
  }),
  notAppealable: defineError('moderation.not_appealable', 400, {
    nb: 'Bare suspensjon og eksklusjon kan ankes til generalforsamlingen.',
    en: 'Only a suspension or an exclusion can be appealed to the general assembly.',
  }),
  appealNotYours: defineError('moderation.appeal_not_yours', 403, {
    nb: 'Bare medlemmet vedtaket gjelder, kan anke det.',
    en: 'Only the member the decision concerns can appeal it.',
  }),
  appealDeadlinePassed: defineError('moderation.appeal_deadline_passed', 409, {
    nb: 'Ankefristen gikk ut {deadline}. Anken kan ikke tas imot.',
    en: 'The deadline for an appeal was {deadline}. The appeal cannot be accepted.',
  }),
  appealExists: defineError('moderation.appeal_exists', 409, {
    nb: 'Vedtaket er allerede anket. Det kan ankes bare én gang.',
    en: 'The decision has already been appealed. It can be appealed only once.',
  }),
  appealNotFound: defineError('moderation.appeal_not_found', 404, {
    nb: 'Anken finnes ikke.',
    en: 'The appeal does not exist.',
  }),
  appealDecided: defineError('moderation.appeal_decided', 409, {
    nb: 'Generalforsamlingens utfall er allerede registrert.',
    en: 'The general assembly’s outcome has already been recorded.',
  }),
};
