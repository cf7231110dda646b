/**
 * Reads a line from the terminal without echoing it (for passwords). Only on a TTY:
 * scripts pass secrets through the environment instead.
 */
export function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) return Promise.reject(new Error('not a terminal'));
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    function onData(chunk: string) {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    }
    stdin.on('data', onData);
  });
}

/** The password from ALLMENNING_ADMIN_PASSWORD, or asked twice on the terminal. */
export async function adminPassword(): Promise<string> {
  const fromEnv = process.env['ALLMENNING_ADMIN_PASSWORD'];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY)
    throw new UsageError(
      'No password: set ALLMENNING_ADMIN_PASSWORD, or run the command in a terminal to be asked.',
    );
  const first = await promptHidden('Password (at least 10 characters): ');
  const second = await promptHidden('Password again: ');
  if (first !== second) throw new UsageError('The two passwords differ.');
  return first;
}

/** A mistake in how the command was called: message and exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
