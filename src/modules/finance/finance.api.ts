import type { ApiRegistry } from '../api/openapi.js';
import { registerJournalApi } from './journal.api.js';
import { registerExpensesApi } from './expenses.api.js';

/** The finance operations of /api/v1, declared with their OpenAPI entries. */
export function registerFinanceApi(api: ApiRegistry): void {
  registerJournalApi(api);
  registerExpensesApi(api);
}
