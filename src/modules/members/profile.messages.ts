export const nb = {
  'profile.title': 'Kontaktopplysninger',
  'profile.intro':
    'Dette er opplysningene foreningen har om deg i medlemsregisteret. Hold dem oppdatert.',
  'profile.member_number': 'Medlemsnummer {number} · {type}',
  'profile.email_note': 'E-postadressen din er {email}.',
  'profile.email_link': 'Den endrer du på kontosiden.',
  'profile.field.name': 'Fullt navn',
  'profile.field.org_name': 'Organisasjonens navn',
  'profile.field.phone': 'Telefon',
  'profile.field.address_line': 'Adresse',
  'profile.field.postal_code': 'Postnummer',
  'profile.field.city': 'Poststed',
  'profile.field.country': 'Land',
  'profile.field.org_number': 'Organisasjonsnummer',
  'profile.field.org_number_hint': '9 siffer.',
  'profile.field.contact_person': 'Kontaktperson',
  'profile.phone_invalid': 'Skriv et gyldig telefonnummer (siffer, gjerne med + og landskode).',
  'profile.data.title': 'Dine data',
  'profile.data.intro':
    'Du kan laste ned alt vi har lagret om deg, og du kan be om at kontoen og personopplysningene dine slettes.',
  'profile.data.download': 'Last ned mine data (JSON)',
  'profile.data.erase': 'Slett kontoen og personopplysningene mine',
  'profile.erase.title': 'Slett kontoen og personopplysningene mine',
  'profile.erase.intro':
    'Når du sletter deg, skjer dette med én gang og kan ikke angres. Last gjerne ned dataene dine først.',
  'profile.erase.deleted_heading': 'Dette slettes',
  'profile.erase.deleted_account':
    'Kontoen din, med innlogginger og API-nøkler. Du blir logget ut og kan ikke logge inn igjen.',
  'profile.erase.deleted_profile':
    'Navn, e-post, telefon, adresse og andre kontaktopplysninger i medlemsregisteret.',
  'profile.erase.deleted_log':
    'Personopplysninger i loggen og i e-post vi har sendt deg (vi beholder bare dato og status).',
  'profile.erase.kept_heading': 'Dette beholdes',
  'profile.erase.kept':
    'Bokføringsloven krever at regnskapsopplysninger oppbevares i fem år etter utgangen av regnskapsåret. Medlemsnummeret ditt, medlemsperiodene og statushistorikken beholdes derfor, uten navn, og brukes ikke til noe annet. Når fristen er ute, blir også de pseudonymisert.',
  'profile.erase.status':
    'Er medlemskapet ditt aktivt, søkt eller utløpt, blir det avsluttet (utmeldt).',
  'profile.erase.confirm': 'Jeg forstår at kontoen og personopplysningene mine slettes for godt.',
  'profile.erase.confirm_required': 'Kryss av for å bekrefte at du vil slette deg.',
  'profile.erase.submit': 'Slett meg',
  'profile.erase.done': 'Kontoen din er slettet og personopplysningene dine fjernet.',
} as const;

export const en: Record<keyof typeof nb, string> = {
  'profile.title': 'Contact details',
  'profile.intro':
    'These are the details the association holds about you in its member register. Keep them up to date.',
  'profile.member_number': 'Member number {number} · {type}',
  'profile.email_note': 'Your email address is {email}.',
  'profile.email_link': 'You change it on the account page.',
  'profile.field.name': 'Full name',
  'profile.field.org_name': 'Name of the organisation',
  'profile.field.phone': 'Phone',
  'profile.field.address_line': 'Address',
  'profile.field.postal_code': 'Postal code',
  'profile.field.city': 'City',
  'profile.field.country': 'Country',
  'profile.field.org_number': 'Organisation number',
  'profile.field.org_number_hint': '9 digits.',
  'profile.field.contact_person': 'Contact person',
  'profile.phone_invalid':
    'Enter a valid phone number (digits, preferably with + and country code).',
  'profile.data.title': 'Your data',
  'profile.data.intro':
    'You can download everything we hold about you, and you can ask for your account and personal data to be erased.',
  'profile.data.download': 'Download my data (JSON)',
  'profile.data.erase': 'Erase my account and personal data',
  'profile.erase.title': 'Erase my account and personal data',
  'profile.erase.intro':
    'Erasure happens at once and cannot be undone. You may want to download your data first.',
  'profile.erase.deleted_heading': 'What is deleted',
  'profile.erase.deleted_account':
    'Your account, with its sessions and API tokens. You are logged out and cannot log in again.',
  'profile.erase.deleted_profile':
    'Name, email, phone, address and other contact details in the member register.',
  'profile.erase.deleted_log':
    'Personal data in the audit log and in email we sent you (only the date and status are kept).',
  'profile.erase.kept_heading': 'What is kept',
  'profile.erase.kept':
    'The Norwegian Bookkeeping Act requires accounting records to be kept for five years after the end of the fiscal year. Your member number, membership periods and status history are therefore kept, without your name, and used for nothing else. When that period has passed, they are pseudonymised too.',
  'profile.erase.status':
    'If your membership is active, applied for or lapsed, it is ended (resigned).',
  'profile.erase.confirm': 'I understand that my account and personal data are erased for good.',
  'profile.erase.confirm_required': 'Tick the box to confirm that you want to be erased.',
  'profile.erase.submit': 'Erase me',
  'profile.erase.done': 'Your account has been deleted and your personal data removed.',
};
