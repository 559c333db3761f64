// The Worker example in real workerd through Miniflare's API, its console lines kept.
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { runtimeBinary } from './runtime-process.js';

/** The compatibility date of examples/cloudflare-worker/wrangler.toml. */
export const COMPATIBILITY_DATE = '2026-07-30';

export interface TestWorker {
  mf: Miniflare;
  /** What the Worker printed (console.log/warn/error), stdout and stderr. */
  output(): string;
  dispose(): Promise<void>;
}

/** Runs the bundled Worker at `scriptPath` with `bindings` (the wrangler.toml [vars]). */
export async function startWorker(
  scriptPath: string,
  bindings: Record<string, string>,
): Promise<TestWorker> {
  runtimeBinary('workerd');
  let output = '';
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    // The bundle lives in a temp dir; workerd refuses module paths climbing out of cwd.
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    // No request.cf: Miniflare would fetch it from the internet, closed here.
    cf: false,
    bindings,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    },
  });
  await mf.ready;
  return { mf, output: () => output, dispose: () => mf.dispose() };
}

/** The JSON lines the exporters' default onError printed for each drop. */
export function drops(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"otlp.export.dropped"'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
}
