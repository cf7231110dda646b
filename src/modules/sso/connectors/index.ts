import type { Connector } from '../../services/services.tables.js';
import { discourseConnector } from './discourse.js';
import { forgejoConnector } from './forgejo.js';
import { mastodonConnector } from './mastodon.js';
import { synapseConnector } from './synapse.js';
import type { EnforcementConnector } from './types.js';

export type { ConnectorCall, ConnectorResult, EnforcementConnector } from './types.js';

/** The connector for a service's `connector` setting (none has none). */
export function connectorFor(kind: Connector): EnforcementConnector | null {
  switch (kind) {
    case 'mastodon':
      return mastodonConnector;
    case 'synapse':
      return synapseConnector;
    case 'discourse':
      return discourseConnector;
    case 'forgejo':
      return forgejoConnector;
    case 'none':
      return null;
  }
}
