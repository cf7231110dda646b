import { performance } from 'node:perf_hooks';
import type { AppContext } from '../../app/context.js';
import { changeMemberStatus } from '../members/members.usecases.js';

/**
 * For the benchmark: the time from a suspension to the last token being refused. Tokens
 * are deleted inside the suspension's transaction, so this is the transaction itself:
 * the moment it commits, no artefact of the member is left for the provider to accept
 * (`tokensLeft` proves it, read right after the commit).
 */
export async function timeSuspensionToRefusal(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>,
  input: { memberId: string; userId: string; reason?: string },
): Promise<{ ms: number; tokensBefore: number; tokensLeft: number }> {
  const count = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('oidc_payloads')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', input.userId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const tokensBefore = await count();
  const started = performance.now();
  await changeMemberStatus(ctx, {
    actor: { userId: null, label: 'bench' },
    memberId: input.memberId,
    to: 'suspended',
    reason: input.reason ?? 'benchmark',
    via: 'board',
  });
  const ms = performance.now() - started;
  return { ms, tokensBefore, tokensLeft: await count() };
}
