// Where a CDP CPU profile's main-thread time goes, by part of the page: each sample is
// charged to the module of the innermost JavaScript frame on its stack (the unminified
// bundle's "// dist/src/encode/trace.js" comments name the modules), and a native leaf
// under it (fetch, postMessage, a stream's read) is named beside it. Also the inclusive
// time of the page's functions, so "send" or "encode" reads as one figure.

/** The part a bundled module belongs to. */
function partOf(module) {
  if (!module) return 'other';
  if (module.startsWith('bench/browser/page')) return 'page: making spans';
  if (module.includes('@opentelemetry/')) return 'OTel SDK';
  const m = /dist\/src\/(.+)\.js$/.exec(module);
  if (!m) return module;
  const path = m[1];
  if (path.startsWith('encode/')) return 'ours: encoder';
  if (path.startsWith('protocol/')) return 'ours: protocol (envelope, headers, response)';
  if (path === 'web/byte-stream') return 'ours: byte streams (response read, gzip)';
  if (path === 'web/worker-compression') return 'ours: worker hand-off';
  if (path === 'web/in-task-compression' || path === 'web/compression')
    return 'ours: stream compression';
  if (path === 'web/grpc-web-transport') return 'ours: transport (fetch call)';
  if (path.startsWith('core/')) return 'ours: export core';
  if (path.startsWith('otel/')) return 'ours: OTel adapter';
  return `ours: ${path}`;
}

/** Line -> module for each bundle ({ 'dev-ours.js': text }). */
function moduleMaps(sources) {
  const maps = {};
  for (const [file, text] of Object.entries(sources)) {
    const starts = [];
    text.split('\n').forEach((line, i) => {
      const m = /^\/\/ (\S+\.m?js)$/.exec(line);
      if (m) starts.push([i, m[1]]);
    });
    maps[file] = (line) => {
      let found;
      for (const [start, module] of starts) {
        if (start > line) break;
        found = module;
      }
      return found;
    };
  }
  return maps;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * Summarizes `profile` as printable lines: ms per part (self time charged to the innermost
 * bundled frame, native leaves named), and the top inclusive times of bundled functions;
 * the mean over `profiles` (one or an array). `sources` maps a served file name to its
 * unminified text; `spans` (the spans of one run) scales to ms per 1,000 spans.
 */
export function breakdownProfile(profiles, sources, { spans, top = 25 } = {}) {
  const maps = moduleMaps(sources);
  const where = (f) => {
    const file = f.url ? f.url.split('/').pop() : '';
    const map = maps[file];
    return map ? map(f.lineNumber) : undefined;
  };
  const parts = new Map();
  const natives = new Map();
  const inclusive = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  let busy = 0;
  const runs = [profiles].flat();
  for (const { nodes, samples, timeDeltas } of runs) {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (let i = 0; i < samples.length; i++) {
      const ms = (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0) / 1000;
      const leaf = byId.get(samples[i]);
      const name = leaf.callFrame.functionName;
      if (name === '(idle)') continue;
      busy += ms;
      if (SPECIAL.has(name)) {
        add(parts, name, ms);
        continue;
      }
      let part;
      const seen = new Set();
      for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id).callFrame;
        const module = where(f);
        if (!module) continue;
        if (part === undefined) part = partOf(module);
        const key = `${f.functionName || '(anonymous)'}  [${partOf(module)}]`;
        if (!seen.has(key)) {
          seen.add(key);
          add(inclusive, key, ms);
        }
      }
      part ??= leaf.callFrame.url ? 'other script' : 'native, no page frame';
      add(parts, part, ms);
      if (!where(leaf.callFrame)) add(natives, `${name || '(anonymous)'}  under ${part}`, ms);
    }
  }
  // Figures are per run (the mean of the profiled runs), per 1,000 spans when given.
  const scale = (spans ? 1000 / spans : 1) / runs.length;
  const unit = spans ? 'ms/1k spans' : 'ms';
  const fmt = (ms) => (ms * scale).toFixed(spans ? 2 : 1).padStart(8);
  const pct = (ms) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  const sorted = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `busy (non-idle) main thread: ${fmt(busy)} ${unit}`,
    `by part (self time, charged to the innermost page frame), ${unit}:`,
    ...sorted(parts, 30).map(([k, ms]) => `${fmt(ms)} ${pct(ms)}  ${k}`),
    `native leaves (no JS of their own), ${unit}:`,
    ...sorted(natives, 15).map(([k, ms]) => `${fmt(ms)} ${pct(ms)}  ${k}`),
    `inclusive time of page functions, ${unit}:`,
    ...sorted(inclusive, top).map(([k, ms]) => `${fmt(ms)} ${pct(ms)}  ${k}`),
  ].join('\n');
}
