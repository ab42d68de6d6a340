/**
 * The ledger in Redis, for several token server instances behind a load balancer: every
 * instance sees every entry, shares the rate limits, caps and budget, and claims make each
 * due session stopped by one instance at a time. Every change of an entry is one Lua script,
 * so it is atomic with its indexes.
 *
 * Keys (under `prefix`): `e:<id>` (hash: the entry; expires at its `forgetAt`), `due` (sorted
 * set by `dueAt`), `open` (sorted set by `openUntil`), `open:v:<visitor>` (sorted set by
 * `visitorOpenUntil`; before it was kept, by `openUntil`: as strict), `lease:<id>`,
 * `rate:<key>:<window>`, `budget:<day>`, `layout`.
 *
 * The scripts that free a visitor's place derive its `open:v:<visitor>` key from the entry
 * inside the script: right for one Redis (or a primary with replicas), not for Redis Cluster.
 */
import { Redis } from 'ioredis';
import { BUDGET_RETENTION_MS, type Admission, type IndexEntry, type LedgerEntry, type LedgerState, type LedgerStore } from './store.js';

/** The layout's version (the `layout` key): 2 keeps the indexes with the entries. */
const LAYOUT = '2';

/**
 * Lua shared by the scripts. `unindex` takes an entry out of the indexes by its stored hash;
 * `write` stores an entry (ARGV from `first`: dueAt, openUntil, visitorOpenUntil, forgetAt, then the hash's
 * field-value pairs) and indexes it. KEYS[1] is always the entry, KEYS[2] `due`, KEYS[3] `open`.
 */
const HELPERS = `
  local function unindex(key, id, visitorPrefix)
    local visitor = redis.call('HGET', key, 'visitorKey')
    redis.call('ZREM', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
    if visitor then redis.call('ZREM', visitorPrefix .. visitor, id) end
  end
  local function write(key, id, visitorPrefix, first)
    local dueAt, openUntil, visitorOpenUntil, forgetAt = ARGV[first], tonumber(ARGV[first + 1]), tonumber(ARGV[first + 2]), ARGV[first + 3]
    redis.call('DEL', key)
    redis.call('HSET', key, unpack(ARGV, first + 4))
    local visitor = redis.call('HGET', key, 'visitorKey')
    if dueAt ~= '' then redis.call('ZADD', KEYS[2], dueAt, id) end
    if openUntil > 0 then redis.call('ZADD', KEYS[3], openUntil, id) end
    if visitorOpenUntil > 0 then redis.call('ZADD', visitorPrefix .. visitor, visitorOpenUntil, id) end
    if forgetAt ~= '' then redis.call('PEXPIREAT', key, forgetAt) end
  end
  local function allowed(state, list)
    for candidate in string.gmatch(list, '[^,]+') do if candidate == state then return true end end
    return false
  end
`;

