/**
 * A fault-injection run: many visitors, a token server that gets killed (SIGKILL) and
 * restarted mid-run, and an Equos that fails, stalls and drops stops and creates. At the end
 * every session Equos started must have been stopped, none past its deadline plus grace.
 *
 * Visitors are simulated over real HTTP with the widget's behaviours and a seeded random
 * mix: they hang up, send a beacon, close the tab (no beacon, heartbeats stop), lose the
 * network after a while, or stay past the maximum duration. The Equos double here never ends
 * a session by itself, so only the token server's stops (and its reaper's) can. It also
 * answers stops with a 404 that proves nothing, creates with a longer duration than asked,
 * and listings that ignore the `client` filter; and a second deployment (its own token
 * server and ledger, the same Equos organisation and `EQUOS_CLIENT`) has live visitors all
 * along, next to sessions of another application: none of theirs may be stopped.
 *
 * Used by fault-injection.test.ts (200 sessions) and `npm run bench` (a bigger run).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEquosApiDouble } from '../../sandbox/equos-api/server.js';
import { freePort, spawnTokenServer, type ServerProcess } from './server-process.js';

/** Options of a run. */
export interface FaultRunOptions {
  sessions: number;
  seed: number;
  /** Visitors at once. */
  concurrency: number;
  /** Every session's maximum duration, in seconds. */
  maxDurationS: number;
  /** Fractions of the sessions started at which the token server is SIGKILLed and restarted. */
  killAt: number[];
  /** Live visitors of the second deployment on the same organisation [8]. */
  neighbours?: number;
  /** Equos' API generation: v1 sessions (avatar presets) or v3 conversations (character presets) [v1]. */
  generation?: 'v1' | 'v3';
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What a run found. */
export interface FaultRunResult {
  seed: number;
  sessions: { requested: number; createdAtEquos: number; handedToVisitors: number; createsFailed: number };
  /** Statuses of the create attempts that did not give a session ('network' when the server was down). */
  createFailures: Record<string, number>;
  /** Stops the visitors sent, by outcome (every one a success unless the server was down). */
  visitorStops: Record<string, number>;
  behaviours: Record<Behaviour, number>;
  kills: number;
  stopFaultsInjected: number;
  createFaultsInjected: number;
  /** Of those: stops answered 404 without stopping, creates answered with a longer duration. */
  notFoundStops: number;
  longerDurations: number;
  /** Listings that ignored the `client` filter. */
  filterIgnored: number;
  /** The second deployment's live sessions, and how many of them something ended before its visitors hung up (must be 0). */
  neighbours: { sessions: number; endedWhileLive: number };
  /** Sessions of another application in the organisation, and how many were stopped (must be 0). */
  otherApplication: { sessions: number; stopped: number };
  /** This deployment's sessions Equos still runs at the end (must be 0). */
  stillRunning: number;
  /** Sessions Equos ended more than once, or not by a stop (must be 0: the double never ends one itself). */
  endedOtherThanOnceByStop: number;
  /** Orphans: sessions Equos started whose create never reached a visitor. */
  orphans: number;
  /** How many sessions ended after their deadline plus grace, and the latest by how much, in seconds. */
  endedAfterDeadlineAndGrace: number;
  worstOverrunS: number;
  /** The same, for the sessions visitors got (the ledger's) and for orphans (the sweep's). */
  worstOverrunByKindS: { ledger: number; orphans: number };
  graceS: number;
  /** Stop calls Equos received per session (retries are idempotent; at least 1 each). */
  stopCalls: { min: number; max: number; total: number };
  durationS: number;
}

type Behaviour = 'hang-up' | 'beacon' | 'close-tab' | 'lose-network' | 'stay-past-deadline';
const BEHAVIOURS: Array<[Behaviour, number]> = [
  ['hang-up', 0.3],
  ['beacon', 0.15],
  ['close-tab', 0.2],
  ['lose-network', 0.15],
  ['stay-past-deadline', 0.2],
];

const API_KEY = 'sk_fault_run_0123456789abcdef';
const ORIGIN = 'https://site.example';
const GRACE_S = 1;
const HEARTBEAT_S = 0.5;

/** mulberry32: a small seeded generator, so a run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The environment of a token server process in front of the double at `endpoint`. */
function serverEnv(port: number, endpoint: string, dir: string, maxDurationS: number, generation: 'v1' | 'v3'): Record<string, string> {
  const presetsFile = join(dir, 'presets.json');
  const face = generation === 'v3' ? { character_id: 'character-1' } : { avatar_id: 'avatar-1' };
  writeFileSync(presetsFile, JSON.stringify({ presets: [{ name: 'default', ...face, max_duration_s: maxDurationS }] }));
  return {
    PORT: String(port),
    EQUOS_API_KEY: API_KEY,
    EQUOS_ENDPOINT: endpoint,
    PRESETS_FILE: presetsFile,
    MAX_SESSION_SECONDS: String(Math.max(maxDurationS, 5)),
    ALLOWED_ORIGINS: ORIGIN,
    LEDGER_PATH: join(dir, 'ledger.sqlite'),
    HEARTBEAT_INTERVAL_S: String(HEARTBEAT_S),
    HEARTBEAT_TIMEOUT_S: '2',
    REAPER_INTERVAL_S: '0.25',
    STOP_GRACE_S: String(GRACE_S),
    // The default periodic sweep (every 5 minutes, far longer than the run): orphans must be
    // caught by the early sweeps, after a create whose outcome is unknown and after a restart.
    ORPHAN_SWEEP_S: '300',
    REAPER_RETRY_BASE_S: '0.2',
    REAPER_RETRY_MAX_S: '1',
    EQUOS_CREATE_TIMEOUT_S: '1.5',
    EQUOS_STOP_TIMEOUT_S: '0.6',
    TRUSTED_PROXY_HEADER: 'x-forwarded-for',
    RATE_LIMIT_PER_MINUTE: '1000',
    RATE_LIMIT_SITE_PER_MINUTE: '100000',
    MAX_SESSIONS_PER_VISITOR: '100',
    MAX_CONCURRENT_SESSIONS: '100000',
    RATE_LIMIT_ACTIONS_PER_MINUTE: '1000000',
    // The session secret is left to the ledger: it must survive the kills.
  };
}

/** Runs the scenario and reports; it asserts nothing itself. */
export async function runFaultInjection(options: FaultRunOptions): Promise<FaultRunResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  // Separate streams, so each visitor's choices depend on the seed and its number only, not
  // on how the run's timing interleaved them (the faults' timing still follows the clock).
  const visitorRandom = (index: number) => random(Math.imul(options.seed, 0x9e3779b1) ^ index);
  const chaosRandom = random(options.seed ^ 0x5bd1e995);
  const equos = await startEquosApiDouble({ apiKey: API_KEY, autoEnd: false });
  const dir = mkdtempSync(join(tmpdir(), 'fault-run-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const generation = options.generation ?? 'v1';
  const env = serverEnv(port, equos.url, dir, options.maxDurationS, generation);

  let server: ServerProcess | undefined;
  async function startServer(): Promise<void> {
    server = spawnTokenServer(env);
    await server.ready();
  }
  const killServer = async () => server?.kill('SIGKILL');

  const postTo = (server: string, path: string, body: string, visitor: string, contentType = 'application/json') =>
    fetch(`${server}${path}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': contentType, 'x-forwarded-for': visitor }, body });
  const post = (path: string, body: string, visitor: string, contentType = 'application/json') => postTo(base, path, body, visitor, contentType);

  // The neighbours: another deployment of the same organisation (its own ledger, the default
  // EQUOS_CLIENT like ours), with visitors who stay the whole run; and another application's
  // sessions, tagged otherwise or not at all.
  const neighbourDir = mkdtempSync(join(tmpdir(), 'fault-run-neighbour-'));
  const neighbourPort = await freePort();
  const neighbourBase = `http://127.0.0.1:${neighbourPort}`;
  const neighbour = spawnTokenServer(serverEnv(neighbourPort, equos.url, neighbourDir, 600, generation));
  await neighbour.ready();
  const neighbourSessions: Array<{ session_id: string; stop_token: string }> = [];
  for (let index = 0; index < (options.neighbours ?? 8); index += 1) {
    const response = await postTo(neighbourBase, '/api/sessions', '{}', `172.16.0.${index + 1}`);
    if (response.status !== 201) throw new Error(`the neighbour deployment could not start a session: ${response.status}`);
    neighbourSessions.push((await response.json()) as { session_id: string; stop_token: string });
  }
  let neighboursLive = true;
  const neighbourBeats = (async () => {
    while (neighboursLive) {
      await sleep(HEARTBEAT_S * 1000);
      await Promise.all(neighbourSessions.map((session, index) => postTo(neighbourBase, `/api/sessions/${session.session_id}/heartbeat`, session.stop_token, `172.16.0.${index + 1}`, 'text/plain').catch(() => undefined)));
    }
  })();
  const otherApplication: string[] = [];
  for (const client of ['another-app', 'equos-avatar', undefined]) {
    const face = generation === 'v3' ? { characterId: 'character-1' } : { avatar: { id: 'avatar-1' } };
    const created = await fetch(`${equos.url}/${generation === 'v3' ? 'v3/conversations' : 'v1/sessions'}`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'another application', ...face, ...(client ? { client } : {}) }),
    });
    const answer = (await created.json()) as { session?: { id: string }; conversation?: { id: string } };
    otherApplication.push((answer.session ?? answer.conversation)!.id);
  }
  const notOurs = new Set([...neighbourSessions.map((session) => session.session_id), ...otherApplication]);

