import { defineError } from '../../app/errors.js';

/** Errors of reports, triage, the case log's access rules, hearings and incoming webhooks. */
export const ReportErrors = {
  notAMember: defineError('moderation.not_a_member', 403, {
    nb: 'Bare medlemmer kan sende inn en rapport.',
    en: 'Only members can submit a report.',
  }),
  descriptionRequired: defineError('moderation.description_required', 400, {
    nb: 'Beskriv hva som skjedde.',
    en: 'Describe what happened.',
  }),
  nothingReported: defineError('moderation.nothing_reported', 400, {
    nb: 'Oppgi hvem du rapporterer (brukernavn eller medlemsnummer) eller innholdet (tjeneste og adresse).',
    en: 'Say whom you report (username or member number) or the content (service and address).',
  }),
  reportedNotFound: defineError('moderation.reported_not_found', 400, {
    nb: 'Fant ikke et medlem med det brukernavnet eller medlemsnummeret.',
    en: 'No member with that username or member number.',
  }),
  reportSelf: defineError('moderation.report_self', 400, {
    nb: 'Du kan ikke rapportere deg selv.',
    en: 'You cannot report yourself.',
  }),
  serviceNotFound: defineError('moderation.service_not_found', 400, {
    nb: 'Velg en tjeneste fra katalogen.',
    en: 'Choose a service from the catalogue.',
  }),
  reportNotFound: defineError('moderation.report_not_found', 404, {
    nb: 'Fant ikke rapporten.',
    en: 'Report not found.',
  }),
  reportAlreadyTriaged: defineError('moderation.report_triaged', 409, {
    nb: 'Rapporten er allerede behandlet.',
    en: 'The report has already been handled.',
  }),
  reportWithoutMember: defineError('moderation.report_without_member', 400, {
    nb: 'Rapporten peker ikke på et medlem. Oppgi medlemsnummeret saken gjelder.',
    en: 'The report does not point at a member. Give the member number the case is about.',
  }),
  reportsOfDifferentMembers: defineError('moderation.reports_different_members', 400, {
    nb: 'Rapportene i en sak må gjelde samme medlem.',
    en: 'The reports in one case must be about the same member.',
  }),
  caseNotFound: defineError('moderation.case_not_found', 404, {
    nb: 'Fant ikke saken.',
    en: 'Case not found.',
  }),
  caseClosed: defineError('moderation.case_closed', 409, {
    nb: 'Saken er avsluttet og kan ikke endres.',
    en: 'The case is closed and cannot be changed.',
  }),
  ownCase: defineError('moderation.own_case', 403, {
    nb: 'Du kan ikke behandle en sak som gjelder deg selv. En annen moderator eller styret må ta den.',
    en: 'You cannot handle a case about yourself. Another moderator or the board must take it.',
  }),
  reporterOfCase: defineError('moderation.reporter_of_case', 403, {
    nb: 'Du kan ikke behandle en sak du selv har rapportert. En annen moderator eller styret må ta den.',
    en: 'You cannot handle a case you reported yourself. Another moderator or the board must take it.',
  }),
  notAHandler: defineError('moderation.not_a_handler', 400, {
    nb: 'Saken kan bare tildeles en moderator eller et styremedlem som ikke er part i saken.',
    en: 'The case can only be assigned to a moderator or board member who is not a party to it.',
  }),
  hearingNotFound: defineError('moderation.hearing_not_found', 404, {
    nb: 'Fant ikke varselet.',
    en: 'Hearing not found.',
  }),
  hearingAnswered: defineError('moderation.hearing_answered', 409, {
    nb: 'Du har allerede svart på dette varselet.',
    en: 'You have already answered this notice.',
  }),
  hearingDeadlinePassed: defineError('moderation.hearing_deadline_passed', 409, {
    nb: 'Fristen for å svare gikk ut {deadline}. Kontakt moderatorene om du likevel vil uttale deg.',
    en: 'The deadline to answer was {deadline}. Contact the moderators if you still want to be heard.',
  }),
  hearingPending: defineError('moderation.hearing_pending', 409, {
    nb: 'Medlemmet har allerede et ubesvart varsel med frist {deadline} i denne saken.',
    en: 'The member already has an unanswered notice with deadline {deadline} in this case.',
  }),
  noMemberEmail: defineError('moderation.no_member_email', 409, {
    nb: 'Medlemmet har ingen e-postadresse, så varselet kan ikke sendes. Legg inn en adresse først.',
    en: 'The member has no email address, so the notice cannot be sent. Add an address first.',
  }),
  webhookUnsigned: defineError('moderation.webhook_signature', 401, {
    nb: 'Signaturen mangler eller er ugyldig.',
    en: 'The signature is missing or invalid.',
  }),
  webhookStale: defineError('moderation.webhook_stale', 401, {
    nb: 'Tidsstempelet mangler eller er eldre enn fem minutter.',
    en: 'The timestamp is missing or older than five minutes.',
  }),
  webhookNotConfigured: defineError('moderation.webhook_not_configured', 404, {
    nb: 'Tjenesten finnes ikke eller tar ikke imot rapporter.',
    en: 'The service does not exist or does not accept reports.',
  }),
  webhookContent: defineError('moderation.webhook_content', 400, {
    nb: 'Innholdet mangler felt: {fields}.',
    en: 'The body lacks fields: {fields}.',
  }),
};
