import { createHash } from 'node:crypto';
import type PgModule from 'pg';

// Named (server-side prepared) statements for the queries the application repeats.
//
// Kysely's PostgreSQL driver sends every query unnamed: PostgreSQL parses, analyses and
// plans it anew each time. For the short statements of a request (the SSO gate, the OIDC
// adapter's reads and writes, the session lookup) that is most of the server's work. A
// statement the process has seen PREPARE_AFTER times is sent under a name instead; each
// connection parses it once and then only binds and executes it, and PostgreSQL may keep
// a generic plan for it (docs/adr/0004-statements-and-round-trips.md).
//
// Bounds: texts longer than MAX_TEXT (bulk statements: a multi-row insert of a few
// hundred rows is longer) are never named — the OIDC adapter's read ahead with the
// gate's standing is ~5 KB, the longest statement that runs per request; each connection
// names at most PER_CONNECTION statements (then sends the rest unnamed); the counts of
// texts seen are kept for the most recent COUNTED texts only.
//
// Schema changes: a prepared `select *` fails with "cached plan must not change result
// type" (0A000) once a migration changes the table. DDL sent through this process, and
// that error (DDL from another process, e.g. a second instance upgrading first), start
// a new generation: statement names carry the generation, and each connection drops its
// statements of the old one (DEALLOCATE ALL) before its next query. Outside a
// transaction the failed statement is sent once more (it has changed nothing); inside
// one the error reaches the caller, whose transaction PostgreSQL has aborted anyway.

const PREPARE_AFTER = 3;
const MAX_TEXT = 16_384;
const PER_CONNECTION = 200;
const COUNTED = 2000;

const DDL = /^\s*(create|alter|drop|comment)\b/i;
const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback|end)\s*$/i;

type Query = (...args: unknown[]) => Promise<unknown>;
type ClientState = { generation: number; named: Map<string, string>; inTransaction: boolean };

let generation = 0;
const seen = new Map<string, number>();

function timesSeen(text: string): number {
  const n = (seen.get(text) ?? 0) + 1;
  if (n <= PREPARE_AFTER) {
    seen.delete(text);
    if (seen.size >= COUNTED) seen.delete(seen.keys().next().value!);
    seen.set(text, n);
  }
  return n;
}

function staleSchema(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === '0A000' &&
    /cached plan/i.test(String((err as { message?: unknown }).message))
  );
}

/** Makes a pool's connections name the statements the process repeats (see above). */
export function namingRepeatedStatements(pool: PgModule.Pool): void {
  pool.on('connect', (client) => {
    const state: ClientState = { generation, named: new Map(), inTransaction: false };
    const send = client.query.bind(client) as Query;
    const nameFor = (text: string): string | null => {
      if (text.length > MAX_TEXT) return null;
      if (DDL.test(text)) {
        generation++;
        return null;
      }
      const known = state.named.get(text);
      if (known) return known;
      if (timesSeen(text) < PREPARE_AFTER || state.named.size >= PER_CONNECTION) return null;
      const name = `a${generation}_${createHash('sha1').update(text).digest('base64url')}`;
      state.named.set(text, name);
      return name;
    };
    const query = async (text: unknown, values?: unknown, callback?: unknown) => {
      // Only the plain (text, values) form Kysely uses is rewritten.
      if (typeof text !== 'string' || typeof values === 'function' || callback !== undefined)
        return send(text, values, callback);
      if (BEGIN.test(text)) state.inTransaction = true;
      else if (END.test(text)) state.inTransaction = false;
      await dropStale();
      const name = nameFor(text);
      if (!name) return send(text, values);
      try {
        return await send({ name, text, values });
      } catch (err) {
        if (!staleSchema(err)) throw err;
        generation++;
        if (state.inTransaction) throw err;
        await dropStale();
        return send(text, values);
      }
    };
    const dropStale = async () => {
      if (state.generation === generation) return;
      state.generation = generation;
      state.named.clear();
      await send('deallocate all');
    };
    (client as unknown as { query: typeof query }).query = query;
  });
}
