import { AppError, defineError, interpolate, type Translations } from '../../app/errors.js';
import type { MemberStatus } from './members.tables.js';
import { en, nb } from './members.messages.js';

/** Per-field messages that use-cases attach to their errors. */
export const MemberFieldMessages = {
  orgNumberRequired: {
    nb: 'Organisasjonsmedlemmer må oppgi organisasjonsnummer.',
    en: 'Organisation members must give an organisation number.',
  },
  contactPersonRequired: {
    nb: 'Organisasjonsmedlemmer må oppgi en kontaktperson.',
    en: 'Organisation members must name a contact person.',
  },
  reasonRequired: {
    nb: 'Skriv en begrunnelse. Medlemmet får den tilsendt.',
    en: 'Write a reason. The member will receive it.',
  },
  endsBeforeStart: {
    nb: 'Sluttdatoen kan ikke være før startdatoen.',
    en: 'The end date cannot be before the start date.',
  },
  emailInUse: {
    nb: 'Et annet medlem har denne e-postadressen.',
    en: 'Another member has this email address.',
  },
  typeUnavailable: {
    nb: 'Velg en av medlemskapstypene.',
    en: 'Choose one of the membership types.',
  },
} satisfies Record<string, Translations>;

const invalidTransitionMessages = {
  nb: 'Statusen kan ikke endres fra «{from}» til «{to}».',
  en: 'The status cannot change from “{from}” to “{to}”.',
};

export const MemberErrors = {
  notFound: defineError('members.not_found', 404, {
    nb: 'Fant ikke medlemmet.',
    en: 'Member not found.',
  }),
  emailNotVerified: defineError('members.email_not_verified', 403, {
    nb: 'Du må bekrefte e-postadressen din før du kan søke medlemskap.',
    en: 'You need to confirm your email address before you can apply for membership.',
  }),
  alreadyApplied: defineError('members.already_applied', 409, {
    nb: 'Du har allerede søkt om medlemskap. Søknaden din er til behandling hos styret.',
    en: 'You have already applied for membership. The board is considering your application.',
  }),
  alreadyMember: defineError('members.already_member', 409, {
    nb: 'Du er allerede medlem. Du kan ikke søke en gang til.',
    en: 'You are already a member. You cannot apply again.',
  }),
  excluded: defineError('members.excluded', 409, {
    nb: 'Du er ekskludert og kan ikke søke på nytt. Ta kontakt med styret.',
    en: 'You have been excluded and cannot apply again. Contact the board.',
  }),
  emailInUse: defineError('members.email_in_use', 409, {
    nb: 'Et annet medlem er registrert med denne e-postadressen. Ta kontakt med styret.',
    en: 'Another member is registered with this email address. Contact the board.',
  }),
  typeUnavailable: defineError('members.type_unavailable', 400, {
    nb: 'Medlemskapstypen finnes ikke eller er ikke åpen for nye medlemmer.',
    en: 'That membership type does not exist or is not open to new members.',
  }),
  organisationFields: defineError('members.organisation_fields', 400, {
    nb: 'Organisasjonsmedlemmer må oppgi organisasjonsnummer og kontaktperson.',
    en: 'Organisation members must give an organisation number and a contact person.',
  }),
  documentsChanged: defineError('members.documents_changed', 409, {
    nb: 'Vedtektene eller retningslinjene ble endret mens du fylte ut skjemaet. Les dem igjen og bekreft på nytt.',
    en: 'The statutes or the usage policy changed while you filled in the form. Read them again and confirm once more.',
  }),
  statusChanged: defineError('members.status_changed', 409, {
    nb: 'Statusen er allerede endret, kanskje av noen andre. Last siden på nytt.',
    en: 'The status has already changed, perhaps by someone else. Reload the page.',
  }),
  reasonRequired: defineError('members.reason_required', 400, {
    nb: 'Denne endringen krever en skriftlig begrunnelse.',
    en: 'This change needs a written reason.',
  }),
  notAMember: defineError('members.not_a_member', 409, {
    nb: 'Du har ikke et medlemskap som kan sies opp.',
    en: 'You have no membership that can be ended.',
  }),
  officeNeedsActiveMember: defineError('members.office_needs_active_member', 409, {
    nb: 'Verv kan bare gis til aktive medlemmer.',
    en: 'Offices can only be given to active members.',
  }),
  officeDates: defineError('members.office_dates', 400, {
    nb: 'Sluttdatoen kan ikke være før startdatoen.',
    en: 'The end date cannot be before the start date.',
  }),
  termNotFound: defineError('members.term_not_found', 404, {
    nb: 'Fant ikke vervet.',
    en: 'Office term not found.',
  }),
  termEnded: defineError('members.term_ended', 409, {
    nb: 'Vervet er allerede avsluttet.',
    en: 'The term has already ended.',
  }),
  feeYear: defineError('members.fee_year', 400, {
    nb: 'Kontingent kan settes for inneværende og neste foreningsår.',
    en: 'Fees can be set for the current and the next association year.',
  }),
  typeNotFound: defineError('members.type_not_found', 404, {
    nb: 'Fant ikke medlemskapstypen.',
    en: 'Membership type not found.',
  }),
};

/** A refused transition, with both statuses named in the reader's language. */
export function invalidTransition(from: MemberStatus, to: MemberStatus): AppError {
  const label = (dict: Record<string, string>, s: MemberStatus) => dict[`members.status.${s}`] ?? s;
  return new AppError({
    code: 'members.invalid_transition',
    status: 409,
    messages: {
      nb: interpolate(invalidTransitionMessages.nb, { from: label(nb, from), to: label(nb, to) }),
      en: interpolate(invalidTransitionMessages.en, { from: label(en, from), to: label(en, to) }),
    },
  });
}
