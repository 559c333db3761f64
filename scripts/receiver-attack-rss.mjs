#!/usr/bin/env node
// The receiver's peak RSS under the resource attacks of issue 13, with its default limits:
// the built CLI in its own process, attacked over HTTP/2, its peak RSS read from
// /proc/<pid>/status (VmHWM) at the end. Prints one JSON line. Needs `npm run build`.
// Attacks: 40 gzip requests of 1.9 million empty attributes (each about 150 MB decoded),
// 100 streams announcing 4 MiB bodies that send 4 MiB - 1 bytes and stall, 60 requests
// per signal of one span with a 1 MiB attribute (filling the store), while an ordinary
// export is sent every 50 ms and must keep succeeding.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { gzipSync } from 'node:zlib';

const child = spawn(
  process.execPath,
  ['dist/src/receiver/cli.js', '--port', '0', '--log-level', 'warn'],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const url = await new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => {
    const m = /listening on (\S+)/.exec(String(d));
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`receiver exited ${code}`)));
});
let warnings = 0;
child.stderr.on('data', (d) => {
  process.stderr.write(d);
  warnings += String(d)
    .split('\n')
    .filter((l) => l.includes(' warn ')).length;
});

const PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const field = (tag, inner) => {
  const len = [];
  let n = inner.length;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    len.push(b);
  } while (n);
  return Buffer.concat([Buffer.of(tag), Buffer.from(len), inner]);
};
const span = (extra) =>
  field(
    0x0a,
    field(
      0x12,
      field(
        0x12,
        Buffer.concat([field(0x0a, Buffer.alloc(16, 7)), field(0x12, Buffer.alloc(8, 9)), extra]),
      ),
    ),
  );
const envelope = (data, flags = 0) => {
  const out = Buffer.alloc(5 + data.length);
  out[0] = flags;
  out.writeUInt32BE(data.length, 1);
  data.copy(out, 5);
  return out;
};
const bomb = envelope(gzipSync(span(Buffer.alloc(2 * 1_900_000, Buffer.of(0x4a, 0x00)))), 1);
const big = envelope(
  gzipSync(
    span(
      field(
        0x4a,
        Buffer.concat([
          field(0x0a, Buffer.from('pad')),
          field(0x12, field(0x0a, Buffer.alloc(1 << 20, 0x78))),
        ]),
      ),
    ),
  ),
  1,
);
const ordinary = envelope(span(Buffer.alloc(0)));

// Each attack on its own connection, as separate clients would send them.
const connect = () => {
  const session = http2.connect(url);
  session.on('error', () => {});
  return session;
};
const sessions = { ordinary: connect(), stalled: connect(), bomb: connect(), big: connect() };
const only = process.env.ATTACKS?.split(',');
const on = (kind) => only === undefined || only.includes(kind);
const statuses = {};
const call = (session, body, headers = {}) =>
  new Promise((resolve) => {
    const s = session.request({
      ':method': 'POST',
      ':path': PATH,
      'content-type': 'application/grpc',
      ...headers,
    });
    let status = 'reset';
    s.on('response', (h) => {
      if (h['grpc-status'] !== undefined) status = h['grpc-status'];
    });
    s.on('trailers', (t) => {
      status = t['grpc-status'];
    });
    s.on('error', () => {});
    s.on('close', () => resolve(status));
    s.resume();
    s.end(body);
  });
const count = (kind) => (status) => {
  statuses[kind] ??= {};
  statuses[kind][status] = (statuses[kind][status] ?? 0) + 1;
};

let attacking = true;
const ordinaryCalls = (async () => {
  while (attacking) {
    count('ordinary')(await call(sessions.ordinary, ordinary));
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const stalled = Array.from({ length: on('stalled') ? 100 : 0 }, () => {
  const s = sessions.stalled.request({
    ':method': 'POST',
    ':path': PATH,
    'content-type': 'application/grpc',
  });
  s.on('error', () => {});
  s.on('response', (h) => count('stalled')(h['grpc-status'] ?? 'trailers'));
  s.write(envelope(Buffer.alloc(4 * 1024 * 1024 - 1)).subarray(0, 4 * 1024 * 1024 + 3));
  return s;
});
await Promise.all([
  ...Array.from({ length: on('bomb') ? 40 : 0 }, () =>
    call(sessions.bomb, bomb, { 'grpc-encoding': 'gzip' }).then(count('bomb')),
  ),
  ...Array.from({ length: on('big') ? 60 : 0 }, () =>
    call(sessions.big, big, { 'grpc-encoding': 'gzip' }).then(count('1 MiB span')),
  ),
  new Promise((r) => setTimeout(r, 3000)),
]);
attacking = false;
await ordinaryCalls;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
for (const s of stalled) s.close();
for (const s of Object.values(sessions)) s.destroy();
child.kill('SIGTERM');
console.log(
  JSON.stringify({
    bench: 'receiver-attack-rss',
    peakRssMiB: Math.round(Number(hwm) / 1024),
    statuses,
    warnings,
  }),
);
