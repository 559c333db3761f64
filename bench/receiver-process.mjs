// The project's receiver as the benches' backend: the built otlp-receiver CLI in its own
// process on a free loopback port, as users run it, nothing printed while it works.
import { spawn } from 'node:child_process';

/** Starts it; resolves with its URL, its pid (for its CPU time) and a graceful stop. */
export async function startReceiverProcess() {
  const child = spawn(
    process.execPath,
    [
      'dist/src/receiver/cli.js',
      ...['--port', '0', '--summary-interval-ms', '0', '--max-stored-items', '1000'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (\S+)/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`receiver exited ${code}`)));
  });
  return {
    url,
    pid: () => child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
