#!/usr/bin/env node
import { createProcessIo, runCli } from './cli/main.js';

// All logic lives in cli/main.ts (tested in-process); this only binds it to the process.
process.exit(await runCli(process.argv.slice(2), createProcessIo()));