  const behaviours = Object.fromEntries(BEHAVIOURS.map(([name]) => [name, 0])) as Record<Behaviour, number>;
  const handedIds = new Set<string>();
  let createsFailed = 0;
  const createFailures: Record<string, number> = {};
  const visitorStops: Record<string, number> = {};
  const count = (tally: Record<string, number>, key: string) => (tally[key] = (tally[key] ?? 0) + 1);
  const endings = new Map<string, number>();
  equos.state.subscribe({ ended: (session) => endings.set(session.id, (endings.get(session.id) ?? 0) + 1) });
  let stopFaults = 0;
  let createFaults = 0;
  let notFoundStops = 0;
  let longerDurations = 0;
  let filterIgnored = 0;
  let kills = 0;
  let launched = 0;
  const killPoints = [...options.killAt].sort((a, b) => a - b).map((fraction) => Math.floor(fraction * options.sessions));

  async function visitor(index: number): Promise<void> {
    const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    const rng = visitorRandom(index);
    let roll = rng();
    const behaviour = BEHAVIOURS.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'hang-up';
    behaviours[behaviour] += 1;
    let session: { session_id: string; stop_token: string } | undefined;
    for (let attempt = 0; attempt < 4 && !session; attempt += 1) {
      try {
        const response = await post('/api/sessions', '{}', address);
        if (response.status === 201) session = (await response.json()) as { session_id: string; stop_token: string };
        else {
          count(createFailures, String(response.status));
          if (response.status < 500) break;
        }
      } catch {
        // The server is down (killed): try again in a moment, like a visitor clicking again.
        count(createFailures, 'network');
      }
      if (!session) await sleep(300 + rng() * 500);
    }
    if (!session) {
      createsFailed += 1;
      return;
    }
    handedIds.add(session.session_id);
    const { session_id: id, stop_token: token } = session;
    const deadline = Date.now() + options.maxDurationS * 1000;
    const until =
      behaviour === 'close-tab'
        ? Date.now()
        : behaviour === 'lose-network'
          ? Date.now() + rng() * options.maxDurationS * 500
          : behaviour === 'stay-past-deadline'
            ? deadline + 2000
            : Date.now() + 300 + rng() * 1500;
    while (Date.now() < until) {
      await sleep(HEARTBEAT_S * 1000);
      await post(`/api/sessions/${id}/heartbeat`, token, address, 'text/plain').catch(() => undefined);
    }
    if (behaviour === 'hang-up' || behaviour === 'beacon') {
      // The widget: a stop retried a few times; a beacon is one text/plain request.
      const tries = behaviour === 'beacon' ? 1 : 4;
      for (let attempt = 0; attempt < tries; attempt += 1) {
        const response = await post(`/api/sessions/${id}/stop`, behaviour === 'beacon' ? token : JSON.stringify({ stop_token: token }), address, behaviour === 'beacon' ? 'text/plain' : 'application/json').catch(() => undefined);
        count(visitorStops, response ? String(response.status) : 'network');
        if (response && response.status < 500) break;
        await sleep(400 * (attempt + 1));
      }
    }
  }

