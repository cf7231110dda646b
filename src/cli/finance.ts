// `allmenning journal …`, `allmenning finance …`: posting, exports, reports.

export const FINANCE_HELP = ``;

/** Runs the command if it is one of ours; undefined otherwise. */
export function financeCli(_argv: string[]): Promise<number | undefined> {
  return Promise.resolve(undefined);
}
