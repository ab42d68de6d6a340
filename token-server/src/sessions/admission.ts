/**
 * Who may start a paid session, checked before Equos is called: a creation rate per visitor
 * (an address, keyed) and per site, open sessions per visitor, concurrent sessions overall,
 * and a daily budget of session minutes. Per visitor first, per site as a ceiling, so one
 * busy visitor is stopped long before a burst of real ones is.
 *
 * All counters live in the ledger store, so every instance of a deployment shares them.
 */
import type { SessionLimits } from '../config/settings.js';
import { budgetDay, type LedgerEntry, type LedgerStore } from '../ledger/store.js';
import { ProblemError } from '../problems.js';
import type { SessionLedger } from './session-ledger.js';

/**
 * An admitted session-to-be, to activate or forget: the pending entry as the ledger holds it
 * (its `createdAt` is the admission, before Equos was asked, so no later than the start).
 */
export interface AdmissionTicket {
  pending: LedgerEntry;
}

/**
 * Checks every limit and records a pending admission.
 *
 * @throws ProblemError `rate-limited`/`too-many-sessions` (429), `capacity-reached`/`budget-exhausted` (503)
 */
export async function admit(
  store: LedgerStore,
  ledger: SessionLedger,
  limits: SessionLimits,
  request: { visitorKey: string; preset: string; origin: string | null; maxDurationS: number; consent?: LedgerEntry['consent']; now: number },
): Promise<AdmissionTicket> {
  const { now } = request;
  const visitorRate = await store.hit(`create:v:${request.visitorKey}`, limits.ratePerMinute, 60_000, now);
  if (!visitorRate.allowed) throw limitProblem('rate-limited', visitorRate.retryAfterMs, 'This address started too many sessions in the last minute.');
  const siteRate = await store.hit('create:site', limits.siteRatePerMinute, 60_000, now);
  if (!siteRate.allowed) throw limitProblem('capacity-reached', siteRate.retryAfterMs, 'Too many sessions are starting right now.');

  const reservedMinutes = limits.dailyBudgetMinutes === undefined ? 0 : request.maxDurationS / 60;
  if (limits.dailyBudgetMinutes !== undefined) {
    // Reserve first, atomically, then check: two instances cannot both take the last minutes.
    const used = await store.addBudget(budgetDay(now), reservedMinutes);
    if (used > limits.dailyBudgetMinutes) {
      await store.addBudget(budgetDay(now), -reservedMinutes);
      const midnight = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1);
      throw limitProblem('budget-exhausted', midnight - now, "Today's session minutes are used up.");
    }
  }

  const admission = await ledger.admit(
    {
      id: `pending-${crypto.randomUUID()}`,
      preset: request.preset,
      origin: request.origin,
      visitorKey: request.visitorKey,
      createdAt: now,
      deadline: now + request.maxDurationS * 1000,
      reservedMinutes,
      consent: request.consent ?? null,
    },
    { perVisitor: limits.perVisitor, global: limits.concurrent },
  );
  if (!admission.admitted) {
    if (reservedMinutes) await store.addBudget(budgetDay(now), -reservedMinutes);
    throw admission.reason === 'visitor-cap'
      ? limitProblem('too-many-sessions', 30_000, `A visitor may have at most ${limits.perVisitor} open sessions.`)
      : limitProblem('capacity-reached', 30_000, 'The most concurrent sessions allowed are running.');
  }
  return { pending: admission.pending };
}

/** A refusal with the Retry-After a limit gives. */
export function limitProblem(code: 'rate-limited' | 'too-many-sessions' | 'capacity-reached' | 'budget-exhausted', retryAfterMs: number, detail: string): ProblemError {
  return new ProblemError(code, { detail, headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } });
}
