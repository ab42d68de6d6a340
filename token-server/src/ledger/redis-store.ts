/**
 * The ledger in Redis, for several token server instances behind a load balancer: every
 * instance sees every session, shares the rate limits, caps and budget, and the reaper's
 * claims make each due session stopped by one instance at a time. Every multi-key change is
 * one Lua script, so it is atomic.
 *
 * Keys (under `prefix`): `s:<id>` (hash: the record), `open` and `open:v:<visitor>` (sorted
 * sets: open sessions, scored by when they stop counting), `due:deadline`, `due:heartbeat`
 * (running sessions by deadline / last heartbeat), `due:retry` (failed stops by next
 * attempt), `pending` (pending and unresolved admissions by when they were made), `lease:<id>`,
 * `rate:<key>:<window>`, `budget:<day>`.
 *
 * The scripts that free a visitor's place derive its `open:v:<visitor>` key from the record
 * inside the script: right for one Redis (or a primary with replicas), not for Redis Cluster.
 */
import { Redis } from 'ioredis';
import { BUDGET_RETENTION_MS, STALE_PENDING_MS, STOPPED_RETENTION_MS, type Admission, type AdmissionLimits, type DueQuery, type LedgerState, type LedgerStore, type SessionRecord } from './store.js';

/** A score far in the future: "open until stopped". */
const FOREVER = 9e15;

