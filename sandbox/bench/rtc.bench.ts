/**
 * `npm run bench` (sandbox part): the local sandbox as a separate process, measured with
 * plain livekit-client in headless Chromium on loopback.
 *
 * - start-up: process spawn → ready, and the sandbox's own ready time;
 * - time from `room.connect()` to the avatar's first rendered frame (the avatar already in
 *   the room), over BENCH_FIRST_FRAME_RUNS runs [10];
 * - CPU and memory of the sandbox process with BENCH_ROOMS concurrent rooms [10], each with
 *   the avatar's video and audio flowing to a visitor whose fake microphone flows back, over
 *   BENCH_LOAD_SECONDS [20].
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { RoomReport } from '../control/room-report.js';
import { launchBrowser } from '../testing/browser-start.js';
import { equosHttp } from '../testing/equos-http.js';

const firstFrameRuns = Number(process.env.BENCH_FIRST_FRAME_RUNS ?? 10);
const roomCount = Number(process.env.BENCH_ROOMS ?? 10);
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const root = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

interface SandboxProcess {
  pid: number;
  equos: { endpoint: string; apiKey: string };
  spawnToReadyMs: number;
  readyMs: number;
  stop(): void;
}

async function startSandboxProcess(): Promise<SandboxProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const ready = JSON.parse(line) as { equos_endpoint: string; api_key: string; ready_ms: number };
  return {
    pid: child.pid!,
    equos: { endpoint: ready.equos_endpoint, apiKey: ready.api_key },
    spawnToReadyMs: Math.round(performance.now() - started),
    readyMs: ready.ready_ms,
    stop: () => child.kill('SIGTERM'),
  };
}

/** CPU seconds used so far and resident memory in MB, from /proc. */
function usage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime + stime
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds, rssMb: Math.round(rssKb / 102.4) / 10 };
}

async function servePage(): Promise<{ url: string; close(): void }> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((request, response) => {
    if (request.url === '/bench.js') response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script type="module" src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sandbox = await startSandboxProcess();
const equos = equosHttp(sandbox.equos);
const control = (path: string, init?: RequestInit) => fetch(`${sandbox.equos.endpoint}/__sandbox${path}`, init);
const page = await servePage();
const browser = await launchBrowser();

try {
  const tab = await browser.newPage();
  await tab.goto(page.url);
  await tab.waitForFunction(() => 'bench' in globalThis);
  /** The page's API (see page.ts). */
  type Bench = {
    timeToFirstFrame(url: string, token: string, avatar: string): Promise<number>;
    stay(url: string, token: string): Promise<void>;
    received(): Promise<{ framesDecoded: number; audioPackets: number; rooms: number; connected: number }>;
    leaveAll(): Promise<void>;
  };
  const inPage = {
    timeToFirstFrame: (url: string, token: string, avatar: string) =>
      tab.evaluate((u, t, a) => (globalThis as unknown as { bench: Bench }).bench.timeToFirstFrame(u, t, a), url, token, avatar),
    stay: (url: string, token: string) => tab.evaluate((u, t) => (globalThis as unknown as { bench: Bench }).bench.stay(u, t), url, token),
    received: () => tab.evaluate(() => (globalThis as unknown as { bench: Bench }).bench.received()),
    leaveAll: () => tab.evaluate(() => (globalThis as unknown as { bench: Bench }).bench.leaveAll()),
  };

  const newSession = async () => {
    await control('/scenarios', { method: 'POST', body: JSON.stringify({ avatar: { joinDelayMs: 0 } }) });
    const { session, consumerAccessToken } = await equos.create({
      name: 'bench',
      avatar: { id: 'sandbox-avatar' },
      consumerIdentity: { identity: `bench-${Math.random().toString(36).slice(2)}`, name: 'Bench' },
    });
    for (let tries = 0; tries < 50; tries += 1) {
      const room = (await (await control(`/rooms/${session.id}`)).json()) as RoomReport;
      if (room.participants[0]?.tracks.every((track) => track.packets > 0)) break;
      await sleep(50);
    }
    return { session, token: consumerAccessToken! };
  };

  // 1. Time to first frame.
  const firstFrames: number[] = [];
  for (let run = 0; run < firstFrameRuns; run += 1) {
    const { session, token } = await newSession();
    firstFrames.push(await inPage.timeToFirstFrame(session.host.serverUrl, token, session.avatar.identity));
    await equos.stop(session.id);
  }

  // 2. Concurrent rooms.
  await sleep(1000);
  const idle = usage(sandbox.pid);
  const sessions = [];
  for (let index = 0; index < roomCount; index += 1) sessions.push(await newSession());
  for (const { session, token } of sessions) await inPage.stay(session.host.serverUrl, token);
  await sleep(3000); // let every room settle before measuring
  const before = usage(sandbox.pid);
  const receivedBefore = await inPage.received();
  let peakRss = before.rssMb;
  for (let second = 0; second < loadSeconds; second += 1) {
    await sleep(1000);
    peakRss = Math.max(peakRss, usage(sandbox.pid).rssMb);
  }
  const after = usage(sandbox.pid);
  const receivedAfter = await inPage.received();
  const visitorPackets = await Promise.all(
    sessions.map(async ({ session }) => {
      const room = (await (await control(`/rooms/${session.id}`)).json()) as RoomReport;
      return room.participants.find((participant) => participant.kind === 'STANDARD')?.tracks[0]?.packets ?? 0;
    }),
  );
  await inPage.leaveAll();
  for (const { session } of sessions) await equos.stop(session.id);

  const results = {
    sandbox_start: { spawn_to_ready_ms: sandbox.spawnToReadyMs, in_process_ready_ms: sandbox.readyMs },
    connect_to_first_frame_ms: {
      runs: firstFrames.length,
      median: Math.round(median(firstFrames)),
      min: Math.round(Math.min(...firstFrames)),
      max: Math.round(Math.max(...firstFrames)),
    },
    concurrent_rooms: {
      rooms: roomCount,
      connected: receivedAfter.connected,
      seconds: loadSeconds,
      sandbox_cpu_percent_of_one_core: Math.round(((after.cpuSeconds - before.cpuSeconds) / loadSeconds) * 1000) / 10,
      sandbox_rss_mb: { idle: idle.rssMb, under_load: after.rssMb, peak: peakRss },
      avatar_fps_per_room: Math.round(((receivedAfter.framesDecoded - receivedBefore.framesDecoded) / loadSeconds / roomCount) * 10) / 10,
      avatar_audio_packets_per_room_per_s: Math.round((receivedAfter.audioPackets - receivedBefore.audioPackets) / loadSeconds / roomCount),
      visitor_mic_packets_at_server_per_room: Math.round(visitorPackets.reduce((sum, value) => sum + value, 0) / roomCount),
    },
  };
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  page.close();
  sandbox.stop();
}
