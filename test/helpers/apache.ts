import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe } from 'vitest';

/**
 * Apache httpd with mod_auth_openidc (Debian's apache2 and libapache2-mod-auth-openidc) as
 * a real OpenID Connect relying party on loopback. Each instance has its own config, logs,
 * pid file and document root in a temp dir, and runs in the foreground as a child of the
 * test. With CI=true a missing Apache or module fails the run; elsewhere the suites that
 * need it are skipped with a warning.
 */
export const APACHE_BIN = process.env['APACHE_PATH'] ?? '/usr/sbin/apache2';
export const APACHE_MODULES = process.env['APACHE_MODULES'] ?? '/usr/lib/apache2/modules';
const OPENIDC_MODULE = path.join(APACHE_MODULES, 'mod_auth_openidc.so');

export const apacheAvailable = existsSync(APACHE_BIN) && existsSync(OPENIDC_MODULE);
if (!apacheAvailable && process.env['CI'] === 'true') {
  throw new Error(
    `Apache with mod_auth_openidc is required when CI=true, but ${APACHE_BIN} or ${OPENIDC_MODULE} ` +
      'does not exist (apt-get install apache2 libapache2-mod-auth-openidc)',
  );
}
if (!apacheAvailable)
  console.warn(`Apache or mod_auth_openidc not found (${APACHE_BIN}): Apache tests are skipped`);

/** A `describe` that is skipped (with the warning above) when Apache is missing. */
export const describeApache = apacheAvailable ? describe : describe.skip;

/** The only modules the relying party needs (mpm, authz, the RP itself, SSI to show the user). */
const MODULES: [name: string, file: string][] = [
  ['mpm_event_module', 'mod_mpm_event.so'],
  ['authn_core_module', 'mod_authn_core.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['authz_user_module', 'mod_authz_user.so'],
  ['mime_module', 'mod_mime.so'],
  ['dir_module', 'mod_dir.so'],
  ['include_module', 'mod_include.so'],
  ['auth_openidc_module', 'mod_auth_openidc.so'],
];

export type ApacheOidcOptions = {
  /** The provider's discovery document, e.g. `<app>/oidc/.well-known/openid-configuration`. */
  metadataUrl: string;
  clientId: string;
  /** A confidential client: sent with client_secret_basic. */
  clientSecret: string;
  scope?: string;
  /** The claim that becomes REMOTE_USER. */
  remoteUserClaim?: string;
};

export type RunningApache = {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The protected page: shows "Logged in as <user>" once the RP has a session. */
  protectedUrl: string;
  /** Register this as the client's redirect URI. */
  redirectUri: string;
  /** Register this as the client's backchannel_logout_uri. */
  backchannelLogoutUri: string;
  /** The RP's own logout (RP-initiated logout at the provider, then `then`). */
  logoutUrl: (then?: string) => string;
  dir: string;
  errorLog: () => Promise<string>;
  stop: () => Promise<void>;
};

/** A loopback port nobody listens on right now (Apache binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The address Apache will serve on, known before it starts (the client must list it). */
export async function reserveApache(): Promise<{
  port: number;
  url: string;
  redirectUri: string;
  backchannelLogoutUri: string;
}> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const redirectUri = `${url}/protected/redirect_uri`;
  return { port, url, redirectUri, backchannelLogoutUri: `${redirectUri}?logout=backchannel` };
}

