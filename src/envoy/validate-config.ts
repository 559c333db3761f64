import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * Runs `envoy --mode validate` on a YAML config, which parses it against Envoy's own
 * schemas and builds every listener and cluster without binding ports, so a bad config
 * fails here instead of at deploy time. Resolves to Envoy's output (the verdict line plus
 * any warnings, such as deprecated fields); rejects with an OtlpError(InvalidArgument)
 * carrying Envoy's reason.
 */
export async function validateEnvoyConfig(envoyPath: string, yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otlp-envoy-validate-'));
  try {
    const file = join(dir, 'envoy.yaml');
    await writeFile(file, yaml);
    return await new Promise((resolve, reject) => {
      const args = ['--mode', 'validate', '-c', file, '-l', 'warn'];
      execFile(envoyPath, args, { timeout: 60_000 }, (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error) {
          reject(
            new OtlpError(
              `envoy rejected the config: ${output || error.message}`,
              INVALID_ARGUMENT,
            ),
          );
        } else {
          resolve(output);
        }
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
