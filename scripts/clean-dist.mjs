#!/usr/bin/env node
// Empties dist/src and dist/gen before a build, so the package never ships files (old
// source maps, renamed modules) that the current sources no longer produce.
import { rmSync } from 'node:fs';

for (const dir of ['dist/src', 'dist/gen']) rmSync(dir, { recursive: true, force: true });
