import type { Db } from '../../app/db.js';
import { enqueueOutbox } from '../../app/outbox.js';

// OpenID Connect Back-Channel Logout 1.0, sent by revocation (a suspension, a lapse, a
// withdrawn access) to every client that registered a backchannel_logout_uri and held a
// session or grant of the member. The logout token is signed at delivery with the
// provider's current key (so a rotation between queueing and delivery does no harm):
// iss, aud = client_id, iat, exp (2 minutes), jti, sub, sid (when the session named one),
// events = {"http://schemas.openid.net/event/backchannel-logout": {}}, header typ
// "logout+jwt", and never a nonce. It is POSTed as application/x-www-form-urlencoded
// logout_token=…; the client answers 200 (or 204).

export const BACKCHANNEL_KIND = 'sso.backchannel_logout';
export const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export type BackchannelPayload = { clientId: string; sub: string; sid: string | null };

export async function enqueueBackchannelLogout(
  tx: Db,
  opts: { clientId: string; sub: string; sid: string | null; now: Date },
): Promise<void> {
  const payload: BackchannelPayload = { clientId: opts.clientId, sub: opts.sub, sid: opts.sid };
  await enqueueOutbox(tx, {
    kind: BACKCHANNEL_KIND,
    recipient: opts.clientId,
    payload,
    at: opts.now,
  });
}