const SCRIPTS = {
  insertWithinCaps: {
    keys: 4, // e:<id>, due, open, open:v:<visitor>
    // ARGV: id, visitorPrefix, now, perVisitor, global, then write's (from 6)
    lua: `${HELPERS}
      redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])
      redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[3])
      if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[4]) then return 'visitor-cap' end
      if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return 'global-cap' end
      write(KEYS[1], ARGV[1], ARGV[2], 6)
      return 'ok'`,
  },
  replace: {
    keys: 4, // e:<new id>, due, open, e:<old id>
    // ARGV: new id, visitorPrefix, old id, then write's (from 4)
    lua: `${HELPERS}
      unindex(KEYS[4], ARGV[3], ARGV[2])
      redis.call('DEL', KEYS[4])
      unindex(KEYS[1], ARGV[1], ARGV[2])
      write(KEYS[1], ARGV[1], ARGV[2], 4)
      return 'ok'`,
  },
  update: {
    keys: 3, // e:<id>, due, open
    // ARGV: id, visitorPrefix, states, then write's (from 4)
    lua: `${HELPERS}
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state or not allowed(state, ARGV[3]) then return 0 end
      unindex(KEYS[1], ARGV[1], ARGV[2])
      write(KEYS[1], ARGV[1], ARGV[2], 4)
      return 1`,
  },
  remove: {
    keys: 3, // e:<id>, due, open
    // ARGV: id, visitorPrefix, states
    lua: `${HELPERS}
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state or not allowed(state, ARGV[3]) then return 0 end
      unindex(KEYS[1], ARGV[1], ARGV[2])
      redis.call('DEL', KEYS[1])
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

const FIELDS = ['id', 'preset', 'origin', 'visitorKey', 'createdAt', 'deadline', 'lastHeartbeat', 'stopAttempts', 'state', 'nextAttemptAt', 'stoppedAt', 'reservedMinutes', 'dueAt', 'openUntil', 'visitorOpenUntil', 'forgetAt'] as const;

const text = (value: number | string | null) => (value === null ? '' : String(value));

/** What `write` takes: the three indexes, then the hash (the consent in two fields, empty for none). */
function writeArgs(entry: LedgerEntry): string[] {
  const consent = ['consentVersion', entry.consent?.version ?? '', 'consentAt', text(entry.consent?.acceptedAt ?? null)];
  return [text(entry.dueAt), String(entry.openUntil), String(entry.visitorOpenUntil), text(entry.forgetAt), ...FIELDS.flatMap((field) => [field, text(entry[field])]), ...consent];
}

function fromHash(hash: Record<string, string>): LedgerEntry | null {
  if (!hash.id) return null;
  const number = (field: string) => Number(hash[field] ?? 0);
  const optional = (field: string) => (hash[field] ? number(field) : null);
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
    stoppedAt: optional('stoppedAt'),
    reservedMinutes: number('reservedMinutes'),
    dueAt: optional('dueAt'),
    openUntil: number('openUntil'),
    // Entries written before the visitor's index was kept: as strict as the global one.
    visitorOpenUntil: hash.visitorOpenUntil === undefined ? number('openUntil') : number('visitorOpenUntil'),
    forgetAt: optional('forgetAt'),
    // Entries written before consent was kept have neither field: no consent.
    consent: hash.consentVersion && hash.consentAt ? { version: hash.consentVersion, acceptedAt: number('consentAt') } : null,
  };
}

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** `redis://…` */
  url: string;
  /** Key prefix, so a Redis can be shared [eqa:]. */
  prefix?: string;
  /**
   * Indexes the entries an earlier version wrote (layout 1: `s:<id>` hashes without indexes)
   * when the store first connects [none: such entries are refused, saying so].
   */
  indexLegacy?: IndexEntry;
}

/** How many due ids are read per round trip while looking for entries in the asked states. */
const DUE_PAGE = 200;

/**
 * Connects the Redis ledger; resolves once it is reachable and in the current layout.
 *
 * @example
 * const store = await createRedisStore({ url: process.env.REDIS_URL! });
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<LedgerStore> {
  const prefix = options.prefix ?? 'eqa:';
  const redis = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true }) as ScriptedRedis;
  // A Redis outage is reported by the failing calls; the client keeps reconnecting.
  redis.on('error', () => {});
  for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
  const key = {
    entry: (id: string) => `${prefix}e:${id}`,
    due: `${prefix}due`,
    open: `${prefix}open`,
    visitorPrefix: `${prefix}open:v:`,
  };
  /** The entries of `ids`, in order (null where there is none), in one round trip. */
  async function readEntries(ids: string[]): Promise<Array<LedgerEntry | null>> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(key.entry(id));
    return ((await pipeline.exec()) ?? []).map(([, hash]) => fromHash(hash as Record<string, string>));
  }

  const store: LedgerStore = {
    kind: 'redis',
    async insertWithinCaps(entry, caps, now): Promise<Admission> {
      const result = await redis.insertWithinCaps(key.entry(entry.id), key.due, key.open, key.visitorPrefix + entry.visitorKey, entry.id, key.visitorPrefix, now, caps.perVisitor, caps.global, ...writeArgs(entry));
      return result === 'ok' ? { admitted: true } : { admitted: false, reason: result as 'visitor-cap' | 'global-cap' };
    },
    async replace(id, entry) {
      await redis.replace(key.entry(entry.id), key.due, key.open, key.entry(id), entry.id, key.visitorPrefix, id, ...writeArgs(entry));
    },
    async get(id) {
      return fromHash(await redis.hgetall(key.entry(id)));
    },
    async update(entry, states) {
      return (await redis.update(key.entry(entry.id), key.due, key.open, entry.id, key.visitorPrefix, states.join(','), ...writeArgs(entry))) === 1;
    },
    async remove(id, states) {
      return (await redis.remove(key.entry(id), key.due, key.open, id, key.visitorPrefix, states.join(','))) === 1;
    },
    async listDue(now, states, limit) {
      // The index holds every due entry; read it page by page until enough are in `states`,
      // so entries of other states at its head cannot starve the ones asked for.
      const found: LedgerEntry[] = [];
      for (let offset = 0; found.length < limit; offset += DUE_PAGE) {
        const ids = await redis.zrangebyscore(key.due, '-inf', now, 'LIMIT', offset, DUE_PAGE);
        const entries = await readEntries(ids);
        // An id whose entry expired has nothing left to do: drop it from the index.
        const gone = ids.filter((_, index) => entries[index] === null);
        if (gone.length > 0) await redis.zrem(key.due, ...gone);
        for (const entry of entries) if (entry && states.includes(entry.state) && found.length < limit) found.push(entry);
        if (ids.length < DUE_PAGE) break;
        offset -= gone.length;
      }
      return found;
    },
    async countOpen(now, visitorKey) {
      return redis.zcount(visitorKey === undefined ? key.open : key.visitorPrefix + visitorKey, `(${now}`, '+inf');
    },
    async claim(id, owner, _now, leaseMs) {
      return (await redis.claim(`${prefix}lease:${id}`, owner, Math.max(1, Math.round(leaseMs)))) === 1;
    },
    async releaseClaim(id, owner) {
      await redis.releaseClaim(`${prefix}lease:${id}`, owner);
    },
    async housekeeping() {
      // Every key here expires by itself: entries at their forgetAt, rate windows, budget
      // days, leases; `listDue` drops the ids of expired entries from the due index, and the
      // open sets are trimmed on every admission.
      return 0;
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
    async keepFirst(name, value) {
      // No expiry: the deployment's identity and secret outlive every entry.
      await redis.set(`${prefix}kept:${name}`, value, 'NX');
      return (await redis.get(`${prefix}kept:${name}`)) ?? value;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };

  /**
   * Brings the keys to the current layout once (the first instance to connect does it, under
   * a lock). Layout 1 kept `s:<id>` hashes and per-purpose indexes: each hash is indexed by
   * the policy and written as an entry; the old keys are deleted.
   */
  async function migrate(client: ScriptedRedis, keyPrefix: string, indexLegacy: IndexEntry | undefined): Promise<void> {
    if ((await client.get(`${keyPrefix}layout`)) === LAYOUT) return;
    const legacy: string[] = [];
    for (let cursor = '0'; ; ) {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}s:*`, 'COUNT', 500);
      legacy.push(...keys);
      if ((cursor = next) === '0') break;
    }
    if (legacy.length === 0) {
      await client.set(`${keyPrefix}layout`, LAYOUT);
      return;
    }
    if (!indexLegacy) throw new Error('the Redis ledger holds entries of an earlier version; connect the token server (which indexes them) first.');
    if ((await client.set(`${keyPrefix}migrating`, '1', 'PX', 60_000, 'NX')) !== 'OK') throw new Error('another instance is bringing the Redis ledger up to date; start again in a minute.');
    for (const legacyKey of legacy) {
      const old = fromHash(await client.hgetall(legacyKey));
      if (old) await store.replace(old.id, indexLegacy(old));
      await client.del(legacyKey);
    }
    // Layout 1's own indexes; its `open` sets had the same meaning and were rewritten above.
    await client.del(`${keyPrefix}pending`, `${keyPrefix}due:deadline`, `${keyPrefix}due:heartbeat`, `${keyPrefix}due:retry`);
    await client.set(`${keyPrefix}layout`, LAYOUT);
    await client.del(`${keyPrefix}migrating`);
  }

  try {
    await migrate(redis, prefix, options.indexLegacy);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return store;
}
