import { diff, recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import {
  getGovernanceSettings,
  saveGovernanceSettings,
  type GovernanceSettings,
} from './governance-settings.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/**
 * Saves the rules of meetings, audited. A meeting already called keeps the dates its
 * notice gave (they are stored on the meeting); new rules apply to meetings called later.
 */
export async function updateGovernanceSettings(
  deps: Deps,
  input: { actor: Actor; settings: GovernanceSettings },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const before = await getGovernanceSettings(tx);
    await saveGovernanceSettings(tx, input.settings, now);
    const change = diff(before, input.settings);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.settings_updated',
      entityType: 'governance_settings',
      entityId: 'main',
      before: change.before,
      after: change.after,
      at: now,
    });
  });
}
