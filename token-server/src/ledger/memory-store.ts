/** The ledger in memory: for tests and a single process that may forget on restart. */
import { BUDGET_RETENTION_MS, budgetDay, STALE_WINDOW_MS, USAGE_RETENTION_MS, type Admission, type EntryEffects, type LedgerEntry, type LedgerStore, type OutboxEvent, type UsageRow } from './store.js';

/** Creates a memory ledger. */
export function createMemoryStore(): LedgerStore {
  const entries = new Map<string, LedgerEntry>();
  const claims = new Map<string, { owner: string; until: number }>();
  const windows = new Map<string, { start: number; count: number }>();
  const budget = new Map<string, number>();
  const kept = new Map<string, string>();
  const outbox = new Map<string, OutboxEvent>();
  /** By `JSON.stringify([day, preset, origin])`. */
  const usage = new Map<string, UsageRow>();
  const keep = (effects: EntryEffects | undefined) => {
    if (effects?.event && !outbox.has(effects.event.id)) outbox.set(effects.event.id, { ...effects.event });
    if (effects?.usage) {
      const { day, preset, origin, minutes } = effects.usage;
      const key = JSON.stringify([day, preset, origin]);
      const row = usage.get(key) ?? { day, preset, origin, sessions: 0, minutes: 0 };
      usage.set(key, { ...row, sessions: row.sessions + 1, minutes: row.minutes + minutes });
    }
  };
  // Entries are kept and handed out as copies (their consent too): no caller can change one in place.
  const clone = (entry: LedgerEntry): LedgerEntry => ({ ...entry, consent: entry.consent && { ...entry.consent } });
  const copy = (entry: LedgerEntry | undefined) => (entry ? clone(entry) : null);
  const open = (now: number, visitorKey?: string) =>
    [...entries.values()].filter((entry) => (visitorKey === undefined ? entry.openUntil > now : entry.visitorKey === visitorKey && entry.visitorOpenUntil > now)).length;

  return {
    kind: 'memory',
    async insertWithinCaps(entry, caps, now): Promise<Admission> {
      if (open(now, entry.visitorKey) >= caps.perVisitor) return { admitted: false, reason: 'visitor-cap' };
      if (open(now) >= caps.global) return { admitted: false, reason: 'global-cap' };
      entries.set(entry.id, clone(entry));
      return { admitted: true };
    },
    async replace(id, entry, effects) {
      entries.delete(id);
      entries.set(entry.id, clone(entry));
      keep(effects);
    },
    async get(id) {
      return copy(entries.get(id));
    },
    async update(entry, states, effects) {
      const current = entries.get(entry.id);
      if (!current || !states.includes(current.state)) return false;
      entries.set(entry.id, clone(entry));
      keep(effects);
      return true;
    },
    async remove(id, states) {
      const current = entries.get(id);
      return current !== undefined && states.includes(current.state) && entries.delete(id);
    },
    async listDue(now, states, limit) {
      return [...entries.values()]
        .filter((entry) => entry.dueAt !== null && entry.dueAt <= now && states.includes(entry.state))
        .sort((a, b) => a.dueAt! - b.dueAt!)
        .slice(0, limit)
        .map(clone);
    },
    async countOpen(now, visitorKey) {
      return open(now, visitorKey);
    },
    async claim(id, owner, now, leaseMs) {
      const held = claims.get(id);
      if (held && held.owner !== owner && held.until > now) return false;
      claims.set(id, { owner, until: now + leaseMs });
      return true;
    },
    async releaseClaim(id, owner) {
      if (claims.get(id)?.owner === owner) claims.delete(id);
    },
    async housekeeping(now) {
      let forgotten = 0;
      for (const [id, entry] of entries) if (entry.forgetAt !== null && entry.forgetAt <= now && entries.delete(id)) forgotten += 1;
      for (const [key, window] of windows) if (window.start + STALE_WINDOW_MS <= now && windows.delete(key)) forgotten += 1;
      for (const [id, claim] of claims) if (claim.until <= now) claims.delete(id);
      const oldestDay = budgetDay(now - BUDGET_RETENTION_MS);
      for (const day of budget.keys()) if (day < oldestDay) budget.delete(day);
      const oldestUsage = budgetDay(now - USAGE_RETENTION_MS);
      for (const [key, row] of usage) if (row.day < oldestUsage) usage.delete(key);
      return forgotten;
    },
    async listOutboxDue(now, limit) {
      return [...outbox.values()]
        .filter((event) => event.nextAttemptAt <= now)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
        .slice(0, limit)
        .map((event) => ({ ...event }));
    },
    async rescheduleOutbox(id, attempts, nextAttemptAt) {
      const event = outbox.get(id);
      if (event) outbox.set(id, { ...event, attempts, nextAttemptAt });
    },
    async removeOutbox(id) {
      outbox.delete(id);
    },
    async outboxSize() {
      return outbox.size;
    },
    async usage(fromDay, toDay) {
      return [...usage.values()].filter((row) => row.day >= fromDay && row.day <= toDay).map((row) => ({ ...row }));
    },
    async hit(key, limit, windowMs, now) {
      const start = now - (now % windowMs);
      const window = windows.get(key);
      const current = window && window.start === start ? window : { start, count: 0 };
      current.count += 1;
      windows.set(key, current);
      return { allowed: current.count <= limit, retryAfterMs: start + windowMs - now };
    },
    async addBudget(day, minutes) {
      const total = (budget.get(day) ?? 0) + minutes;
      budget.set(day, total);
      return total;
    },
    async budgetUsed(day) {
      return budget.get(day) ?? 0;
    },
    async keepFirst(name, value) {
      if (!kept.has(name)) kept.set(name, value);
      return kept.get(name)!;
    },
    async close() {},
  };
}
