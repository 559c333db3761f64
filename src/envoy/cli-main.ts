import { parseArgs } from 'node:util';
import { INVALID_ARGUMENT } from '../core/code.js';
import { isOtlpError, OtlpError } from '../core/otlp-error.js';
import { type EnvoyConfigOptions, envoyDefaults } from './envoy-options.js';
import { findEnvoy } from './find-envoy.js';
import { renderEnvoyConfig } from './render-config.js';
import { type StartEnvoyOptions, startEnvoy } from './start-envoy.js';
import { validateEnvoyConfig } from './validate-config.js';

export const envoyUsage = `usage: npm run envoy -- [--port ${envoyDefaults.port}] [--host ${envoyDefaults.host}]
       [--upstream host:port ...] [--cors-origin ORIGIN ...] [--admin-port ${envoyDefaults.adminPort}]
       [--max-request-bytes ${envoyDefaults.maxRequestBytes}] [--path-prefix /pkg.Service/ ...]
       [--tls-cert FILE --tls-key FILE] [--upstream-tls] [--upstream-ca FILE]
       [--upstream-server-name NAME] [--upstream-cert FILE --upstream-key FILE]
       [--access-log] [--log-level warn] [--print-config | --validate | --install]

Runs Envoy in the foreground as a gRPC-web -> gRPC bridge in front of OTLP backends
(default upstream ${envoyDefaults.upstreams[0]}); Ctrl-C stops it. Port 0 picks a free port.
--print-config writes the rendered YAML to stdout; --validate runs "envoy --mode validate"
on it; --install finds Envoy or pip-installs it into .venv and prints its path.`;

/** Where the CLI writes, and what stops it; injectable so tests run it in-process. */
export interface EnvoyCliIo {
  /** @default process.stdout.write */
  stdout: (text: string) => void;
  /** @default process.stderr.write */
  stderr: (text: string) => void;
  /** Aborting it stops Envoy and ends the run (the bin wires SIGINT/SIGTERM to it). */
  signal: AbortSignal;
  /** @default startEnvoy */
  start?: typeof startEnvoy;
}

type Mode = 'run' | 'print' | 'validate' | 'install' | 'help';

function integer(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n)) {
    throw new OtlpError(`--${flag} must be an integer, got "${raw}"`, INVALID_ARGUMENT);
  }
  return n;
}

/** Parses the CLI's flags into start options; throws OtlpError(InvalidArgument) on bad ones. */
export function parseEnvoyArgs(argv: string[]): { mode: Mode; options: StartEnvoyOptions } {
  let v: ReturnType<typeof parse>['values'];
  try {
    v = parse(argv).values;
  } catch (error) {
    throw new OtlpError((error as Error).message, INVALID_ARGUMENT);
  }
  const modes = (['print-config', 'validate', 'install', 'help'] as const).filter((m) => v[m]);
  if (modes.length > 1) {
    throw new OtlpError(`choose one of --${modes.join(', --')}`, INVALID_ARGUMENT);
  }
  const mode: Mode = modes[0] === 'print-config' ? 'print' : (modes[0] ?? 'run');
  const options: StartEnvoyOptions = { adminPort: envoyDefaults.adminPort };
  const set = <K extends keyof StartEnvoyOptions>(
    key: K,
    value: StartEnvoyOptions[K] | undefined,
  ) => {
    if (value !== undefined) options[key] = value;
  };
  set('port', integer('port', v.port));
  set('adminPort', integer('admin-port', v['admin-port']));
  set('maxRequestBytes', integer('max-request-bytes', v['max-request-bytes']));
  set('host', v.host);
  set('upstreams', v.upstream);
  set('corsOrigins', v['cors-origin']);
  set('pathPrefixes', v['path-prefix']);
  if (v['access-log']) options.accessLog = true;
  if (v['log-level'] !== undefined) {
    const levels = ['trace', 'debug', 'info', 'warn', 'error', 'critical', 'off'] as const;
    const level = levels.find((l) => l === v['log-level']);
    if (!level)
      throw new OtlpError(`--log-level must be one of ${levels.join(', ')}`, INVALID_ARGUMENT);
    options.logLevel = level;
  }
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) {
    throw new OtlpError('--tls-cert and --tls-key go together', INVALID_ARGUMENT);
  }
  if (v['tls-cert'] !== undefined && v['tls-key'] !== undefined) {
    options.tls = { certFile: v['tls-cert'], keyFile: v['tls-key'] };
  }
  const up: NonNullable<EnvoyConfigOptions['upstreamTls']> = {};
  if (v['upstream-ca'] !== undefined) up.caFile = v['upstream-ca'];
  if (v['upstream-server-name'] !== undefined) up.serverName = v['upstream-server-name'];
  if (v['upstream-cert'] !== undefined) up.certFile = v['upstream-cert'];
  if (v['upstream-key'] !== undefined) up.keyFile = v['upstream-key'];
  if (v['upstream-tls'] || Object.keys(up).length > 0) options.upstreamTls = up;
  return { mode, options };
}

