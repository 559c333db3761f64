// Several backends behind one Envoy: TCP health checks, outlier detection, retries of
// connect failures on another host, and a fleet that is entirely down.
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { closedPort, startTestUpstream, type TestUpstream } from './envoy-upstream.js';

let envoyPath: string;
const started: { stop(): Promise<void> }[] = [];
const upstreams: TestUpstream[] = [];

beforeAll(async () => {
  envoyPath = await findEnvoy({ install: !process.env.CI });
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await Promise.all(upstreams.map((u) => u.close()));
});

async function upstream(behavior?: string): Promise<TestUpstream> {
  const u = await startTestUpstream(behavior ? { behavior } : {});
  upstreams.push(u);
  return u;
}

async function envoyFor(ports: number[]): Promise<RunningEnvoy> {
  const envoy = await startEnvoy({
    envoyPath,
    port: 0,
    upstreams: ports.map((p) => `127.0.0.1:${p}`),
  });
  started.push(envoy);
  return envoy;
}

async function stat(envoy: RunningEnvoy, name: string): Promise<number> {
  const text = await (
    await fetch(`http://127.0.0.1:${envoy.adminPort}/stats?filter=^${name}$`)
  ).text();
  const match = new RegExp(`^${name.replaceAll('.', '\\.')}: (\\d+)$`, 'm').exec(text);
  if (!match) throw new Error(`no stat ${name} in: ${text}`);
  return Number(match[1]);
}

/** Sends `count` exports one after another; returns each outcome's code (0 = OK). */
async function exportMany(envoy: RunningEnvoy, count: number): Promise<number[]> {
  const client = createClient(
    TraceService,
    createGrpcWebTransport({ baseUrl: envoy.url, httpVersion: '1.1' }),
  );
  const codes: number[] = [];
  for (let i = 0; i < count; i++) {
    codes.push(
      await client.export({}, { timeoutMs: 8_000 }).then(
        () => 0,
        (e: unknown) => ConnectError.from(e).code,
      ),
    );
  }
  return codes;
}

describe('a fleet of backends behind Envoy', () => {
  it('skips a dead backend (health check) and ejects one that keeps failing (outlier detection)', async () => {
    const sick = await upstream('trailers-only-unavailable');
    const good = [await upstream(), await upstream()];
    const envoy = await envoyFor([sick.port, good[0]!.port, good[1]!.port, await closedPort()]);

    // The first health-check round runs before Envoy reports ready.
    expect(await stat(envoy, 'cluster.otlp_backends.health_check.network_failure')).toBeGreaterThan(
      0,
    );
    const codes = await exportMany(envoy, 30);
    // Round robin sends every third call to the sick backend until five in a row failed
    // (one more may slip through while the ejection reaches Envoy's worker threads);
    // without outlier detection it would fail ten.
    const failed = codes.filter((c) => c !== 0);
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(failed.length).toBeLessThanOrEqual(6);
    expect(new Set(failed)).toEqual(new Set([Code.Unavailable]));
    expect(codes.slice(-10)).toEqual(Array(10).fill(0));
    expect(sick.raw).toHaveLength(failed.length);
    expect(good[0]!.calls.length + good[1]!.calls.length).toBe(30 - failed.length);
    expect(
      await stat(envoy, 'cluster.otlp_backends.outlier_detection.ejections_enforced_total'),
    ).toBe(1);
    // The dead backend never got a call, so no request had to be retried.
    expect(await stat(envoy, 'cluster.otlp_backends.upstream_rq_retry')).toBe(0);
  });

  it('retries refused connections on other hosts, then answers UNAVAILABLE (not a hang) when all are down', async () => {
    const good = await upstream();
    // Two of three hosts dead is below the 50% panic threshold, so Envoy still sends to
    // every host; connect failures are retried on hosts not tried before.
    const envoy = await envoyFor([await closedPort(), await closedPort(), good.port]);
    const codes = await exportMany(envoy, 9);
    expect(codes).toEqual(Array(9).fill(0));
    expect(good.calls).toHaveLength(9);
    expect(await stat(envoy, 'cluster.otlp_backends.upstream_rq_retry_success')).toBeGreaterThan(0);

    await good.close();
    const client = createClient(
      TraceService,
      createGrpcWebTransport({ baseUrl: envoy.url, httpVersion: '1.1' }),
    );
    const error = ConnectError.from(
      await client.export({}, { timeoutMs: 8_000 }).catch((e: unknown) => e),
    );
    // Envoy's own answer (see local_reply_config), well before the client's deadline.
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toMatch(/^upstream unavailable: .*connection_failure/);
  });
});
