import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Runs Envoy under a tiny POSIX shell watchdog that holds the read end of a pipe from
 * this process. When this process goes away, however it dies (SIGKILL included), the
 * pipe reaches EOF and the watchdog stops Envoy, so no orphan keeps the ports. The shell
 * prints Envoy's own pid first, so stop() can signal Envoy directly.
 */
const WATCHDOG = `exec 3<&0 0</dev/null
"$0" "$@" 3<&- &
envoy=$!
echo "envoy-pid $envoy"
{ cat <&3 >/dev/null; kill -TERM "$envoy" 2>/dev/null; } &
exec 3<&-
trap 'kill -TERM "$envoy" 2>/dev/null' TERM INT HUP
while :; do
  wait "$envoy"; status=$?
  kill -0 "$envoy" 2>/dev/null || exit "$status"
done`;

/** How an Envoy process ended. */
export interface EnvoyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running Envoy child. */
export interface EnvoyProcess {
  /** Resolves when Envoy (and its watchdog) have exited. */
  readonly exited: Promise<EnvoyExit>;
  /** The last lines Envoy wrote to stderr, for error messages. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<EnvoyExit>;
}

/** Options for {@link spawnEnvoyProcess}. */
export interface SpawnEnvoyOptions {
  /** Receives every line Envoy writes (stderr logs, stdout access logs). @default keep the tail only */
  onLog?: (line: string) => void;
  /** How many log lines to keep for error messages. @default 40 */
  tailLines?: number;
}

/** Spawns `binary args...` under the watchdog; see {@link EnvoyProcess}. */
export function spawnEnvoyProcess(
  binary: string,
  args: string[],
  options: SpawnEnvoyOptions = {},
): EnvoyProcess {
  const tail: string[] = [];
  const keep = options.tailLines ?? 40;
  const log = (line: string): void => {
    tail.push(line);
    if (tail.length > keep) tail.shift();
    options.onLog?.(line);
  };
  const child = spawn('/bin/sh', ['-c', WATCHDOG, binary, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let envoyPid: number | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const marker = envoyPid === undefined ? /^envoy-pid (\d+)$/.exec(line) : null;
    if (marker) envoyPid = Number(marker[1]);
    else log(line);
  });
  createInterface({ input: child.stderr }).on('line', log);
  // Writing nothing; an EPIPE after the watchdog died is not an error worth crashing for.
  child.stdin.on('error', () => {});

  const exited = new Promise<EnvoyExit>((resolve) => {
    child.on('error', (error) => {
      log(`failed to start /bin/sh: ${error.message}`);
      resolve({ code: null, signal: null });
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const signal = (name: NodeJS.Signals, pids: (number | undefined)[]): void => {
    for (const pid of pids) {
      if (pid === undefined) continue;
      try {
        process.kill(pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  const onParentExit = (): void => signal('SIGKILL', [envoyPid, child.pid]);
  process.once('exit', onParentExit);
  void exited.then(() => {
    process.removeListener('exit', onParentExit);
    // Lets the watchdog's reader see EOF and finish too.
    child.stdin.end();
  });

  return {
    exited,
    logTail: () => tail.join('\n'),
    async stop(graceMs = 5_000) {
      // One SIGTERM, to Envoy itself (a second one during its shutdown would kill it
      // outright), so the watchdog reports Envoy's own exit status; to the shell only
      // before Envoy's pid is known (its trap forwards it). stdin stays open until Envoy
      // has exited, or the watchdog would send that second SIGTERM.
      signal('SIGTERM', [envoyPid ?? child.pid]);
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          signal('SIGKILL', [envoyPid, child.pid]);
          resolve();
        }, graceMs);
      });
      await Promise.race([exited, forced]);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
