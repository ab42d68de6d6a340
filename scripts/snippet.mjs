#!/usr/bin/env node
/**
 * Prints the pinned embed tag for the built widget: the launcher's versioned, immutable address
 * with its Subresource Integrity, from dist/manifest.json (written by scripts/build.mjs), for a
 * site owner to paste instead of the short-cache `equos-avatar.js` alias.
 *
 *   npm run snippet -- https://avatar.example.com   (default: http://127.0.0.1:8787)
 *
 * BUILD_OUT_DIR reads another build's manifest, as the build writes one there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = process.env.BUILD_OUT_DIR ?? join(root, 'dist');

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
} catch {
  process.stderr.write(`No ${join(dist, 'manifest.json')}: run \`npm run build\` first.\n`);
  process.exit(1);
}
if (!manifest.pinned) {
  process.stderr.write('This build has no pinned launcher (manifest.json `pinned`): run `npm run build` again.\n');
  process.exit(1);
}

const given = process.argv[2] ?? 'http://127.0.0.1:8787';
let server;
try {
  server = new URL(given);
} catch {
  process.stderr.write(`"${given}" is not an address: give the token server's, e.g. https://avatar.example.com\n`);
  process.exit(1);
}
// The server's address as pages write it: no trailing slash, unless it has a path of its own.
const serverText = server.href.replace(/\/$/, '');
const src = new URL(manifest.pinned.src, `${serverText}/`).href;
const escape = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

process.stdout.write(
  `<script src="${escape(src)}"\n` +
    `        integrity="${manifest.pinned.integrity}" crossorigin="anonymous"\n` +
    `        data-server="${escape(serverText)}" async></script>\n`,
);
