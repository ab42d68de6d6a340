/**
 * The ledger in Redis, for several token server instances behind a load balancer: every
 * instance sees every entry, shares the rate limits, caps and budget, and claims make each
 * due session stopped by one instance at a time. Every change of an entry is one Lua script,
 * so it is atomic with its indexes.
 *
 * Keys (under `prefix`): `e:<id>` (hash: the entry; expires at its `forgetAt`), `due` (sorted
 * set by `dueAt`), `open` (sorted set by `openUntil`), `open:v:<visitor>` (sorted set by
 * `visitorOpenUntil`; before it was kept, by `openUntil`: as strict), `lease:<id>`,
 * `rate:<key>:<window>`, `budget:<day>`, `layout`; the webhook outbox: `ob:<id>` (hash: the
 * event; never expires, it leaves when delivered or given up on), `outbox` (sorted set by
 * `nextAttemptAt`), `outbox:seq` (the order events were written in, among equals); the usage:
 * `usage:<day>` (hash: `s:<[preset, origin]>` sessions and `m:<…>` minutes; expires
 * `USAGE_RETENTION_MS` after its day), `usage:days` (sorted set of the days kept, by day
 * number). An entry's change and its effects (`EntryEffects`) are one script.
 *
 * The scripts that free a visitor's place derive its `open:v:<visitor>` key from the entry
 * inside the script: right for one Redis (or a primary with replicas), not for Redis Cluster.
 */
import { Redis } from 'ioredis';
import {
  BUDGET_RETENTION_MS,
  USAGE_RETENTION_MS,
  type Admission,
  type EntryEffects,
  type IndexEntry,
  type LedgerEntry,
  type LedgerState,
  type LedgerStore,
  type OutboxEvent,
  type OutboxEventType,
  type UsageRow,
} from './store.js';

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

/**
 * Lua that keeps an entry change's effects, in the same script. `keep(first)` reads EFFECT_ARGS
 * ARGV values from `first`: the event's id ('' for none), type, body, createdAt, attempts,
 * nextAttemptAt, then the usage's field ('' for none), minutes, day number, expiry (ms) and the
 * oldest day number kept; KEYS[k] to KEYS[k + 4] are `outbox`, `outbox:seq`, `ob:<id>`,
 * `usage:<day>`, `usage:days` (k = the script's own keys + 1).
 */
const EFFECTS = `
  local function keep(k, first)
    local id = ARGV[first]
    if id ~= '' and redis.call('EXISTS', KEYS[k + 2]) == 0 then
      local seq = redis.call('INCR', KEYS[k + 1])
      redis.call('HSET', KEYS[k + 2], 'id', id, 'type', ARGV[first + 1], 'body', ARGV[first + 2], 'createdAt', ARGV[first + 3], 'attempts', ARGV[first + 4], 'nextAttemptAt', ARGV[first + 5], 'seq', seq)
      redis.call('ZADD', KEYS[k], ARGV[first + 5], id)
    end
    local field = ARGV[first + 6]
    if field ~= '' then
      redis.call('HINCRBY', KEYS[k + 3], 's:' .. field, 1)
      redis.call('HINCRBYFLOAT', KEYS[k + 3], 'm:' .. field, ARGV[first + 7])
      redis.call('PEXPIREAT', KEYS[k + 3], ARGV[first + 9])
      redis.call('ZADD', KEYS[k + 4], ARGV[first + 8], string.sub(KEYS[k + 3], -10))
      redis.call('ZREMRANGEBYSCORE', KEYS[k + 4], '-inf', '(' .. ARGV[first + 10])
    end
  end
`;

