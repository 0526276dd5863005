/**
 * Command-line switches that would let another process of the same user drive or read the app: a
 * debugger or remote-control port (Chromium's DevTools protocol, Node's inspector), V8 flags, TLS key
 * logging, a command wrapped around the renderer or GPU process, or the web and certificate checks
 * switched off. The fuses set at packaging turn off only Node's own switches (`--inspect`, NODE_OPTIONS);
 * Chromium's are read by Electron from any command line, so the app refuses to start with any of them.
 *
 * Switches that only change how the app looks or reaches the network (`--ozone-platform`,
 * `--proxy-server`, `--no-sandbox` for AppImages on systems without user namespaces) stay allowed:
 * TLS is verified whatever the proxy, and none of them opens the app to another process.
 */
const REFUSED_SWITCHES: readonly string[] = [
  // Chromium's DevTools protocol
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-debugging-io-pipes',
  'remote-allow-origins',
  'auto-open-devtools-for-tabs',
  // Node's inspector and legacy debugger (also refused in unpackaged runs, where no fuse applies)
  'inspect',
  'inspect-brk',
  'inspect-brk-node',
  'inspect-port',
  'inspect-publish-uid',
  'inspect-wait',
  'debug',
  'debug-brk',
  'debug-port',
  // V8 and Node flags (e.g. --js-flags=--allow-natives-syntax)
  'js-flags',
  // TLS session keys and network logs that would decrypt or reveal the traffic
  'ssl-key-log-file',
  'tls-keylog',
  'log-net-log',
  // Commands run around the app's own child processes
  'renderer-cmd-prefix',
  'gpu-launcher',
  'utility-cmd-prefix',
  'browser-subprocess-path',
  'ppapi-plugin-launcher',
  // The web's and TLS's checks switched off
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'allow-insecure-localhost',
  'disable-web-security',
  'allow-running-insecure-content',
  'disable-site-isolation-trials',
  'load-extension',
];

const REFUSED = new Set(REFUSED_SWITCHES);

/** Prefixes Chromium accepts for a switch: `--x` and `-x` everywhere, `/x` on Windows too. */
function switchName(arg: string, platform: NodeJS.Platform): string | undefined {
  let rest: string;
  if (arg.startsWith('--')) rest = arg.slice(2);
  else if (arg.startsWith('-')) rest = arg.slice(1);
  else if (platform === 'win32' && arg.startsWith('/')) rest = arg.slice(1);
  else return undefined;
  const eq = rest.indexOf('=');
  // Chromium lower-cases switch names on Windows; refusing every spelling costs nothing elsewhere.
  return (eq < 0 ? rest : rest.slice(0, eq)).toLowerCase();
}

/**
 * The refused switches on a command line (without values), in order, each once. Chromium stops reading
 * switches after a bare `--`; so does this check, as everything after it is a plain argument (a mailto: URL).
 */
export function refusedSwitches(argv: readonly string[], platform: NodeJS.Platform = process.platform): string[] {
  const found: string[] = [];
  // argv[0] is the executable itself.
  for (const arg of argv.slice(1)) {
    if (arg === '--') break;
    const name = switchName(arg, platform);
    if (name && REFUSED.has(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/**
 * Environment variables with the same effect as a refused switch: Chromium writes its TLS session keys
 * to SSLKEYLOGFILE. (NODE_OPTIONS and ELECTRON_RUN_AS_NODE are the fuses' business in packaged builds.)
 */
const REFUSED_ENV = ['SSLKEYLOGFILE'] as const;

export function refusedEnvironment(env: Record<string, string | undefined>): string[] {
  return REFUSED_ENV.filter((name) => (env[name] ?? '') !== '');
}

/** The one sentence on stderr when the app refuses to start (German first, English second). */
export function refusalMessage(names: readonly string[]): string {
  const list = names.map((n) => (n === n.toUpperCase() ? n : `--${n}`)).join(', ');
  return (
    `Ratsdesk startet nicht mit ${list}: diese Einstellung würde einem anderen Programm Zugriff auf die App geben. / ` +
    `Ratsdesk does not start with ${list}: it would give another program access to the app.`
  );
}

/** Exit code of a refused start (sysexits EX_USAGE). */
export const REFUSED_EXIT_CODE = 64;

/**
 * The first thing main.ts does: refuse to start when the command line or the environment carries a
 * switch that opens the app to another process. Returns true when the start was refused (exit called).
 */
export function refuseDangerousStart(host: {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  writeError(line: string): void;
  exit(code: number): void;
}): boolean {
  const names = [...refusedSwitches(host.argv, host.platform), ...refusedEnvironment(host.env)];
  if (names.length === 0) return false;
  host.writeError(refusalMessage(names));
  host.exit(REFUSED_EXIT_CODE);
  return true;
}
