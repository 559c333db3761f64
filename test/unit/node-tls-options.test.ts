import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { isOtlpError } from '../../src/core/otlp-error.js';
import { resolveTlsOptions } from '../../src/node/tls-options.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('resolveTlsOptions', () => {
  const files: Record<string, string> = { '/ca.pem': 'CA FILE', '/c.pem': 'CERT', '/k.pem': 'KEY' };
  const readFile = (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return new TextEncoder().encode(text);
  };

  it('is empty without TLS options, so Node uses its root CAs', () => {
    expect(resolveTlsOptions(undefined, readFile)).toEqual({});
    expect(resolveTlsOptions({}, readFile)).toEqual({});
  });

  it('takes PEM text as is, reads paths, and copies bytes', () => {
    const options = resolveTlsOptions(
      {
        ca: [PEM, '/ca.pem', new TextEncoder().encode('CA BYTES')],
        cert: '/c.pem',
        key: '/k.pem',
        servername: 'collector.example',
        rejectUnauthorized: false,
      },
      readFile,
    );
    expect((options.ca as unknown[]).map(String)).toEqual([PEM, 'CA FILE', 'CA BYTES']);
    expect(String(options.cert)).toBe('CERT');
    expect(String(options.key)).toBe('KEY');
    expect(options.servername).toBe('collector.example');
    expect(options.rejectUnauthorized).toBe(false);
  });

  it('names the option and the path of an unreadable file', () => {
    const attempt = () => resolveTlsOptions({ ca: [PEM, '/missing.pem'] }, readFile);
    expect(attempt).toThrow('tls.ca[1]: cannot read PEM file "/missing.pem": ENOENT');
    try {
      attempt();
    } catch (error) {
      expect(isOtlpError(error) && error.code).toBe(Code.InvalidArgument);
    }
    expect(() => resolveTlsOptions({ ca: ' ' }, readFile)).toThrow('tls.ca is empty');
  });

  it('needs cert and key together', () => {
    expect(() => resolveTlsOptions({ key: '/k.pem' }, readFile)).toThrow(
      'tls.key given without tls.cert',
    );
    expect(() => resolveTlsOptions({ cert: '/c.pem' }, readFile)).toThrow(
      'tls.cert given without tls.key',
    );
  });
});
