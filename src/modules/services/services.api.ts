import type { ApiRegistry } from '../api/openapi.js';

/** The services operations of /api/v1, declared with their OpenAPI entries. */
export function registerServicesApi(_api: ApiRegistry): void {}
