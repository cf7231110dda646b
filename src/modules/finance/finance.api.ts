import type { ApiRegistry } from '../api/openapi.js';

/** The finance operations of /api/v1, declared with their OpenAPI entries. */
export function registerFinanceApi(_api: ApiRegistry): void {}
