import * as common from './common.messages.js';
import * as association from '../modules/association/association.messages.js';
import * as accounts from '../modules/accounts/accounts.messages.js';
import * as members from '../modules/members/members.messages.js';
import * as register from '../modules/members/register.messages.js';
import * as profile from '../modules/members/profile.messages.js';
import * as audit from '../modules/audit/audit.messages.js';
import * as admin from '../modules/api/admin.messages.js';
import * as api from '../modules/api/api.messages.js';
import * as invoices from '../modules/billing/invoices.messages.js';
import * as payments from '../modules/billing/payments.messages.js';
import * as overview from '../modules/billing/overview.messages.js';
import * as services from '../modules/services/services.messages.js';
import * as sso from '../modules/sso/sso.messages.js';
import * as expenses from '../modules/finance/expenses.messages.js';
import * as journal from '../modules/finance/journal.messages.js';
import * as reports from '../modules/finance/reports.messages.js';
import * as discourse from '../modules/sso/discourse.messages.js';
import * as enforcement from '../modules/sso/enforcement.messages.js';
import * as clients from '../modules/services/clients.messages.js';
import * as financeSettings from '../modules/finance/finance-settings.messages.js';
import * as governance from '../modules/governance/governance.messages.js';
import * as votes from '../modules/governance/votes.messages.js';
import * as proxies from '../modules/governance/proxies.messages.js';
import * as adoption from '../modules/governance/adoption.messages.js';
import * as elections from '../modules/governance/elections.messages.js';
import * as minutes from '../modules/governance/minutes.messages.js';
import * as modReports from '../modules/moderation/reports.messages.js';
import * as modCases from '../modules/moderation/cases.messages.js';

/**
 * All interface text, merged from each domain's `*.messages.ts`. Add a domain's
 * dictionaries here; the `en` side is typed to have every key `nb` has.
 */
export const dictionaries = {
  nb: {
    ...common.nb,
    ...association.nb,
    ...accounts.nb,
    ...members.nb,
    ...register.nb,
    ...profile.nb,
    ...audit.nb,
    ...admin.nb,
    ...api.nb,
    ...invoices.nb,
    ...payments.nb,
    ...overview.nb,
    ...services.nb,
    ...sso.nb,
    ...expenses.nb,
    ...journal.nb,
    ...reports.nb,
    ...discourse.nb,
    ...enforcement.nb,
    ...clients.nb,
    ...financeSettings.nb,
    ...governance.nb,
    ...votes.nb,
    ...proxies.nb,
    ...adoption.nb,
    ...elections.nb,
    ...minutes.nb,
    ...modReports.nb,
    ...modCases.nb,
  },
  en: {
    ...common.en,
    ...association.en,
    ...accounts.en,
    ...members.en,
    ...register.en,
    ...profile.en,
    ...audit.en,
    ...admin.en,
    ...api.en,
    ...invoices.en,
    ...payments.en,
    ...overview.en,
    ...services.en,
    ...sso.en,
    ...expenses.en,
    ...journal.en,
    ...reports.en,
    ...discourse.en,
    ...enforcement.en,
    ...clients.en,
    ...financeSettings.en,
    ...governance.en,
    ...votes.en,
    ...proxies.en,
    ...adoption.en,
    ...elections.en,
    ...minutes.en,
    ...modReports.en,
    ...modCases.en,
  },
};