  /** Equos misbehaves now and then: stops fail, stall past their deadline, or drop; a few creates stall. */
  let chaos = true;
  const chaosLoop = (async () => {
    while (chaos) {
      await sleep(250);
      const rng = chaosRandom;
      const roll = rng();
      if (roll < 0.25) {
        const kinds = [{ kind: 'status', status: 503 }, { kind: 'status', status: 500 }, { kind: 'delay', ms: 1000 }, { kind: 'drop' }, { kind: 'status', status: 404 }] as const;
        const kind = kinds[Math.floor(rng() * kinds.length)]!;
        // A 404 that proves nothing: once, the session still billing.
        const times = kind.kind === 'status' && kind.status === 404 ? 1 : 1 + Math.floor(rng() * 3);
        if (kind.kind === 'status' && kind.status === 404) notFoundStops += 1;
        equos.faults.inject('stop', kind, { times });
        stopFaults += times;
      } else if (roll < 0.28) {
        // Equos grants far more than the preset asked for.
        equos.faults.inject('create', { kind: 'duration', seconds: 3600 });
        createFaults += 1;
        longerDurations += 1;
      } else if (roll < 0.3) {
        // Slower than the token server's create deadline: Equos starts a session nobody hears of.
        equos.faults.inject('create', { kind: 'delay', ms: 2000 });
        createFaults += 1;
      } else if (roll < 0.33) {
        equos.faults.inject('create', { kind: 'status', status: 503 });
        createFaults += 1;
      } else if (roll < 0.38) {
        // The next listings answer with every session of the organisation.
        const times = 1 + Math.floor(rng() * 3);
        equos.faults.inject('list', { kind: 'ignore-filter' }, { times });
        filterIgnored += times;
      }
    }
  })();

