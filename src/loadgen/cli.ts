#!/usr/bin/env node
import { isOtlpError } from '../core/otlp-error.js';
import { parseLoadArgs, usage } from './load-options.js';
import { lostAnything, runLoad } from './run-load.js';

/** otlp-loadgen: drives any transport with real SDK telemetry through the OTel exporters; see `--help`. */
async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseLoadArgs>;
  try {
    options = parseLoadArgs(argv);
  } catch (error) {
    process.stderr.write(
      `otlp-loadgen: ${isOtlpError(error) ? error.rawMessage : String(error)}\n${usage}\n`,
    );
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const summary = await runLoad(options);
  if (summary.firstError) process.stderr.write(`otlp-loadgen: ${summary.firstError}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return lostAnything(summary) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`otlp-loadgen: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
