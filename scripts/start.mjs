#!/usr/bin/env node
// `npm start`: on a fresh clone installs what is missing, builds, then migrates, seeds the demo plant
// (first start) and serves on http://localhost:3000 (PORT). Only Node built-ins before the install.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt, ensureInstalled } from './lib/prepare.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
ensureInstalled(root);
ensureBuilt(root);
process.argv = [process.argv[0], join(root, 'dist/cli.js'), 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(join(root, 'dist/cli.js')).href);
