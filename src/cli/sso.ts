// `allmenning sso …` and `allmenning services …`: key rotation, clients.

export const SSO_HELP = ``;

/** Runs the command if it is one of ours; undefined otherwise. */
export function ssoCli(_argv: string[]): Promise<number | undefined> {
  return Promise.resolve(undefined);
}
