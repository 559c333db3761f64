// Throwaway TLS material for the Envoy tests, made with the openssl CLI (.ci/run installs it):
// Node can sign nothing itself, and committed keys would be a bad habit.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  /** Self-signed (CA:TRUE) certificate for localhost and 127.0.0.1; it is its own CA. */
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  remove(): Promise<void>;
}

/** Writes a P-256 key and a one-day self-signed certificate into a fresh temp dir. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'otlp-envoy-certs-'));
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  await new Promise<void>((resolve, reject) => {
    execFile(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      (error, _stdout, stderr) =>
        error ? reject(new Error(`openssl failed: ${stderr || error.message}`)) : resolve(),
    );
  });
  return {
    dir,
    certFile,
    keyFile,
    cert: await readFile(certFile, 'utf8'),
    key: await readFile(keyFile, 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
