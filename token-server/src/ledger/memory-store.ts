/** The ledger in memory: for tests and a single process that may forget on restart. */
import { BUDGET_RETENTION_MS, budgetDay, isDue, isOpen, STALE_PENDING_MS, STALE_WINDOW_MS, STOPPED_RETENTION_MS, type AdmissionLimits, type Admission, type DueQuery, type LedgerState, type LedgerStore, type SessionRecord } from './store.js';

const unresolvedOrPending = (record: SessionRecord | undefined) => record?.state === 'pending' || record?.state === 'unresolved';

/** Creates a memory ledger. */
export function createMemoryStore(): LedgerStore {
  const sessions = new Map<string, SessionRecord>();
  const claims = new Map<string, { owner: string; until: number }>();
  const windows = new Map<string, { start: number; count: number }>();
  const budget = new Map<string, number>();
  const copy = (record: SessionRecord | undefined) => (record ? { ...record } : null);
  const open = (now: number, ttl: number, visitorKey?: string) =>
    [...sessions.values()].filter((record) => isOpen(record, now, ttl) && (visitorKey === undefined || record.visitorKey === visitorKey)).length;

  return {
    kind: 'memory',
    async admit(pending: SessionRecord, limits: AdmissionLimits): Promise<Admission> {
      if (open(pending.createdAt, limits.pendingTtlMs, pending.visitorKey) >= limits.perVisitor) return { admitted: false, reason: 'visitor-cap' };
      if (open(pending.createdAt, limits.pendingTtlMs) >= limits.global) return { admitted: false, reason: 'global-cap' };
      sessions.set(pending.id, { ...pending, state: 'pending' });
      return { admitted: true };
    },
    async activate(pendingId, record) {
      sessions.delete(pendingId);
      sessions.set(record.id, { ...record });
    },
    async release(pendingId) {
      return unresolvedOrPending(sessions.get(pendingId)) && sessions.delete(pendingId);
    },
    async markUnresolved(pendingId) {
      const record = sessions.get(pendingId);
      if (record?.state === 'pending') record.state = 'unresolved';
    },
    async listStalePending(before, limit) {
      return [...sessions.values()]
        .filter((record) => unresolvedOrPending(record) && record.createdAt < before)
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, limit)
        .map((record) => ({ ...record }));
    },
    async get(id) {
      return copy(sessions.get(id));
    },
    async heartbeat(id, at): Promise<LedgerState | null> {
      const record = sessions.get(id);
      if (!record) return null;
      if (record.state === 'running') record.lastHeartbeat = Math.max(record.lastHeartbeat, at);
      return record.state;
    },
    async markStopped(id, at) {
      const record = sessions.get(id);
      if (!record || record.state === 'stopped') return null;
      record.state = 'stopped';
      record.stoppedAt = at;
      return { ...record };
    },
    async recordStopFailure(id, nextAttemptAt) {
      const record = sessions.get(id);
      if (!record || record.state === 'stopped') return;
      record.state = 'stopping';
      record.stopAttempts += 1;
      record.nextAttemptAt = nextAttemptAt;
    },
    async listDue(query: DueQuery) {
      return [...sessions.values()].filter((record) => isDue(record, query)).slice(0, query.limit).map((record) => ({ ...record }));
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
      for (const [id, record] of sessions) {
        const stale = record.state === 'stopped' ? record.stoppedAt! + STOPPED_RETENTION_MS <= now : unresolvedOrPending(record) && record.createdAt + STALE_PENDING_MS <= now;
        if (stale && sessions.delete(id)) forgotten += 1;
      }
      for (const [key, window] of windows) if (window.start + STALE_WINDOW_MS <= now && windows.delete(key)) forgotten += 1;
      for (const [id, claim] of claims) if (claim.until <= now) claims.delete(id);
      const oldestDay = budgetDay(now - BUDGET_RETENTION_MS);
      for (const day of budget.keys()) if (day < oldestDay) budget.delete(day);
      return forgotten;
    },
    async countOpen({ now, pendingTtlMs, visitorKey }) {
      return open(now, pendingTtlMs, visitorKey);
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
    async close() {},
  };
}