function parse(argv: string[]) {
  const text = { type: 'string' } as const;
  const list = { type: 'string', multiple: true } as const;
  const flag = { type: 'boolean' } as const;
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: text,
      host: text,
      upstream: list,
      'cors-origin': list,
      'admin-port': text,
      'max-request-bytes': text,
      'path-prefix': list,
      'tls-cert': text,
      'tls-key': text,
      'upstream-tls': flag,
      'upstream-ca': text,
      'upstream-server-name': text,
      'upstream-cert': text,
      'upstream-key': text,
      'access-log': flag,
      'log-level': text,
      'print-config': flag,
      validate: flag,
      install: flag,
      help: flag,
    },
  });
}

/**
 * The `npm run envoy` command, in-process: renders, then prints, validates, or runs Envoy
 * in the foreground until `io.signal` aborts. Resolves to the exit code (2: bad arguments,
 * 1: Envoy failed or exited on its own).
 */
export async function runEnvoyCli(argv: string[], io: EnvoyCliIo): Promise<number> {
  let parsed: ReturnType<typeof parseEnvoyArgs>;
  let yaml: string;
  try {
    parsed = parseEnvoyArgs(argv);
    yaml = parsed.mode === 'help' ? '' : renderEnvoyConfig(parsed.options);
  } catch (error) {
    io.stderr(`envoy: ${isOtlpError(error) ? error.rawMessage : String(error)}\n${envoyUsage}\n`);
    return 2;
  }
  const { mode, options } = parsed;
  try {
    if (mode === 'help') {
      io.stdout(`${envoyUsage}\n`);
      return 0;
    }
    if (mode === 'print') {
      io.stdout(yaml);
      return 0;
    }
    const install = options.install ?? !process.env.CI;
    if (mode === 'install' || mode === 'validate') {
      const envoyPath = await findEnvoy({ install: mode === 'install' || install });
      io.stdout(
        mode === 'install' ? `${envoyPath}\n` : `${await validateEnvoyConfig(envoyPath, yaml)}\n`,
      );
      return 0;
    }
    return await runForeground(options, io);
  } catch (error) {
    io.stderr(`envoy: ${isOtlpError(error) ? error.rawMessage : String(error)}\n`);
    return 1;
  }
}

async function runForeground(options: StartEnvoyOptions, io: EnvoyCliIo): Promise<number> {
  const start = io.start ?? startEnvoy;
  const envoy = await start({ ...options, onLog: (line) => io.stderr(`${line}\n`) });
  const upstreams = (options.upstreams ?? envoyDefaults.upstreams).join(', ');
  io.stdout(
    `envoy listening on ${envoy.url} -> upstream ${upstreams} (admin http://127.0.0.1:${envoy.adminPort})\n`,
  );
  const aborted = new Promise<'stop'>((resolve) => {
    if (io.signal.aborted) resolve('stop');
    io.signal.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  const outcome = await Promise.race([aborted, envoy.exited]);
  await envoy.stop();
  // Ctrl-C reaches Envoy too (same process group) and it exits 0 on SIGINT/SIGTERM, so an
  // exit with code 0 is a requested stop as well, whichever event arrived first.
  if (outcome === 'stop' || outcome.code === 0) return 0;
  io.stderr(`envoy: exited on its own (code ${outcome.code}, signal ${outcome.signal})\n`);
  return 1;
}
