import type { Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import type { EmailMessage } from '../../app/outbox.js';

/**
 * Welcome to a founding member. Without an account yet, the link leads to sign-up: an
 * account made with this address is linked to the membership when the address is
 * confirmed (see verifyEmail in the accounts module).
 */
export function foundingWelcomeMessage(opts: {
  to: string;
  name: string;
  association: string;
  locale: Locale;
  memberNumber: number;
  hasAccount: boolean;
  link: string;
}): EmailMessage {
  const t = translator(opts.locale);
  const lines = [
    t('governance.email.greeting', { name: opts.name }),
    '',
    t('governance.founding.email.intro', {
      association: opts.association,
      number: opts.memberNumber,
    }),
    '',
    opts.hasAccount
      ? t('governance.founding.email.account')
      : t('governance.founding.email.signup', { email: opts.to }),
    '',
    opts.link,
    '',
  ];
  return {
    to: opts.to,
    subject: t('governance.founding.email.subject', { association: opts.association }),
    text: lines.join('\n'),
  };
}
