// Reads a CDP CPU profile (Profiler.stop): self time per function, biggest first, so the
// benchmark can say where an exporter's main-thread time goes.

/** The `top` functions by self time, as printable lines ("ms  name  url:line"). */
export function summarizeProfile(profile, top = 20) {
  const { nodes, samples, timeDeltas } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < samples.length; i++) {
    const { callFrame: f } = byId.get(samples[i]);
    const file = f.url ? f.url.split('/').pop() : '';
    const key = `${f.functionName || '(anonymous)'}  ${file}${file ? `:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, ms]) =>
        `${ms.toFixed(1).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`,
    )
    .join('\n');
}