/** How many ARGV values `keep` reads. */
const EFFECT_ARGS = 11;
/** How many KEYS `keep` uses. */
const EFFECT_KEYS = 5;

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
    keys: 4 + EFFECT_KEYS, // e:<new id>, due, open, e:<old id>, then keep's
    // ARGV: new id, visitorPrefix, old id, then keep's (from 4), then write's (from 4 + EFFECT_ARGS)
    lua: `${HELPERS}${EFFECTS}
      unindex(KEYS[4], ARGV[3], ARGV[2])
      redis.call('DEL', KEYS[4])
      unindex(KEYS[1], ARGV[1], ARGV[2])
      write(KEYS[1], ARGV[1], ARGV[2], ${4 + EFFECT_ARGS})
      keep(5, 4)
      return 'ok'`,
  },
  update: {
    keys: 3 + EFFECT_KEYS, // e:<id>, due, open, then keep's
    // ARGV: id, visitorPrefix, states, then keep's (from 4), then write's (from 4 + EFFECT_ARGS)
    lua: `${HELPERS}${EFFECTS}
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state or not allowed(state, ARGV[3]) then return 0 end
      unindex(KEYS[1], ARGV[1], ARGV[2])
      write(KEYS[1], ARGV[1], ARGV[2], ${4 + EFFECT_ARGS})
      keep(4, 4)
      return 1`,
  },
  rescheduleOutbox: {
    keys: 2, // ob:<id>, outbox
    // ARGV: id, attempts, nextAttemptAt
    lua: `
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('HSET', KEYS[1], 'attempts', ARGV[2], 'nextAttemptAt', ARGV[3])
      redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
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

const DAY_MS = 24 * 3600 * 1000;
/** A `YYYY-MM-DD` day's number (days since the epoch). */
const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** What `keep` takes (ARGV), and the keys it writes, for `effects` under `prefix`. */
function effectArgs(prefix: string, effects: EntryEffects | undefined): { keys: string[]; args: string[] } {
  const event = effects?.event;
  const usage = effects?.usage;
  // A day's key lives until it leaves the retention; the days older than that leave the index.
  const day = usage?.day ?? '0000-00-00';
  const oldestKept = Math.floor((Date.now() - USAGE_RETENTION_MS) / DAY_MS);
  return {
    keys: [`${prefix}outbox`, `${prefix}outbox:seq`, `${prefix}ob:${event?.id ?? ''}`, `${prefix}usage:${day}`, `${prefix}usage:days`],
    args: [
      ...(event ? [event.id, event.type, event.body, String(event.createdAt), String(event.attempts), String(event.nextAttemptAt)] : ['', '', '', '', '', '']),
      ...(usage
        ? [JSON.stringify([usage.preset, usage.origin]), String(usage.minutes), String(dayNumber(day)), String((dayNumber(day) + 1) * DAY_MS + USAGE_RETENTION_MS), String(oldestKept)]
        : ['', '', '', '', '']),
    ],
  };
}

function fromEventHash(hash: Record<string, string>): (OutboxEvent & { seq: number }) | null {
  if (!hash.id) return null;
  return {
    id: hash.id,
    type: (hash.type ?? 'session.ended') as OutboxEventType,
    body: hash.body ?? '',
    createdAt: Number(hash.createdAt ?? 0),
    attempts: Number(hash.attempts ?? 0),
    nextAttemptAt: Number(hash.nextAttemptAt ?? 0),
    seq: Number(hash.seq ?? 0),
  };
}

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
    outbox: `${prefix}outbox`,
    event: (id: string) => `${prefix}ob:${id}`,
    usage: (day: string) => `${prefix}usage:${day}`,
    usageDays: `${prefix}usage:days`,
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
    async replace(id, entry, effects) {
      const kept = effectArgs(prefix, effects);
      await redis.replace(key.entry(entry.id), key.due, key.open, key.entry(id), ...kept.keys, entry.id, key.visitorPrefix, id, ...kept.args, ...writeArgs(entry));
    },
    async get(id) {
      return fromHash(await redis.hgetall(key.entry(id)));
    },
    async update(entry, states, effects) {
      const kept = effectArgs(prefix, effects);
      return (await redis.update(key.entry(entry.id), key.due, key.open, ...kept.keys, entry.id, key.visitorPrefix, states.join(','), ...kept.args, ...writeArgs(entry))) === 1;
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
      // days, usage days, leases; `listDue` drops the ids of expired entries from the due
      // index, the open sets are trimmed on every admission, the usage days on every usage.
      // The outbox never expires.
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
    async listOutboxDue(now, limit) {
      const ids = await redis.zrangebyscore(key.outbox, '-inf', now, 'LIMIT', 0, limit);
      if (ids.length === 0) return [];
      // Events due at the same time go in the order they were written: those tied with the
      // last one listed may lie past the limit, so they are read as well, and all sorted.
      const boundary = Number(await redis.zscore(key.outbox, ids[ids.length - 1]!));
      const tied = ids.length === limit ? await redis.zrangebyscore(key.outbox, boundary, boundary) : [];
      const candidates = [...new Set([...ids, ...tied])];
      const pipeline = redis.pipeline();
      for (const id of candidates) pipeline.hgetall(key.event(id));
      const events = ((await pipeline.exec()) ?? []).map(([, hash]) => fromEventHash(hash as Record<string, string>));
      return events
        .filter((event): event is NonNullable<typeof event> => event !== null)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.seq - b.seq)
        .slice(0, limit)
        .map(({ seq: _seq, ...event }) => event);
    },
    async rescheduleOutbox(id, attempts, nextAttemptAt) {
      await redis.rescheduleOutbox(key.event(id), key.outbox, id, attempts, nextAttemptAt);
    },
    async removeOutbox(id) {
      await redis.multi().del(key.event(id)).zrem(key.outbox, id).exec();
    },
    async outboxSize() {
      return redis.zcard(key.outbox);
    },
    async usage(fromDay, toDay) {
      const days = await redis.zrangebyscore(key.usageDays, dayNumber(fromDay), dayNumber(toDay));
      const pipeline = redis.pipeline();
      for (const day of days) pipeline.hgetall(key.usage(day));
      const hashes = ((await pipeline.exec()) ?? []).map(([, hash]) => hash as Record<string, string>);
      const rows: UsageRow[] = [];
      for (const [index, day] of days.entries()) {
        const hash = hashes[index] ?? {};
        for (const [field, sessions] of Object.entries(hash)) {
          if (!field.startsWith('s:')) continue;
          const [preset, origin] = JSON.parse(field.slice(2)) as [string, string | null];
          rows.push({ day, preset, origin, sessions: Number(sessions), minutes: Number(hash[`m:${field.slice(2)}`] ?? 0) });
        }
      }
      return rows;
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
