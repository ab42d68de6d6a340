/**
 * `npm run bench` (ledger): what one visitor's session costs each ledger store, on an empty
 * ledger and on one holding a busy week of history (stopped sessions are kept 7 days), so a
 * query that scans the history instead of using an index shows up as a slope.
 *
 * One "session" is every ledger step of a real one, through the session ledger as the use
 * cases drive it: two rate windows, the admission (with both caps counted), the activation,
 * a heartbeat and the stop. Sessions run one after the
 * other (the server's own order per request); the reaper's due-list query is timed beside.
 * The history is spread over many visitors, or is all one visitor's (a script at its rate
 * limit all week), who then also starts the measured sessions. Beside it, each store's main
 * verbs, one call after the other on an empty ledger (calls per second). Stores: SQLite, Redis
 * and Postgres (the tests' servers, on loopback).
 *
 *   BENCH_LEDGER_HISTORY=100000 npm run bench
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings } from '../src/config/settings.js';
import { createPostgresStore } from '../src/ledger/postgres-store.js';
import { createRedisStore } from '../src/ledger/redis-store.js';
import { createSqliteStore } from '../src/ledger/sqlite-store.js';
import type { LedgerEntry, LedgerStore } from '../src/ledger/store.js';
import { createSessionLedger, ledgerPolicyOf, type SessionLedger } from '../src/sessions/session-ledger.js';
import { startPostgres } from '../test/postgres-server.js';
import { startRedis } from '../test/redis-server.js';

const history = Number(process.env.BENCH_LEDGER_HISTORY ?? 100_000);
const measured = 2000;
const caps = { perVisitor: 1e9, global: 1e9 };
/** The default settings' policy: what the ledger's states mean in production. */
const policy = ledgerPolicyOf(readSettings({}).settings);

let sequence = 0;
/** Whose sessions these are: one visitor's, or many visitors'. */
let oneVisitor = false;
function admission(now: number) {
  sequence += 1;
  return {
    id: `pending-bench${sequence}`,
    preset: 'default',
    origin: 'https://bench.example',
    visitorKey: oneVisitor ? 'busy-visitor' : `visitor-${sequence % 5000}`,
    createdAt: now,
    deadline: now + 600_000,
    reservedMinutes: 0,
  };
}

/** Admits and activates one session; returns its id. */
async function startOne(ledger: SessionLedger, admitting: ReturnType<typeof admission>): Promise<string> {
  const now = admitting.createdAt;
  const admitted = await ledger.admit(admitting, caps);
  if (!admitted.admitted) throw new Error('not admitted');
  const id = admitted.pending.id.replace('pending-', 'ses_');
  await ledger.activate(admitted.pending, { id, createdAt: now, deadline: now + 600_000, lastHeartbeat: now });
  return id;
}

/** One visitor's session, start to stop, as the use cases drive the ledger. */
async function oneSession(store: LedgerStore, ledger: SessionLedger): Promise<void> {
  const now = Date.now();
  const admitting = admission(now);
  await store.hit(`create:v:${admitting.visitorKey}`, 1e9, 60_000, now);
  await store.hit('create:site', 1e9, 60_000, now);
  const id = await startOne(ledger, admitting);
  await ledger.heartbeat(id, now + 1);
  await ledger.settleStopped(id, now + 2, { cause: 'visitor', unknownAtEquos: false });
}

/** Fills the ledger with `count` stopped sessions, some at a time. */
async function fill(ledger: SessionLedger, count: number): Promise<void> {
  for (let done = 0; done < count; done += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - done) }, async () => {
        const createdAt = Date.now() - 3 * 24 * 3600 * 1000;
        await ledger.settleStopped(await startOne(ledger, admission(createdAt)), createdAt + 60_000, { cause: 'visitor', unknownAtEquos: false });
      }),
    );
  }
}

async function measure(store: LedgerStore, ledger: SessionLedger) {
  for (let index = 0; index < 200; index += 1) await oneSession(store, ledger); // warm up
  const started = performance.now();
  for (let index = 0; index < measured; index += 1) await oneSession(store, ledger);
  const sessionUs = ((performance.now() - started) * 1000) / measured;
  const listStarted = performance.now();
  for (let index = 0; index < 200; index += 1) await ledger.dueSessions(Date.now(), 100);
  const listDueUs = ((performance.now() - listStarted) * 1000) / 200;
  return { session_us: Math.round(sessionUs), sessions_per_s: Math.round(1e6 / sessionUs), list_due_us: Math.round(listDueUs) };
}

