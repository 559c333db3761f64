#!/usr/bin/env node
import { runEnvoyCli } from './cli-main.js';

/** `npm run envoy`: the gRPC-web bridge in the foreground; see `--help`. Ctrl-C stops it. */
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
runEnvoyCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
    // Signal handlers would otherwise keep a second Ctrl-C from ending a stuck run.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
  },
  (error) => {
    process.stderr.write(`envoy: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
