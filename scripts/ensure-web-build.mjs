#!/usr/bin/env node
// Build the web UI only when web/dist is missing or older than its sources, so `npm start` is
// fast on every run after the first and never serves a stale UI after an edit.
// Usage: node scripts/ensure-web-build.mjs [--force]
// Exit codes: 0 up to date or built; 1 build failed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = path.join(repoRoot, 'web');
const builtIndex = path.join(webRoot, 'dist', 'index.html');
const configFile = path.join(webRoot, 'vite.config.ts');

/** Every input that changes what the build produces. */
const sourceRoots = [
  path.join(webRoot, 'src'),
  path.join(webRoot, 'public'),
  path.join(webRoot, 'index.html'),
  configFile,
  path.join(webRoot, 'tsconfig.json'),
];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file only shows up as a newer directory mtime
  for (const child of readdirSync(entry)) {
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** The reason a build is needed, or null when web/dist is current. */
export function staleReason() {
  if (!existsSync(builtIndex)) return 'web/dist/index.html is missing';
  const builtAt = statSync(builtIndex).mtimeMs;
  for (const root of sourceRoots) {
    if (newestMtime(root) > builtAt) return `${path.relative(repoRoot, root)} changed since the last build`;
  }
  return null;
}

/**
 * Build web/dist if it is stale. Resolves to 'fresh' (nothing to do) or 'built'; rejects when
 * the build fails.
 */
export async function ensureWebBuild({ force = false, log = console.error } = {}) {
  const reason = force ? 'forced' : staleReason();
  if (reason === null) return 'fresh';
  log(`Building the web UI (${reason})…`);
  // Imported lazily so the common up-to-date case does not pay for loading Vite.
  const { build } = await import('vite');
  await build({ configFile, logLevel: 'warn' });
  if (!existsSync(builtIndex)) throw new Error(`Vite finished but ${builtIndex} was not written`);
  log('Web UI built.');
  return 'built';
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  try {
    await ensureWebBuild({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error('Web UI build failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
