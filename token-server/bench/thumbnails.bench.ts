/**
 * The presets' pictures (issue 13): what the launcher's picture weighs and costs to serve.
 * Over real HTTP on loopback: a token server in front of the sandbox's Equos double, which
 * serves the demo avatar's 26 KB PNG as Equos serves thumbnails.
 *
 * - bytes of each served width against the source PNG;
 * - a cold request (fetch the source, resize, encode WebP), timed per width, on fresh presets;
 * - a cached hit (the copy from memory), and a 304 revalidation.
 *
 *   node --import tsx token-server/bench/thumbnails.bench.ts
 */
import { readFileSync } from 'node:fs';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { readSettings } from '../src/config/settings.js';
import type { Preset } from '../src/config/presets.js';
import { createMemoryStore } from '../src/ledger/memory-store.js';
import { createLogger } from '../src/logger.js';
import { listen } from '../src/node/listen.js';
import { loadSharpResizer } from '../src/thumbnails/resizer.js';
import { THUMBNAIL_WIDTHS } from '../src/thumbnails/sizes.js';
import { createTokenServer } from '../src/token-server.js';

const COLD_ROUNDS = 15;
const HITS = 500;
const png = readFileSync(new URL('../../sandbox/avatar/media/thumbnail.png', import.meta.url));
const equos = await startEquosApiDouble({ apiKey: 'bench-key', thumbnails: { 'sandbox-avatar': png } });
const pictureUrl = `${equos.url}/avatars/sandbox-avatar.png`;
// One preset per cold round, so every round misses the cache.
const presets: Preset[] = Array.from({ length: COLD_ROUNDS + 1 }, (_, i) => ({ name: `p${i}`, displayName: 'Ava', avatarId: 'avatar-1', thumbnailUrl: pictureUrl, maxDurationS: 300 }));
const { settings } = readSettings({ EQUOS_API_KEY: 'bench-key', EQUOS_ENDPOINT: equos.url, EQUOS_AVATAR_ID: 'avatar-1', SESSION_SECRET: 'bench-session-secret-0123456789abcdefgh' });
const resizer = await loadSharpResizer();
if (!resizer) throw new Error('sharp cannot be loaded here');
const server = createTokenServer(
  { ...settings, presets, defaultPreset: 'p0' },
  { store: createMemoryStore(), logger: createLogger({ write: () => {} }), thumbnails: { resizer, maxEntries: 1000 } },
);
const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });

async function timed(path: string, headers: Record<string, string> = {}): Promise<{ ms: number; bytes: number; status: number; etag: string | null }> {
  const started = performance.now();
  const response = await fetch(`${listening.url}${path}`, { headers });
  const bytes = (await response.arrayBuffer()).byteLength;
  return { ms: performance.now() - started, bytes, status: response.status, etag: response.headers.get('etag') };
}
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

// Warm up: sharp's first call loads libvips' codecs.
await timed(`/api/presets/p${COLD_ROUNDS}/thumbnail?w=64`);

console.log(`source PNG: ${png.byteLength} B (${(png.byteLength / 1024).toFixed(1)} KB)`);
for (const width of THUMBNAIL_WIDTHS) {
  const cold: number[] = [];
  let bytes = 0;
  for (let round = 0; round < COLD_ROUNDS; round++) {
    const result = await timed(`/api/presets/p${round}/thumbnail?w=${width}`);
    if (result.status !== 200) throw new Error(`w=${width}: ${result.status}`);
    cold.push(result.ms);
    bytes = result.bytes;
  }
  const hits: number[] = [];
  for (let i = 0; i < HITS; i++) hits.push((await timed(`/api/presets/p0/thumbnail?w=${width}`)).ms);
  const { etag } = await timed(`/api/presets/p0/thumbnail?w=${width}`);
  const revalidations: number[] = [];
  for (let i = 0; i < 100; i++) revalidations.push((await timed(`/api/presets/p0/thumbnail?w=${width}`, { 'if-none-match': etag! })).ms);
  console.log(
    `w=${String(width).padStart(3)}: ${String(bytes).padStart(5)} B WebP (${((100 * bytes) / png.byteLength).toFixed(1)}% of the PNG) | ` +
      `cold (fetch + resize) p50 ${fmt(quantile(cold, 0.5))}, p90 ${fmt(quantile(cold, 0.9))} | ` +
      `cached hit p50 ${fmt(quantile(hits, 0.5))}, p99 ${fmt(quantile(hits, 0.99))} | 304 p50 ${fmt(quantile(revalidations, 0.5))}`,
  );
}
await listening.close(1000);
await equos.close();