/**
 * Each main verb of the store on its own, one call after the other (a round trip each on a
 * networked store), on an empty ledger: calls per second.
 */
async function verbs(store: LedgerStore): Promise<Record<string, number>> {
  const calls = 2000;
  const now = Date.now();
  const running = (index: number): LedgerEntry => ({
    id: `ses_verb${index}`,
    preset: 'default',
    origin: 'https://bench.example',
    visitorKey: `visitor-${index}`,
    createdAt: now,
    deadline: now + 600_000,
    lastHeartbeat: now,
    stopAttempts: 0,
    state: 'running',
    nextAttemptAt: 0,
    stoppedAt: null,
    reservedMinutes: 10,
    consent: null,
    dueAt: now + 600_000,
    openUntil: now + 630_000,
    visitorOpenUntil: now + 630_000,
    forgetAt: null,
  });
  const perSecond = async (call: (index: number) => Promise<unknown>) => {
    const started = performance.now();
    for (let index = 0; index < calls; index += 1) await call(index);
    return Math.round((calls * 1000) / (performance.now() - started));
  };
  return {
    insertWithinCaps: await perSecond((index) => store.insertWithinCaps(running(index), caps, now)),
    get: await perSecond((index) => store.get(`ses_verb${index}`)),
    update: await perSecond((index) => store.update({ ...running(index), lastHeartbeat: now + 1 }, ['running'])),
    countOpen: await perSecond((index) => store.countOpen(now, `visitor-${index}`)),
    listDue_100: await perSecond(() => store.listDue(now + 700_000, ['running', 'stopping'], 100)),
    claim: await perSecond((index) => store.claim(`ses_verb${index}`, 'bench', now, 30_000)),
    hit: await perSecond((index) => store.hit(`create:v:visitor-${index % 50}`, 1e9, 60_000, now)),
  };
}

const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
const rows: Record<string, Awaited<ReturnType<typeof measure>> & { history: number }> = {};
const verbRows: Record<string, Record<string, number>> = {};
try {
  const stores: Array<[name: string, open: (fresh: number) => LedgerStore | Promise<LedgerStore>]> = [
    ['sqlite', () => createSqliteStore(join(mkdtempSync(join(tmpdir(), 'ledger-bench-')), 'ledger.sqlite'))],
    ['redis', (fresh) => createRedisStore({ url: redis.url, prefix: `bench${fresh}:` })],
    // The harness's server: durability off (no fsync), as redis-server here keeps nothing on disk.
    ['postgres', (fresh) => createPostgresStore({ url: postgres.url, schema: `bench${fresh}` })],
  ];
  let fresh = 0;
  for (const [name, open] of stores) {
    const empty = await open((fresh += 1));
    try {
      verbRows[name] = await verbs(empty);
    } finally {
      await empty.close();
    }
    for (const [size, busy] of [[0, false], [history, false], [history, true]] as const) {
      const store = await open((fresh += 1));
      const ledger = createSessionLedger(store, policy);
      oneVisitor = busy;
      try {
        await fill(ledger, size);
        // Let the fill's aftermath (Redis rehashing its key space, our garbage) pass: it is a
        // burst no real week has, and it would be measured as if history cost it.
        if (size > 0) await new Promise((resolve) => setTimeout(resolve, 5000));
        rows[`${name}, ${size.toLocaleString('en')} stopped${busy ? ', one visitor' : ''}`] = { history: size, ...(await measure(store, ledger)) };
      } finally {
        await store.close();
      }
    }
  }
} finally {
  await Promise.all([redis.close(), postgres.close()]);
}
console.table(rows);
console.log(`ledger: ${JSON.stringify(rows)}`);
console.log('Calls per second, one after the other, on an empty ledger:');
console.table(verbRows);
console.log(`ledger verbs: ${JSON.stringify(verbRows)}`);
