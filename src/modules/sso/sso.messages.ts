export const nb = {
  'sso.continue.title': 'Går videre',
  'sso.continue.text': 'Du sendes videre til {service}.',
  'sso.continue.button': 'Fortsett',
  'sso.expired.title': 'Innloggingen er utløpt',
  'sso.expired.text':
    'Denne innloggingen er ikke lenger gyldig (den er fullført, utløpt eller startet i en annen nettleser). Gå tilbake til tjenesten og logg inn på nytt.',
  'sso.consent.title': 'Gi tilgang til {service}?',
  'sso.consent.intro': '{service} ber om å få vite dette om deg:',
  'sso.consent.as': 'Du er logget inn som {name} ({handle}).',
  'sso.consent.allow': 'Gi tilgang',
  'sso.consent.deny': 'Avslå',
  'sso.scope.openid': 'En fast identifikator for kontoen din',
  'sso.scope.profile': 'Navnet ditt og brukernavnet ditt',
  'sso.scope.email': 'E-postadressen din',
  'sso.scope.groups': 'Gruppene dine (medlem, styre, verv og tjenester du har tilgang til)',
  'sso.scope.membership': 'Medlemskapet ditt: status, type og betalt til',
  'sso.scope.offline_access': 'Holde deg innlogget når du ikke bruker tjenesten',
  'sso.refused.title': 'Du kan ikke logge inn på {service}',
  'sso.refused.as': 'Logget inn som {name} ({handle}).',
  'sso.refused.no_member':
    'Kontoen din har ikke et medlemskap. Tjenestene er for medlemmer av foreningen.',
  'sso.refused.no_member.action': 'Søk om medlemskap',
  'sso.refused.not_active':
    'Medlemskapet ditt er ikke aktivt (status: {status}). Tjenestene åpnes når medlemskapet er aktivt.',
  'sso.refused.not_active.action': 'Se medlemskapet ditt',
  'sso.refused.suspended':
    'Medlemskapet ditt er suspendert, og da er tjenestene stengt for deg til suspensjonen oppheves. Styret har sendt deg begrunnelsen på e-post.',
  'sso.refused.suspended.action': 'Se medlemskapet ditt',
  'sso.refused.excluded':
    'Du er ekskludert fra foreningen og har ikke lenger tilgang til tjenestene. Du kan anke eksklusjonen til generalforsamlingen.',
  'sso.refused.excluded.action': 'Se medlemskapet ditt',
  'sso.refused.unpaid':
    'Medlemskontingenten er ikke betalt (faktura {number}, forfalt {due}). Tjenestene åpnes igjen så snart betalingen er registrert.',
  'sso.refused.unpaid.action': 'Se og betal fakturaen',
  'sso.refused.first_payment':
    'Medlemskapet ditt starter når den første fakturaen (nr. {number}, forfaller {due}) er betalt. Da åpnes tjenestene.',
  'sso.refused.first_payment.action': 'Se og betal fakturaen',
  'sso.refused.service_unavailable':
    'Tjenesten er stengt for vedlikehold eller lagt ned. Prøv igjen senere.',
  'sso.refused.service_unavailable.action': 'Se tjenestene',
  'sso.refused.access_required':
    'Denne tjenesten krever at du ber om tilgang, og en administrator må godkjenne den.',
  'sso.refused.access_required.action': 'Be om tilgang',
  'sso.refused.office_required': 'Denne tjenesten er bare for medlemmer med bestemte verv.',
  'sso.refused.office_required.action': 'Se tjenestene',
  'sso.refused.back': 'Tilbake til {service}',
  'sso.refused.back_hint': 'Tjenesten får beskjed om at innloggingen ble avvist.',
} as const;

export const en: Record<keyof typeof nb, string> = {
  'sso.continue.title': 'Continuing',
  'sso.continue.text': 'You are being sent on to {service}.',
  'sso.continue.button': 'Continue',
  'sso.expired.title': 'This login has expired',
  'sso.expired.text':
    'This login is no longer valid (it was completed, has expired, or was started in another browser). Go back to the service and log in again.',
  'sso.consent.title': 'Give {service} access?',
  'sso.consent.intro': '{service} asks to know this about you:',
  'sso.consent.as': 'You are logged in as {name} ({handle}).',
  'sso.consent.allow': 'Allow',
  'sso.consent.deny': 'Deny',
  'sso.scope.openid': 'A stable identifier of your account',
  'sso.scope.profile': 'Your name and user name',
  'sso.scope.email': 'Your email address',
  'sso.scope.groups': 'Your groups (member, board, offices and the services you may use)',
  'sso.scope.membership': 'Your membership: status, type and paid until',
  'sso.scope.offline_access': 'Keep you logged in while you are not using the service',
  'sso.refused.title': 'You cannot log in to {service}',
  'sso.refused.as': 'Logged in as {name} ({handle}).',
  'sso.refused.no_member':
    'Your account has no membership. The services are for members of the association.',
  'sso.refused.no_member.action': 'Apply for membership',
  'sso.refused.not_active':
    'Your membership is not active (status: {status}). The services open when it is active.',
  'sso.refused.not_active.action': 'See your membership',
  'sso.refused.suspended':
    'Your membership is suspended, so the services are closed to you until the suspension ends. The board has emailed you the reason.',
  'sso.refused.suspended.action': 'See your membership',
  'sso.refused.excluded':
    'You have been excluded from the association and no longer have access to the services. You may appeal the exclusion to the general assembly.',
  'sso.refused.excluded.action': 'See your membership',
  'sso.refused.unpaid':
    'Your membership fee is unpaid (invoice {number}, due {due}). The services open again as soon as the payment is registered.',
  'sso.refused.unpaid.action': 'See and pay the invoice',
  'sso.refused.first_payment':
    'Your membership starts when the first invoice (no. {number}, due {due}) is paid. The services open then.',
  'sso.refused.first_payment.action': 'See and pay the invoice',
  'sso.refused.service_unavailable':
    'The service is closed for maintenance or has been retired. Try again later.',
  'sso.refused.service_unavailable.action': 'See the services',
  'sso.refused.access_required':
    'This service needs you to request access, and an administrator must approve it.',
  'sso.refused.access_required.action': 'Request access',
  'sso.refused.office_required': 'This service is only for members holding certain offices.',
  'sso.refused.office_required.action': 'See the services',
  'sso.refused.back': 'Back to {service}',
  'sso.refused.back_hint': 'The service is told that the login was refused.',
};
