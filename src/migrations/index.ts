import type { Migration } from 'kysely';
import * as foundation from './2026-11-27-0001-foundation.js';
import * as memberRegister from './2026-11-27-0002-member-register.js';
import * as billing from './2026-11-27-0003-billing.js';
import * as duesRuns from './2026-11-27-0004-dues-runs.js';
import * as payments from './2026-11-27-0005-payments.js';
import * as servicesSso from './2026-11-27-0006-services-sso.js';
import * as finance from './2026-11-27-0007-finance.js';
import * as governance from './2026-11-27-0008-governance.js';
import * as moderation from './2026-11-27-0009-moderation.js';
import * as votes from './2026-11-27-0010-votes.js';
import * as electionsMinutes from './2026-11-27-0011-elections-minutes.js';
import * as paymentsSpeed from './2026-11-27-0012-payments-speed.js';
import * as journalSpeed from './2026-11-27-0013-journal-speed.js';
import * as electionSettings from './2026-11-27-0014-election-settings.js';
import * as journalLinesKey from './2026-11-27-0015-journal-lines-key.js';
import * as journalLinesCheck from './2026-11-27-0016-journal-lines-check.js';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
  '2026-11-27-0002-member-register': memberRegister,
  '2026-11-27-0003-billing': billing,
  '2026-11-27-0004-dues-runs': duesRuns,
  '2026-11-27-0005-payments': payments,
  '2026-11-27-0006-services-sso': servicesSso,
  '2026-11-27-0007-finance': finance,
  '2026-11-27-0008-governance': governance,
  '2026-11-27-0009-moderation': moderation,
  '2026-11-27-0010-votes': votes,
  '2026-11-27-0011-elections-minutes': electionsMinutes,
  '2026-11-27-0012-payments-speed': paymentsSpeed,
  '2026-11-27-0013-journal-speed': journalSpeed,
  '2026-11-27-0014-election-settings': electionSettings,
  '2026-11-27-0015-journal-lines-key': journalLinesKey,
  '2026-11-27-0016-journal-lines-check': journalLinesCheck,
};
