#!/usr/bin/env node
// Builds the server/CLI bundle (esbuild: a single ESM bundle with lazily loaded chunks per command,
// so `qmfg analyze` starts without loading Fastify) and the web app (Vite) into dist/.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverOnly = process.argv.includes('--server-only');
const started = Date.now();
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
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`qmfg: server built in ${Date.now() - started} ms`);
if (!serverOnly) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`qmfg: web app built in ${Date.now() - started} ms`);
}