const SCRIPTS = {
  admit: {
    keys: 4, // open, open:v:<visitor>, s:<pending id>, pending
    lua: `
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
      if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 'visitor-cap' end
      if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 'global-cap' end
      redis.call('ZADD', KEYS[1], ARGV[4], ARGV[5])
      redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
      redis.call('ZADD', KEYS[4], ARGV[1], ARGV[5])
      redis.call('HSET', KEYS[3], unpack(ARGV, 7))
      redis.call('PEXPIREAT', KEYS[3], ARGV[6])
      return 'ok'`,
  },
  activate: {
    keys: 7, // open, open:v, s:<pending>, s:<id>, due:deadline, due:heartbeat, pending
    lua: `
      redis.call('ZREM', KEYS[7], ARGV[1])
      redis.call('ZREM', KEYS[1], ARGV[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('DEL', KEYS[3])
      redis.call('ZADD', KEYS[1], ARGV[5], ARGV[2])
      redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2])
      redis.call('HSET', KEYS[4], unpack(ARGV, 6))
      redis.call('ZADD', KEYS[5], ARGV[3], ARGV[2])
      redis.call('ZADD', KEYS[6], ARGV[4], ARGV[2])
      return 'ok'`,
  },
  heartbeat: {
    keys: 2, // s:<id>, due:heartbeat
    lua: `
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state then return false end
      if state == 'running' then
        local last = tonumber(redis.call('HGET', KEYS[1], 'lastHeartbeat'))
        if tonumber(ARGV[1]) > last then
          redis.call('HSET', KEYS[1], 'lastHeartbeat', ARGV[1])
          redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
        end
      end
      return state`,
  },
  release: {
    keys: 3, // s:<pending id>, open, pending
    lua: `
      redis.call('ZREM', KEYS[3], ARGV[1])
      local state = redis.call('HGET', KEYS[1], 'state')
      if state ~= 'pending' and state ~= 'unresolved' then return 0 end
      local visitor = redis.call('HGET', KEYS[1], 'visitorKey')
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('ZREM', ARGV[2] .. visitor, ARGV[1])
      redis.call('DEL', KEYS[1])
      return 1`,
  },
  markUnresolved: {
    keys: 2, // s:<pending id>, open
    lua: `
      if redis.call('HGET', KEYS[1], 'state') ~= 'pending' then return 0 end
      local visitor = redis.call('HGET', KEYS[1], 'visitorKey')
      redis.call('HSET', KEYS[1], 'state', 'unresolved')
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('ZREM', ARGV[2] .. visitor, ARGV[1])
      return 1`,
  },
  markStopped: {
    keys: 5, // s:<id>, due:deadline, due:heartbeat, due:retry, open
    lua: `
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state or state == 'stopped' then return false end
      local visitor = redis.call('HGET', KEYS[1], 'visitorKey')
      redis.call('HSET', KEYS[1], 'state', 'stopped', 'stoppedAt', ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      for i = 2, 4 do redis.call('ZREM', KEYS[i], ARGV[2]) end
      redis.call('ZREM', KEYS[5], ARGV[2])
      redis.call('ZREM', ARGV[4] .. visitor, ARGV[2])
      return redis.call('HGETALL', KEYS[1])`,
  },
  recordStopFailure: {
    keys: 4, // s:<id>, due:deadline, due:heartbeat, due:retry
    lua: `
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state or state == 'stopped' then return 0 end
      redis.call('HSET', KEYS[1], 'state', 'stopping', 'nextAttemptAt', ARGV[1])
      redis.call('HINCRBY', KEYS[1], 'stopAttempts', 1)
      redis.call('ZREM', KEYS[2], ARGV[2])
      redis.call('ZREM', KEYS[3], ARGV[2])
      redis.call('ZADD', KEYS[4], ARGV[1], ARGV[2])
      return 1`,
  },
  claim: {
    keys: 1, // lease:<id>
    lua: `
      local holder = redis.call('GET', KEYS[1])
      if holder and holder ~= ARGV[1] then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1`,
  },
  releaseClaim: {
    keys: 1, // lease:<id>
    lua: `
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0`,
  },
  hit: {
    keys: 1, // rate:<key>:<window>
    lua: `
      local count = redis.call('INCR', KEYS[1])
      if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return count`,
  },
  addBudget: {
    keys: 1, // budget:<day>
    lua: `
      local total = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return total`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptedRedis = Redis & Record<ScriptName, (...args: Array<string | number>) => Promise<unknown>>;

const FIELDS = ['id', 'preset', 'origin', 'visitorKey', 'createdAt', 'deadline', 'lastHeartbeat', 'stopAttempts', 'state', 'nextAttemptAt', 'stoppedAt', 'reservedMinutes'] as const;

function toHash(record: SessionRecord): string[] {
  return FIELDS.flatMap((field) => [field, record[field] === null ? '' : String(record[field])]);
}

function fromHash(hash: Record<string, string>): SessionRecord | null {
  if (!hash.id) return null;
  const number = (field: string) => Number(hash[field] ?? 0);
  return {
    id: hash.id,
    preset: hash.preset ?? '',
    origin: hash.origin ? hash.origin : null,
    visitorKey: hash.visitorKey ?? '',
    createdAt: number('createdAt'),
    deadline: number('deadline'),
    lastHeartbeat: number('lastHeartbeat'),
    stopAttempts: number('stopAttempts'),
    state: (hash.state ?? 'running') as LedgerState,
    nextAttemptAt: number('nextAttemptAt'),
    stoppedAt: hash.stoppedAt ? number('stoppedAt') : null,
    reservedMinutes: number('reservedMinutes'),
  };
}

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** `redis://…` */
  url: string;
  /** Key prefix, so a Redis can be shared [eqa:]. */
  prefix?: string;
}

/**
 * Connects the Redis ledger.
 *
 * @example
 * const store = createRedisStore({ url: process.env.REDIS_URL! });
 */
export function createRedisStore(options: RedisStoreOptions): LedgerStore {
  const prefix = options.prefix ?? 'eqa:';
  const redis = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true }) as ScriptedRedis;
  // A Redis outage is reported by the failing calls; the client keeps reconnecting.
  redis.on('error', () => {});
  for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
  const key = {
    session: (id: string) => `${prefix}s:${id}`,
    open: `${prefix}open`,
    visitor: (visitorKey: string) => `${prefix}open:v:${visitorKey}`,
    pending: `${prefix}pending`,
    deadline: `${prefix}due:deadline`,
    heartbeat: `${prefix}due:heartbeat`,
    retry: `${prefix}due:retry`,
  };
  /** The records of `ids`, in order (null where there is none), in one round trip. */
  async function readRecords(ids: string[]): Promise<Array<SessionRecord | null>> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(key.session(id));
    return ((await pipeline.exec()) ?? []).map(([, hash]) => fromHash(hash as Record<string, string>));
  }
  const hashToRecord = (flat: unknown) => {
    if (!Array.isArray(flat)) return null;
    const hash: Record<string, string> = {};
    for (let index = 0; index < flat.length; index += 2) hash[String(flat[index])] = String(flat[index + 1]);
    return fromHash(hash);
  };

  return {
    kind: 'redis',
    async admit(pending: SessionRecord, limits: AdmissionLimits): Promise<Admission> {
      const expiresAt = pending.createdAt + limits.pendingTtlMs;
      const result = await redis.admit(
        key.open,
        key.visitor(pending.visitorKey),
        key.session(pending.id),
        key.pending,
        pending.createdAt,
        limits.perVisitor,
        limits.global,
        expiresAt,
        pending.id,
        // Kept past `expiresAt` (when it stops counting) so `listStalePending` can find it.
        pending.createdAt + STALE_PENDING_MS,
        ...toHash({ ...pending, state: 'pending' }),
      );
      return result === 'ok' ? { admitted: true } : { admitted: false, reason: result as 'visitor-cap' | 'global-cap' };
    },
    async activate(pendingId, record) {
      await redis.activate(
        key.open,
        key.visitor(record.visitorKey),
        key.session(pendingId),
        key.session(record.id),
        key.deadline,
        key.heartbeat,
        key.pending,
        pendingId,
        record.id,
        record.deadline,
        record.lastHeartbeat,
        FOREVER,
        ...toHash(record),
      );
    },
    async release(pendingId) {
      return (await redis.release(key.session(pendingId), key.open, key.pending, pendingId, key.visitor(''))) === 1;
    },
    async markUnresolved(pendingId) {
      await redis.markUnresolved(key.session(pendingId), key.open, pendingId, key.visitor(''));
    },
    async listStalePending(before, limit) {
      const ids = await redis.zrangebyscore(key.pending, '-inf', `(${before}`, 'LIMIT', 0, limit);
      const records = await readRecords(ids);
      // An entry whose record expired (or moved on) has nothing left to find: drop it.
      const stale = (record: SessionRecord | null | undefined): record is SessionRecord => record?.state === 'pending' || record?.state === 'unresolved';
      const gone = ids.filter((_, index) => !stale(records[index]));
      if (gone.length > 0) await redis.zrem(key.pending, ...gone);
      return records.filter(stale);
    },
    async get(id) {
      return fromHash(await redis.hgetall(key.session(id)));
    },
    async heartbeat(id, at) {
      const state = await redis.heartbeat(key.session(id), key.heartbeat, at, id);
      return (state as LedgerState | null) ?? null;
    },
    async markStopped(id, at) {
      return hashToRecord(await redis.markStopped(key.session(id), key.deadline, key.heartbeat, key.retry, key.open, at, id, STOPPED_RETENTION_MS, key.visitor('')));
    },
    async recordStopFailure(id, nextAttemptAt) {
      await redis.recordStopFailure(key.session(id), key.deadline, key.heartbeat, key.retry, nextAttemptAt, id);
    },
    async listDue(query: DueQuery) {
      const [pastDeadline, silent, retries] = await Promise.all([
        redis.zrangebyscore(key.deadline, '-inf', query.now - query.graceMs, 'LIMIT', 0, query.limit),
        redis.zrangebyscore(key.heartbeat, '-inf', query.now - query.heartbeatTimeoutMs, 'LIMIT', 0, query.limit),
        redis.zrangebyscore(key.retry, '-inf', query.now, 'LIMIT', 0, query.limit),
      ]);
      const ids = [...new Set([...pastDeadline, ...silent, ...retries])].slice(0, query.limit);
      return (await readRecords(ids)).filter((record): record is SessionRecord => record !== null && record.state !== 'stopped');
    },
    async claim(id, owner, _now, leaseMs) {
      return (await redis.claim(`${prefix}lease:${id}`, owner, Math.max(1, Math.round(leaseMs)))) === 1;
    },
    async releaseClaim(id, owner) {
      await redis.releaseClaim(`${prefix}lease:${id}`, owner);
    },
    async housekeeping(now) {
      // Every key here expires by itself: stopped and pending sessions, rate windows, budget
      // days, leases. Running sessions stay until they stop. Only the index of pending
      // admissions needs trimming (of those whose server died long ago).
      await redis.zremrangebyscore(key.pending, '-inf', now - STALE_PENDING_MS);
      return 0;
    },
    async countOpen({ now, visitorKey }) {
      return redis.zcount(visitorKey === undefined ? key.open : key.visitor(visitorKey), `(${now}`, '+inf');
    },
    async hit(rateKey, limit, windowMs, now) {
      const start = now - (now % windowMs);
      const count = Number(await redis.hit(`${prefix}rate:${rateKey}:${start}`, windowMs * 2));
      return { allowed: count <= limit, retryAfterMs: start + windowMs - now };
    },
    async addBudget(day, minutes) {
      // A day's total is kept for the retention after its last change (refunds come late).
      return Number(await redis.addBudget(`${prefix}budget:${day}`, minutes, BUDGET_RETENTION_MS));
    },
    async budgetUsed(day) {
      return Number((await redis.get(`${prefix}budget:${day}`)) ?? 0);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
