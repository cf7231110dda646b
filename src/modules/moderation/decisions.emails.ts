import { formatDate } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import type { EmailMessage } from '../../app/outbox.js';
import type { DecisionKind } from './moderation.tables.js';

// The member is told every decision in their own language: what was decided, why
// (with the clause), for how long, and how and until when to appeal.

type Common = { to: string; name: string; association: string; locale: Locale };

const KIND = {
  nb: {
    no_action: 'Saken er avsluttet uten tiltak',
    warning: 'Du har fått en advarsel',
    suspension: 'Medlemskapet ditt er suspendert',
    exclusion: 'Du er ekskludert som medlem',
  },
  en: {
    no_action: 'The case is closed without action',
    warning: 'You have received a warning',
    suspension: 'Your membership is suspended',
    exclusion: 'You are excluded from membership',
  },
} as const satisfies Record<Locale, Record<DecisionKind, string>>;

export function decisionMessage(
  opts: Common & {
    kind: DecisionKind;
    urgent: boolean;
    caseNumber: number;
    reasons: string;
    clause: string;
    startsOn: string | null;
    endsOn: string | null;
    appealDeadlineOn: string | null;
    appealLink: string | null;
  },
): EmailMessage {
  const l = opts.locale;
  const subject = `${KIND[l][opts.kind]} – ${opts.association}`;
  const lines: string[] = [];
  if (l === 'en') {
    lines.push(`Hello ${opts.name},`, '');
    lines.push(
      `${opts.association} has decided moderation case ${opts.caseNumber} about you: ${KIND.en[opts.kind].toLowerCase()}.`,
    );
    if (opts.urgent)
      lines.push(
        'This is an urgent suspension, applied at once. You will be heard before it is confirmed; if it is not confirmed in time it is lifted.',
      );
    if (opts.kind === 'suspension' && opts.startsOn && opts.endsOn)
      lines.push(
        `The suspension runs from ${formatDate(opts.startsOn, 'en')} to ${formatDate(opts.endsOn, 'en')} inclusive, and is lifted automatically after that. The services are closed to you meanwhile.`,
      );
    lines.push('', `Clause: ${opts.clause}`, '', 'Reasons:', opts.reasons, '');
    if (opts.appealDeadlineOn && opts.appealLink)
      lines.push(
        `You may appeal this decision to the general assembly until ${formatDate(opts.appealDeadlineOn, 'en')}. An appeal does not pause the decision. Appeal here:`,
        '',
        opts.appealLink,
        '',
      );
  } else {
    lines.push(`Hei ${opts.name},`, '');
    lines.push(
      `${opts.association} har avgjort modereringssak ${opts.caseNumber} om deg: ${KIND.nb[opts.kind].toLowerCase()}.`,
    );
    if (opts.urgent)
      lines.push(
        'Dette er en hastesuspensjon som gjelder straks. Du blir hørt før den bekreftes; blir den ikke bekreftet i tide, oppheves den.',
      );
    if (opts.kind === 'suspension' && opts.startsOn && opts.endsOn)
      lines.push(
        `Suspensjonen gjelder fra ${formatDate(opts.startsOn, 'nb')} til og med ${formatDate(opts.endsOn, 'nb')}, og oppheves automatisk etter det. Tjenestene er stengt for deg i mellomtiden.`,
      );
    lines.push('', `Bestemmelse: ${opts.clause}`, '', 'Begrunnelse:', opts.reasons, '');
    if (opts.appealDeadlineOn && opts.appealLink)
      lines.push(
        `Du kan anke vedtaket til generalforsamlingen innen ${formatDate(opts.appealDeadlineOn, 'nb')}. En anke stanser ikke vedtaket. Anke her:`,
        '',
        opts.appealLink,
        '',
      );
  }
  return { to: opts.to, subject, text: lines.join('\n') };
}

export type LiftReason = 'expired' | 'urgent_unconfirmed' | 'lifted' | 'appeal_upheld';

const LIFTED = {
  nb: {
    expired: 'Suspensjonen er over',
    urgent_unconfirmed: 'Hastesuspensjonen ble ikke bekreftet og er opphevet',
    lifted: 'Suspensjonen er opphevet',
    appeal_upheld: 'Generalforsamlingen har gitt deg medhold i anken',
  },
  en: {
    expired: 'Your suspension has ended',
    urgent_unconfirmed: 'The urgent suspension was not confirmed and is lifted',
    lifted: 'Your suspension is lifted',
    appeal_upheld: 'The general assembly upheld your appeal',
  },
} as const satisfies Record<Locale, Record<LiftReason, string>>;

export function liftedMessage(
  opts: Common & { reason: LiftReason; reactivated: boolean },
): EmailMessage {
  const l = opts.locale;
  const head = LIFTED[l][opts.reason];
  const text =
    l === 'en'
      ? `Hello ${opts.name},\n\n${head}.${opts.reactivated ? ' Your membership is active again, and the services are open to you.' : ''}\n`
      : `Hei ${opts.name},\n\n${head}.${opts.reactivated ? ' Medlemskapet ditt er aktivt igjen, og tjenestene er åpne for deg.' : ''}\n`;
  return { to: opts.to, subject: `${head} – ${opts.association}`, text };
}
