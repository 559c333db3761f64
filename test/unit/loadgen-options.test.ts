import { describe, expect, it } from 'vitest';
import { parseLoadArgs } from '../../src/loadgen/load-options.js';

const base = ['--transport', 'grpc', '--url', 'http://127.0.0.1:4317'];

describe('otlp-loadgen arguments', () => {
  it('applies documented defaults', () => {
    expect(parseLoadArgs([...base, '--traces', '10'])).toEqual({
      transport: 'grpc',
      url: 'http://127.0.0.1:4317',
      traces: 10,
      logs: 0,
      metrics: 0,
      batch: 512,
      compression: 'none',
      concurrency: 4,
      headers: {},
      timeoutMs: 10_000,
      seed: 1,
    });
  });

  it('collects repeated headers', () => {
    const options = parseLoadArgs([
      ...base,
      '--logs',
      '1',
      '--header',
      'X-Api-Key=k',
      '--header',
      'a=b=c',
    ]);
    expect(options).toMatchObject({ headers: { 'x-api-key': 'k', a: 'b=c' } });
  });

  it.each([
    [
      ['--transport', 'http', '--url', 'http://x', '--traces', '1'],
      /--transport must be grpc or grpc-web/,
    ],
    [['--transport', 'grpc', '--url', 'x:4317', '--traces', '1'], /--url must be an http/],
    [[...base, '--traces=-1'], /--traces must be an integer >= 0, got "-1"/],
    [[...base, '--traces', '1', '--batch', '0'], /--batch must be an integer >= 1/],
    [[...base, '--traces', '1', '--compression', 'br'], /--compression must be gzip or none/],
    [[...base, '--traces', '1', '--header', 'novalue'], /--header must be key=value/],
    [[...base], /nothing to send/],
    [[...base, '--traces', '1', '--bogus'], /bogus/],
  ])('rejects %j naming the problem', (argv, message) => {
    expect(() => parseLoadArgs(argv)).toThrow(message);
  });

  it('recognises --help', () => {
    expect(parseLoadArgs(['--help'])).toBe('help');
  });
});
