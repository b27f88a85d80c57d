// `npm start` and `npm test` on a fresh clone: the install and build steps say what they do, and
// npm's own output comes through (a first start installs for minutes and must not look frozen).
// The steps run for real in a temporary project: an install with no dependencies (no network) and a
// build script that only prints.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const prepare = pathToFileURL(join(import.meta.dirname, '../../scripts/lib/prepare.mjs')).href;
let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** Runs one function of scripts/lib/prepare.mjs on `dir` in a child process; its whole output. */
function runStep(step: 'ensureInstalled' | 'ensureBuilt', dir: string): string {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(prepare)}); m.${step}(${JSON.stringify(dir)});`], {
    encoding: 'utf8',
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(0);
  return child.stdout + child.stderr;
}

describe('start progress', () => {
  it('says it installs, that the first start takes minutes, and lets npm report', () => {
    root = mkdtempSync(join(tmpdir(), 'qmfg-start-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'empty-clone', version: '1.0.0', private: true }));
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'empty-clone', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'empty-clone', version: '1.0.0' } } }));
    const output = runStep('ensureInstalled', root);
    const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
    expect(lines[0]).toBe('qmfg: installing dependencies (npm ci) — the first start takes a few minutes; npm reports its progress below…');
    // npm's own lines follow (here its summary of nothing to install), not swallowed
    expect(lines.slice(1).join('\n')).toMatch(/added 0 packages|up to date/);
  });

  it('says it builds, then shows the build output', () => {
    root = mkdtempSync(join(tmpdir(), 'qmfg-start-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'src/index.ts'), 'export {};\n');
    writeFileSync(join(root, 'scripts/build.mjs'), "console.log('the build ran');\n");
    const output = runStep('ensureBuilt', root);
    expect(output.split('\n').filter(Boolean)).toEqual(['qmfg: building the server and the web app…', 'the build ran']);
  });

  it('is silent when everything is installed and built', () => {
    root = mkdtempSync(join(tmpdir(), 'qmfg-start-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'dist/web'), { recursive: true });
    writeFileSync(join(root, 'src/index.ts'), 'export {};\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'src/index.ts'), old, old);
    writeFileSync(join(root, 'dist/cli.js'), '');
    writeFileSync(join(root, 'dist/web/index.html'), '');
    expect(runStep('ensureBuilt', root)).toBe('');
  });
});
