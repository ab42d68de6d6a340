/**
 * The boundaries the layout promises, checked on every file (README, "Layout"):
 * - the sandbox stands in for Equos and knows nothing of the product: no import of
 *   `token-server/` or `testing/` from `sandbox/`, and of the contract only Equos' API;
 * - `contract/` is types and shape checks that need neither Node nor the DOM (its own
 *   type check, tsconfig.contract.json, has neither);
 * - livekit-client is imported by one product file, the widget's RTC adapter;
 * - the token server's composition root and app factory run on any runtime: their whole
 *   import graph bundles for a platform without Node (no `node:*`, Web Crypto for HMACs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = /\.(?:ts|mjs|js)$/;

/** Every source file under `folder` (relative to the root), `node_modules` aside. */
function sourcesIn(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (SOURCE.test(entry.name)) found.push(path);
    }
  };
  walk(folder);
  return found;
}

/** The module specifiers a source text imports or re-exports, type-only and dynamic ones included. */
export function specifiersIn(text: string): string[] {
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/g;
  return [...text.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** What `file` imports: bare package names as they are, relative paths resolved against the root. */
function importsOf(file: string): string[] {
  return specifiersIn(readFileSync(join(ROOT, file), 'utf8')).map((specifier) =>
    specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : specifier,
  );
}

describe('architecture', () => {
  it('finds every kind of import (so the checks below can fail)', () => {
    const text = [
      "import { a } from '../token-server/src/app.js';",
      "import type { B } from './b.js';",
      "export { c } from 'livekit-client';",
      "const d = await import('../testing/stack.js');",
      "import './side-effect.js';",
    ].join('\n');
    expect(specifiersIn(text)).toEqual(['../token-server/src/app.js', './b.js', 'livekit-client', '../testing/stack.js', './side-effect.js']);
  });

  it('keeps the sandbox free of the product: no token server, no test stack, only Equos in the contract', () => {
    const offending = sourcesIn('sandbox').flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('token-server/') || target.startsWith('testing/') || (target.startsWith('contract/') && !target.startsWith('contract/equos/')))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the contract free of the processes that share it', () => {
    const offending = sourcesIn('contract').flatMap((file) =>
      importsOf(file)
        // The contract's own tests may use the test runner; nothing else outside the contract.
        .filter((target) => !target.startsWith('contract/') && !(file.endsWith('.test.ts') && target === 'vitest'))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it.each([
    ['token-server/src/token-server.ts', 'sessions/stop-session.ts'],
    ['token-server/src/http/app.ts', 'http/routes/session-actions.ts'],
  ])('bundles %s for a platform without Node', async (entry, part) => {
    const result = await build({ entryPoints: [join(ROOT, entry)], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || /better-sqlite3|ioredis|@hono\/node-server/.test(input))).toEqual([]);
    // The graph is the real one (not an empty bundle).
    expect(inputs.some((input) => input.endsWith(part))).toBe(true);
  });

  it('keeps the element a thin shell, and what each call state allows in its table, not in the views', () => {
    const element = readFileSync(join(ROOT, 'widget/src/equos-avatar.element.ts'), 'utf8');
    // Its code, that is: the API's documentation at its head (events, parts) grows with the API.
    const code = element.replace(/\/\*[\s\S]*?\*\//g, '').split('\n').filter((line) => line.trim() && !line.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(210);
    const shells = ['widget/src/equos-avatar.element.ts', ...sourcesIn('widget/src/view'), ...sourcesIn('widget/src/controllers')].filter((file) => !file.endsWith('.test.ts'));
    const comparisons = shells.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .filter((line) => /\.name\s*[!=]==\s*'/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(comparisons).toEqual([]);
  });

  it('imports livekit-client in one product file: the widget’s RTC adapter', () => {
    const product = [...sourcesIn('widget/src'), ...sourcesIn('token-server/src')].filter((file) => !/\.test\.ts$/.test(file));
    const importers = product.filter((file) => importsOf(file).some((target) => target === 'livekit-client' || target.startsWith('livekit-client/')));
    expect(importers).toEqual(['widget/src/rtc/livekit-adapter.ts']);
  });
});
