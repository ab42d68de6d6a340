#!/usr/bin/env node
/**
 * Builds what the npm package ships besides the widget's files (`npm pack` runs it through
 * `prepack`, after scripts/build.mjs, which writes dist/ and the element module
 * dist/npm/equos-avatar.mjs):
 * - dist/npm/equos-avatar.node.mjs: `import 'equos-avatar'` under Node (the `node` export
 *   condition: server rendering), widget/src/module.node.ts, which defines nothing;
 * - dist/npm/token-server/index.js: the token server as a library (token-server/src/library.ts),
 *   its dependencies (hono, the ledger drivers, sharp) left to `node_modules`;
 * - dist/npm/types/: the declarations of both (tsc, tsconfig.package.json), which the
 *   package's `types` conditions name. Not rolled up: API Extractor's roll-up drops the
 *   `declare global` blocks (`HTMLElementTagNameMap`, the typed events), so it only writes
 *   the API reports (`npm run api`, scripts/api-report.mjs); widget/src/types/*.d.ts (the
 *   JSX typings, `equos-avatar/frameworks`) copied beside them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const dist = process.env.BUILD_OUT_DIR ?? join(root, 'dist');
const out = join(dist, 'npm');
mkdirSync(out, { recursive: true });
rmSync(join(out, 'token-server'), { recursive: true, force: true });
rmSync(join(out, 'types'), { recursive: true, force: true });

const node = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', legalComments: 'none' };

await build({ ...node, entryPoints: [join(root, 'widget/src/module.node.ts')], outfile: join(out, 'equos-avatar.node.mjs') });

await build({
  ...node,
  entryPoints: [join(root, 'token-server/src/library.ts')],
  outfile: join(out, 'token-server/index.js'),
  // Installed with the package (package.json `dependencies`), native ones included.
  packages: 'external',
  // The package's dist/, from dist/npm/token-server/index.js (token-server/src/library.ts).
  define: { __EQUOS_WIDGET_DIR__: JSON.stringify('../../') },
});

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.package.json'), '--outDir', join(out, 'types')], { stdio: 'inherit' });
// Hand-written declarations, which tsc does not copy: the JSX typings (`equos-avatar/frameworks`).
const typings = join(root, 'widget/src/types');
for (const file of existsSync(typings) ? readdirSync(typings).filter((name) => name.endsWith('.d.ts')) : []) {
  mkdirSync(join(out, 'types/widget/src/types'), { recursive: true });
  copyFileSync(join(typings, file), join(out, 'types/widget/src/types', file));
}
process.stdout.write(`package: ${out} (element module, Node stand-in, token server, declarations)\n`);
