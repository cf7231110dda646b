import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../../app/context.js';

/** The path the OpenID Connect provider is mounted under (issuer = BASE_URL + this). */
export const OIDC_PATH = '/oidc';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The OpenID Connect provider as a node:http handler for every request under /oidc.
 * The server hands those requests here and everything else to Hono.
 */
export function createOidcHandler(_ctx: AppContext): Promise<NodeHandler | null> {
  return Promise.resolve(null);
}
