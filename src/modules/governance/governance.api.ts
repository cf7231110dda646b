import type { ApiRegistry } from '../api/openapi.js';
import { registerMeetingsApi } from './meetings.api.js';
import { registerProposalsApi } from './proposals.api.js';
import { registerStatutesApi } from './statutes.api.js';
import { registerVotesApi } from './votes.api.js';

/**
 * The governance operations of /api/v1, declared with their OpenAPI entries: meetings and
 * their agenda, proposals, the register of voters and attendance, votes, and the
 * statutes and AUP. Every one calls the use-case the pages call.
 */
export function registerGovernanceApi(api: ApiRegistry): void {
  registerMeetingsApi(api);
  registerProposalsApi(api);
  registerVotesApi(api);
  registerStatutesApi(api);
}