function quote(value: string): string {
  if (/["\\\n]/.test(value))
    throw new Error(`cannot put ${JSON.stringify(value)} in an Apache config`);
  return `"${value}"`;
}

/** The whole httpd configuration, self-contained (no /etc/apache2). */
export function apacheConfig(opts: {
  dir: string;
  port: number;
  oidc: ApacheOidcOptions;
  passphrase: string;
  runAs: { user: string; group: string } | null;
  logLevel?: string;
}): string {
  const { dir, port, oidc } = opts;
  const url = `http://127.0.0.1:${port}`;
  return [
    `ServerRoot ${quote(dir)}`,
    `ServerName 127.0.0.1:${port}`,
    `Listen 127.0.0.1:${port}`,
    `PidFile ${quote(path.join(dir, 'httpd.pid'))}`,
    `DefaultRuntimeDir ${quote(path.join(dir, 'run'))}`,
    `ErrorLog ${quote(path.join(dir, 'error.log'))}`,
    `LogLevel ${opts.logLevel ?? 'warn auth_openidc:info'}`,
    ...MODULES.map(
      ([name, file]) => `LoadModule ${name} ${quote(path.join(APACHE_MODULES, file))}`,
    ),
    // Started as root, httpd serves as an unprivileged user (it refuses to serve as root).
    ...(opts.runAs ? [`User ${opts.runAs.user}`, `Group ${opts.runAs.group}`] : []),
    'StartServers 1',
    'ServerLimit 1',
    'ThreadsPerChild 16',
    'MaxRequestWorkers 16',
    'KeepAlive Off',
    `DocumentRoot ${quote(path.join(dir, 'htdocs'))}`,
    `TypesConfig ${quote(path.join(dir, 'mime.types'))}`,
    'DirectoryIndex index.shtml index.html',
    'AddType text/html .shtml',
    'AddOutputFilter INCLUDES .shtml',
    `<Directory ${quote(path.join(dir, 'htdocs'))}>`,
    '  Options +Includes',
    '  AllowOverride None',
    '  Require all granted',
    '</Directory>',
    '',
    `OIDCProviderMetadataURL ${quote(oidc.metadataUrl)}`,
    `OIDCClientID ${quote(oidc.clientId)}`,
    `OIDCClientSecret ${quote(oidc.clientSecret)}`,
    'OIDCProviderTokenEndpointAuth client_secret_basic',
    `OIDCRedirectURI ${quote(`${url}/protected/redirect_uri`)}`,
    `OIDCCryptoPassphrase ${quote(opts.passphrase)}`,
    `OIDCScope ${quote(oidc.scope ?? 'openid email profile')}`,
    `OIDCRemoteUserClaim ${oidc.remoteUserClaim ?? 'preferred_username'}`,
    'OIDCPKCEMethod S256',
    // Back-channel logout needs the sessions on the server, where the logout can find them.
    'OIDCSessionType server-cache',
    'OIDCCacheType shm',
    // Where the RP may send the browser after its own logout (relative paths are fine).
    `OIDCRedirectURLsAllowed ${quote(`^${url.replace(/\./g, '[.]')}/`)}`,
    '',
    '<Location /protected>',
    '  AuthType openid-connect',
    '  Require valid-user',
    '</Location>',
    '',
  ].join('\n');
}

const PROTECTED_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Protected by mod_auth_openidc</title></head>
<body>
<h1>Protected page</h1>
<p id="user">Logged in as <!--#echo var="REMOTE_USER" --></p>
<p id="email"><!--#echo var="OIDC_CLAIM_email" --></p>
</body>
</html>
`;

const PUBLIC_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Public</title></head>
<body><p>Public page</p></body></html>
`;

function runAsFor(): { user: string; group: string } | null {
  return process.getuid?.() === 0 ? { user: 'www-data', group: 'www-data' } : null;
}

async function writeTree(opts: {
  port: number;
  oidc: ApacheOidcOptions;
  logLevel?: string;
}): Promise<{ dir: string; conf: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'alm-apache-'));
  try {
    return await fillTree(dir, opts);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function fillTree(
  dir: string,
  opts: { port: number; oidc: ApacheOidcOptions; logLevel?: string },
): Promise<{ dir: string; conf: string }> {
  await mkdir(path.join(dir, 'run'));
  await mkdir(path.join(dir, 'htdocs', 'protected'), { recursive: true });
  await writeFile(path.join(dir, 'mime.types'), 'text/html html htm\ntext/plain txt\n');
  await writeFile(path.join(dir, 'htdocs', 'index.html'), PUBLIC_PAGE);
  await writeFile(path.join(dir, 'htdocs', 'protected', 'index.shtml'), PROTECTED_PAGE);
  const conf = path.join(dir, 'httpd.conf');
  await writeFile(
    conf,
    apacheConfig({
      dir,
      port: opts.port,
      oidc: opts.oidc,
      passphrase: randomBytes(24).toString('hex'),
      runAs: runAsFor(),
      ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
    }),
  );
  // mkdtemp makes 0700; the unprivileged server user must read the pages and the run dir.
  for (const p of [dir, path.join(dir, 'htdocs'), path.join(dir, 'htdocs', 'protected')])
    chmodSync(p, 0o755);
  chmodSync(path.join(dir, 'run'), 0o777);
  return { dir, conf };
}

const execFileP = promisify(execFile);

/** `apache2 -t`: whether httpd accepts the configuration (nothing is started). */
export async function checkApacheConfig(opts: {
  port: number;
  oidc: ApacheOidcOptions;
}): Promise<{ ok: boolean; output: string; conf: string }> {
  const { dir, conf } = await writeTree(opts);
  try {
    const { stdout, stderr } = await execFileP(APACHE_BIN, ['-t', '-f', conf]);
    return { ok: true, output: stdout + stderr, conf: await readFile(conf, 'utf8') };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return {
      ok: false,
      output: `${e.stdout ?? ''}${e.stderr ?? ''}`,
      conf: await readFile(conf, 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `apache2 -f <conf> -DFOREGROUND` on the reserved port and waits until it
 * answers. Stop it with `stop()` (in an afterAll); the temp dir goes with it unless
 * KEEP_APACHE=1 (then its path is printed, for reading error.log).
 */
export async function startApache(opts: {
  port: number;
  oidc: ApacheOidcOptions;
  logLevel?: string;
}): Promise<RunningApache> {
  const { dir, conf } = await writeTree(opts);
  const errorLog = () => readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
  const output: string[] = [];
  const child: ChildProcess = spawn(APACHE_BIN, ['-f', conf, '-DFOREGROUND'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 0);
      resolve();
    }),
  );

  const deadline = Date.now() + 15_000;
  while (!(await portOpen(opts.port))) {
    if (exited !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = await errorLog();
      await rm(dir, { recursive: true, force: true });
      throw new Error(
        `Apache did not start (exit ${String(exited)}):\n${output.join('')}\n${log}`.trim(),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const url = `http://127.0.0.1:${opts.port}`;
  const redirectUri = `${url}/protected/redirect_uri`;
  return {
    url,
    port: opts.port,
    protectedUrl: `${url}/protected/`,
    redirectUri,
    backchannelLogoutUri: `${redirectUri}?logout=backchannel`,
    logoutUrl: (then) => `${redirectUri}?logout=${encodeURIComponent(then ?? `${url}/index.html`)}`,
    dir,
    errorLog,
    async stop() {
      if (exited === null) {
        // SIGTERM: httpd stops its children and removes its pid file.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      if (process.env['KEEP_APACHE'] === '1') console.warn(`Apache files kept in ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}
