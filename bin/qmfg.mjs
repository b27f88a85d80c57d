#!/usr/bin/env node
// The `qmfg` command: runs the built CLI bundle (build with `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('qmfg: not built yet — run `npm run build` (or `npm start`) first');
  process.exit(1);
}
await import(cli);
