// Runs a real runtime (deno, bun, edge-runtime) as a child process serving a bundled
// example, and stops it. A runtime that is not installed fails the test, in CI and
// locally alike: these tests are never skipped.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../node_modules/.bin');

/** The runtime's binary from node_modules/.bin; throws, naming the fix, when absent. */
export function runtimeBinary(name: 'deno' | 'bun' | 'edge-runtime' | 'workerd'): string {
  const path = resolve(BIN, name);
  if (!existsSync(path)) {
    throw new Error(
      `${name} is not installed (${path}); it is a devDependency: run npm ci. Edge tests never skip a runtime${process.env.CI ? ' (CI=true)' : ''}.`,
    );
  }
  return path;
}

/** A runtime serving HTTP. */
export interface RuntimeServer {
  /** Base URL, from the server's own "listening on" line. */
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (the examples drain their telemetry then exit); SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Spawns `binary args` and resolves once it prints a URL matching `ready`, rejecting with
 * its output if it exits first or prints nothing in 30 s.
 */
export function startRuntime(
  binary: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  cwd: string,
): Promise<RuntimeServer> {
  const child = spawn(binary, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolveServer, reject) => {
    const give = setTimeout(() => fail('printed no listening line in 30 s'), 30_000);
    const fail = (why: string) => {
      clearTimeout(give);
      void stopChild(child, exited);
      reject(new Error(`${binary} ${args.join(' ')} ${why}:\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(give);
        resolveServer({
          url: match[1]!.replace(/\/$/, ''),
          output: () => output,
          stop: () => stopChild(child, exited),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => fail(`exited (code ${code}, signal ${signal})`));
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
