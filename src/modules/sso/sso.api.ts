import type { ApiRegistry } from '../api/openapi.js';

/** The sso operations of /api/v1, declared with their OpenAPI entries. */
export function registerSsoApi(_api: ApiRegistry): void {}
