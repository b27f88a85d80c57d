#!/usr/bin/env node
// Builds the server/CLI bundle (esbuild: a single ESM bundle with lazily loaded chunks per command,
// so `qmfg analyze` starts without loading Fastify) and the web app (Vite) into dist/.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverOnly = process.argv.includes('--server-only');
const started = Date.now();
// Dependencies stay external (node_modules at run time), except small pure-JS ones every command
// loads: bundling them spares Node's ESM package resolution at each start (~35 ms of `qmfg analyze`).
const BUNDLED = new Set(['luxon', 'commander']);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);
rmSync(join(root, 'dist/server'), { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, 'src/cli/index.ts') },
  outdir: join(root, 'dist'),
  chunkNames: 'server/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // commander is CommonJS and requires Node built-ins: give the ESM bundle a `require`
  banner: { js: "import { createRequire as __qmfgCreateRequire } from 'node:module'; const require = __qmfgCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`qmfg: server built in ${Date.now() - started} ms`);
if (!serverOnly) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`qmfg: web app built in ${Date.now() - started} ms`);
}
