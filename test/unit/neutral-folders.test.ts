import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The runtime-neutral folders compile without DOM or Node types (tsconfig.core.json, part of
// `npm run typecheck`), so the compiler itself refuses a runtime API in any of them.

const root = join(import.meta.dirname, '..', '..');
const NEUTRAL = ['core', 'protocol', 'encode', 'otel', 'client', 'config', 'runtime'];

describe('tsconfig.core.json', () => {
  const text = readFileSync(join(root, 'tsconfig.core.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const config = JSON.parse(text) as {
    compilerOptions: { lib: string[]; types: string[] };
    include: string[];
  };

  it('covers every runtime-neutral folder, with no DOM lib and no @types', () => {
    expect(config.include.sort()).toEqual(NEUTRAL.map((folder) => `src/${folder}`).sort());
    expect(config.compilerOptions.types).toEqual([]);
    expect(config.compilerOptions.lib.filter((lib) => /dom|webworker/i.test(lib))).toEqual([]);
  });

  it('refuses Node and web APIs under those settings', async () => {
    const dir = join(root, '.tmp', `neutral-probe-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(
        join(dir, 'probe.ts'),
        'setTimeout(() => {}, 1);\nfetch("x");\nprocess.env;\nnew CompressionStream("gzip");\nexport {};\n',
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../tsconfig.core.json', include: ['probe.ts'] }),
      );
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = await promisify(execFile)(process.execPath, [tsc, '-p', dir]).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      );
      for (const name of ['setTimeout', 'fetch', 'process', 'CompressionStream']) {
        expect(result).toContain(`Cannot find name '${name}'`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
