import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material for TLS tests: a CA, a server certificate for 127.0.0.1, a client certificate. */
export interface TestCerts {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by a different CA, which the server must refuse. */
  strangerCert: string;
  strangerKey: string;
  /** Deletes the temporary directory. */
  cleanup(): void;
}

/**
 * Generates certificates with the `openssl` CLI in a fresh temporary directory. The server
 * certificate carries subjectAltName IP:127.0.0.1 and DNS:localhost, since Node checks
 * the SAN rather than the common name.
 */
export function generateCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-receiver-certs-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    const makeCa = (name: string) => {
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        at(`${name}.key`),
        '-out',
        at(`${name}.crt`),
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
      );
    };
    const issue = (name: string, ca: string, ext: string) => {
      writeFileSync(at(`${name}.ext`), ext);
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        at(`${name}.key`),
        '-out',
        at(`${name}.csr`),
        '-subj',
        `/CN=${name}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        at(`${name}.csr`),
        '-CA',
        at(`${ca}.crt`),
        '-CAkey',
        at(`${ca}.key`),
        '-CAcreateserial',
        '-out',
        at(`${name}.crt`),
        '-days',
        '2',
        '-extfile',
        at(`${name}.ext`),
      );
    };
    makeCa('test-ca');
    makeCa('stranger-ca');
    issue(
      'server',
      'test-ca',
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    issue('client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
    issue('stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
    const read = (name: string) => readFileSync(at(name), 'utf8');
    return {
      ca: read('test-ca.crt'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
      strangerCert: read('stranger.crt'),
      strangerKey: read('stranger.key'),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