  await startServer();
  log(`fault run: seed ${options.seed}, ${options.sessions} sessions, token server on ${base}`);
  const running = new Set<Promise<void>>();
  while (launched < options.sessions) {
    if (killPoints[0] !== undefined && launched >= killPoints[0]) {
      killPoints.shift();
      await killServer();
      kills += 1;
      log(`fault run: SIGKILL after ${launched} sessions; restarting`);
      await sleep(200);
      await startServer();
    }
    const job = visitor(launched).finally(() => running.delete(job));
    running.add(job);
    launched += 1;
    if (running.size >= options.concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  chaos = false;
  await chaosLoop;
  equos.faults.clear();

  // Let the reaper finish: the last deadlines, grace, retries and an orphan sweep.
  const ours = () => [...equos.state.sessions.values()].filter((entry) => !notOurs.has(entry.session.id));
  const settleBy = Date.now() + options.maxDurationS * 1000 + 20_000;
  while (ours().some((entry) => !entry.session.endedAt) && Date.now() < settleBy) await sleep(250);
  await killServer();

  // The neighbours' visitors were live all along: nothing of ours may have ended their sessions.
  const endedWhileLive = neighbourSessions.filter((session) => equos.state.sessions.get(session.session_id)?.session.endedAt).length;
  const otherStopped = otherApplication.filter((id) => equos.state.sessions.get(id)?.session.endedAt || (equos.state.sessions.get(id)?.stopCalls ?? 0) > 0).length;
  neighboursLive = false;
  await neighbourBeats;
  for (const [index, session] of neighbourSessions.entries()) {
    await postTo(neighbourBase, `/api/sessions/${session.session_id}/stop`, JSON.stringify({ stop_token: session.stop_token }), `172.16.0.${index + 1}`).catch(() => undefined);
  }
  await neighbour.kill('SIGTERM');

  const all = ours();

  // How long after deadline + grace each session ended (negative: in time). The deadline is
  // the preset's, even when Equos granted a longer duration.
  const overrunOf = ({ session }: (typeof all)[number]) =>
    session.endedAt ? Date.parse(session.endedAt) - (Date.parse(session.startedAt) + Math.min(session.maxDuration ?? Infinity, options.maxDurationS) * 1000 + GRACE_S * 1000) : Infinity;
  const overruns = all.map(overrunOf);
  const worstS = (entries: typeof all) => Math.round(Math.max(0, ...entries.map(overrunOf)) / 100) / 10;
  const stopCounts = all.map((entry) => entry.stopCalls);
  await equos.close();
  const result: FaultRunResult = {
    seed: options.seed,
    sessions: { requested: options.sessions, createdAtEquos: all.length, handedToVisitors: handedIds.size, createsFailed },
    createFailures,
    visitorStops,
    behaviours,
    kills,
    stopFaultsInjected: stopFaults,
    createFaultsInjected: createFaults,
    notFoundStops,
    longerDurations,
    filterIgnored,
    neighbours: { sessions: neighbourSessions.length, endedWhileLive },
    otherApplication: { sessions: otherApplication.length, stopped: otherStopped },
    stillRunning: all.filter((entry) => !entry.session.endedAt).length,
    endedOtherThanOnceByStop: all.filter((entry) => endings.get(entry.session.id) !== 1 || entry.endedBy !== 'stop').length,
    orphans: all.length - handedIds.size,
    endedAfterDeadlineAndGrace: overruns.filter((overrun) => overrun > 0).length,
    worstOverrunS: worstS(all),
    worstOverrunByKindS: { ledger: worstS(all.filter((entry) => handedIds.has(entry.session.id))), orphans: worstS(all.filter((entry) => !handedIds.has(entry.session.id))) },
    graceS: GRACE_S,
    stopCalls: { min: Math.min(...stopCounts), max: Math.max(...stopCounts), total: stopCounts.reduce((sum, count) => sum + count, 0) },
    durationS: Math.round((Date.now() - started) / 1000),
  };
  log(`fault run: ${JSON.stringify(result)}`);
  return result;
}
