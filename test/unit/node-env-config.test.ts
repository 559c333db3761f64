import { describe, expect, it, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import { isOtlpError } from '../../src/core/otlp-error.js';
import { readOtlpEnv } from '../../src/node/index.js';

/** The OtlpError readOtlpEnv throws for `env` with `strict`, so tests can check code and message. */
function errorOf(env: Record<string, string>, signal: 'traces' | 'metrics' | 'logs' = 'traces') {
  try {
    readOtlpEnv(signal, env, { strict: true });
  } catch (error) {
    if (isOtlpError(error)) return error;
    throw error;
  }
  throw new Error('readOtlpEnv did not throw');
}

describe('readOtlpEnv', () => {
  it('returns nothing for an empty environment, so exporter defaults apply', () => {
    expect(readOtlpEnv('traces', {})).toEqual({});
    // Empty values count as unset, as the specification says.
    expect(
      readOtlpEnv('traces', { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TIMEOUT: ' ' }),
    ).toEqual({});
  });

  it('reads every general variable', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4317',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=secret,X-Tenant=acme',
      OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_INSECURE: 'false',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/otel/ca.pem',
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/etc/otel/client.pem',
      OTEL_EXPORTER_OTLP_CLIENT_KEY: '/etc/otel/client.key',
    };
    const expected = {
      url: 'https://collector:4317',
      headers: { 'api-key': 'secret', 'x-tenant': 'acme' },
      timeoutMillis: 5000,
      compression: 'gzip',
      protocol: 'grpc',
      insecure: false,
      tls: { ca: '/etc/otel/ca.pem', cert: '/etc/otel/client.pem', key: '/etc/otel/client.key' },
    };
    expect(readOtlpEnv('traces', env)).toEqual(expected);
    expect(readOtlpEnv('metrics', env)).toEqual(expected);
    expect(readOtlpEnv('logs', env)).toEqual(expected);
  });

  it('lets signal-specific variables take precedence, for their signal only', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://general:4317',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:4317',
      OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
      OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '20000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/general-ca.pem',
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: '/traces-ca.pem',
      OTEL_EXPORTER_OTLP_INSECURE: 'false',
      OTEL_EXPORTER_OTLP_LOGS_INSECURE: 'TRUE',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc',
    };
    expect(readOtlpEnv('traces', env)).toMatchObject({
      url: 'http://general:4317',
      timeoutMillis: 5000,
      compression: 'gzip',
      tls: { ca: '/traces-ca.pem' },
      insecure: false,
      protocol: 'http/protobuf',
    });
    expect(readOtlpEnv('metrics', env)).toMatchObject({
      url: 'http://metrics:4317',
      timeoutMillis: 5000,
      compression: 'none',
      tls: { ca: '/general-ca.pem' },
      protocol: 'grpc',
    });
    expect(readOtlpEnv('logs', env)).toMatchObject({
      url: 'http://general:4317',
      timeoutMillis: 20000,
      insecure: true,
    });
  });

  it('merges general and signal-specific headers, signal-specific names winning', () => {
    const env = {
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=general,x-team=core',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'API-Key=traces',
    };
    expect(readOtlpEnv('traces', env).headers).toEqual({ 'api-key': 'traces', 'x-team': 'core' });
    expect(readOtlpEnv('logs', env).headers).toEqual({ 'api-key': 'general', 'x-team': 'core' });
  });

  it('percent-decodes header names and values and trims spaces', () => {
    const env = {
      OTEL_EXPORTER_OTLP_HEADERS:
        ' authorization = Basic%20dXNlcjpwYXNz , x-list=a%2Cb%3Dc,x-utf8=caf%C3%A9,,x-empty=',
    };
    expect(readOtlpEnv('traces', env).headers).toEqual({
      authorization: 'Basic dXNlcjpwYXNz',
      'x-list': 'a,b=c',
      'x-utf8': 'café',
      'x-empty': '',
    });
  });

  it('adds a scheme to an endpoint without one: https, or http when INSECURE=true', () => {
    expect(readOtlpEnv('traces', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }).url).toBe(
      'https://collector:4317',
    );
    const insecure = readOtlpEnv('traces', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
      OTEL_EXPORTER_OTLP_INSECURE: 'true',
    });
    expect(insecure).toEqual({ url: 'http://collector:4317', insecure: true });
    // A scheme given explicitly wins over INSECURE.
    const explicit = readOtlpEnv('traces', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4317',
      OTEL_EXPORTER_OTLP_INSECURE: 'true',
    });
    expect(explicit.url).toBe('https://collector:4317');
  });

  it('rejects invalid values with INVALID_ARGUMENT naming the variable and the value', () => {
    const cases: [Record<string, string>, string][] = [
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: 'ten' }, 'OTEL_EXPORTER_OTLP_TIMEOUT="ten"'],
      [{ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '-5' }, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT="-5"'],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: '0' }, 'OTEL_EXPORTER_OTLP_TIMEOUT="0"'],
      [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' }, 'OTEL_EXPORTER_OTLP_COMPRESSION="brotli"'],
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc-web' }, 'OTEL_EXPORTER_OTLP_PROTOCOL="grpc-web"'],
      [{ OTEL_EXPORTER_OTLP_INSECURE: 'yes' }, 'OTEL_EXPORTER_OTLP_INSECURE="yes"'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://' }, 'OTEL_EXPORTER_OTLP_ENDPOINT="http://"'],
      [
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector:21' },
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="ftp://collector:21"',
      ],
      [
        { OTEL_EXPORTER_OTLP_CLIENT_KEY: '/k.pem' },
        'OTEL_EXPORTER_OTLP_CLIENT_KEY="/k.pem" is invalid: mutual TLS also needs',
      ],
    ];
    for (const [env, text] of cases) {
      const error = errorOf(env);
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toContain(text);
    }
  });

  it('warns naming a malformed variable and uses the default for it alone, as the spec says', () => {
    const warnings: string[] = [];
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_TIMEOUT: '10s',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cret,broken',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=acme',
      OTEL_EXPORTER_OTLP_CLIENT_KEY: '/key.pem',
    };
    expect(readOtlpEnv('traces', env, { warn: (m) => warnings.push(m) })).toEqual({
      url: 'http://collector:4317',
      headers: { 'x-tenant': 'acme' },
    });
    expect(warnings).toEqual([
      expect.stringContaining('OTEL_EXPORTER_OTLP_HEADERS is invalid: entry 2 has no "="'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_TIMEOUT="10s" is invalid'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_COMPRESSION="brotli" is invalid'),
      expect.stringContaining('mutual TLS also needs'),
    ]);
    expect(warnings.join('\n')).not.toContain('s3cret');
    // Without `warn`, the warning goes to console.warn.
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(readOtlpEnv('logs', { OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '-1' })).toEqual({});
      expect(spy).toHaveBeenCalledWith(
        expect.stringMatching(
          /^otlp-grpc-web: OTEL_EXPORTER_OTLP_LOGS_TIMEOUT="-1" is invalid.*using the default$/,
        ),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('warns about an OTLP/HTTP signal path on an endpoint and uses the default', () => {
    const warnings: string[] = [];
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' };
    expect(readOtlpEnv('traces', env, { warn: (m) => warnings.push(m) })).toEqual({});
    expect(warnings).toEqual([
      expect.stringContaining(
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://collector:4318/v1/traces" is invalid: ends with the OTLP/HTTP path "/v1/traces"',
      ),
    ]);
    expect(errorOf(env).code).toBe(Code.InvalidArgument);
    // Other paths stay allowed: a gRPC-web proxy may serve under a prefix.
    expect(
      readOtlpEnv('traces', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://edge.example/otlp' }),
    ).toEqual({
      url: 'https://edge.example/otlp',
    });
  });

  it('rejects malformed headers without echoing their (secret) values', () => {
    const noEquals = errorOf({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=ok,Bearer s3cret' });
    expect(noEquals.code).toBe(Code.InvalidArgument);
    expect(noEquals.rawMessage).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    expect(noEquals.rawMessage).toContain('entry 2 has no "="');
    expect(noEquals.rawMessage).not.toContain('s3cret');
    const badEscape = errorOf({ OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'token=s3cret%zz' }, 'logs');
    expect(badEscape.rawMessage).toContain('OTEL_EXPORTER_OTLP_LOGS_HEADERS');
    expect(badEscape.rawMessage).toContain('the value of token has a broken %-escape');
    expect(badEscape.rawMessage).not.toContain('s3cret');
    const badName = errorOf({ OTEL_EXPORTER_OTLP_HEADERS: 'bad name=1' });
    expect(badName.rawMessage).toContain('"bad name" is not a valid header name');
    const lineBreak = errorOf({ OTEL_EXPORTER_OTLP_HEADERS: 'x=a%0D%0Ay' });
    expect(lineBreak.rawMessage).toContain('the value of x holds a line break');
  });

  it('reads process.env by default', () => {
    const name = 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT';
    const before = process.env[name];
    process.env[name] = '1234';
    try {
      expect(readOtlpEnv('metrics').timeoutMillis).toBe(1234);
    } finally {
      if (before === undefined) delete process.env[name];
      else process.env[name] = before;
    }
  });
});
