/**
 * A production install (`npm ci --omit=dev`) must run the token server with an Equos key:
 * everything `server.ts` can load, short of the local sandbox it imports only without a key,
 * has to come from `dependencies`, and none of the sandbox's WebRTC packages may.
 */
import { readFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The package name of a bare import (`hono/cors` → `hono`, `@hono/node-server` → itself). */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

async function packagesImportedBy(entry: string): Promise<{ packages: Set<string>; sandboxImported: boolean }> {
  let sandboxImported = false;
  const leaveSandboxOut: Plugin = {
    name: 'leave-sandbox-out',
    setup(context) {
      context.onResolve({ filter: /sandbox\/index\.js$/ }, (args) => {
        sandboxImported = args.kind === 'dynamic-import';
        return { path: args.path, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [leaveSandboxOut],
  });
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith('node:') && !imported.path.includes('sandbox/')) packages.add(packageOf(imported.path));
    }
  }
  return { packages, sandboxImported };
}

describe('production dependencies', () => {
  it('the token server needs only `dependencies`, and loads the sandbox lazily', async () => {
    const { packages, sandboxImported } = await packagesImportedBy(new URL('./server.ts', import.meta.url).pathname);
    expect(sandboxImported).toBe(true);
    expect([...packages].sort()).toEqual(expect.arrayContaining(['@hono/node-server', 'hono']));
    for (const name of packages) expect(Object.keys(packageJson.dependencies), `${name} must be a dependency`).toContain(name);
    for (const sandboxOnly of ['werift', 'ws', '@livekit/protocol']) {
      expect(packages.has(sandboxOnly)).toBe(false);
      expect(Object.keys(packageJson.devDependencies)).toContain(sandboxOnly);
    }
  });
});
