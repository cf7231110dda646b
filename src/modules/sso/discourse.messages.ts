// DiscourseConnect: what the gate's refusal page (sso.refused.*) does not already say.
export const nb = {
  'discourse.refused.nothing_sent': 'Ingenting om deg er sendt til forumet.',
  'discourse.refused.email_unverified':
    'E-postadressen din er ikke bekreftet. Forumet kjenner deg igjen på e-postadressen, så den må bekreftes først.',
  'discourse.action.account': 'Gå til kontoen din',
} as const;

export const en: Record<keyof typeof nb, string> = {
  'discourse.refused.nothing_sent': 'Nothing about you has been sent to the forum.',
  'discourse.refused.email_unverified':
    'Your email address is not confirmed. The forum recognises you by your email address, so it must be confirmed first.',
  'discourse.action.account': 'Go to your account',
};
