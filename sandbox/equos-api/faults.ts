/**
 * Fault injection for the Equos API double: tests (and `/__sandbox/faults`) queue failures
 * per route, and each matching call consumes one.
 */

/** The double's routes that can be made to fail. */
export type FaultRoute = 'create' | 'stop' | 'get' | 'list';

/** One way a call can go wrong. */
export type Fault =
  /** Answer with this status and an Equos-style `{ message, code }` body. */
  | { kind: 'status'; status: number; message?: string; code?: string }
  /** Wait this long, then handle the call normally (the work still happens). */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection without answering (the work does not happen). */
  | { kind: 'drop' }
  /** Do the work, then answer 2xx with a body missing the fields a client needs. */
  | { kind: 'incomplete' }
  /** A stop: answer 200 with the session as it is, without ending it (it keeps billing). */
  | { kind: 'unconfirmed' }
  /** A create: start the session with this maximum duration instead of the one asked for. */
  | { kind: 'duration'; seconds: number }
  /** A create: describe the avatar with this thumbnail URL (whatever it is). */
  | { kind: 'thumbnail'; url: string }
  /** A list: answer every session of the organisation, whatever `client` asked for. */
  | { kind: 'ignore-filter' };

interface QueuedFault {
  route: FaultRoute;
  fault: Fault;
  remaining: number;
}

/** The queue of faults to come. */
export class FaultPlan {
  #queue: QueuedFault[] = [];

  /**
   * Makes the next `times` calls to `route` fail with `fault` [once].
   *
   * @example
   * faults.inject('stop', { kind: 'status', status: 503 }, { times: 2 });
   */
  inject(route: FaultRoute, fault: Fault, options: { times?: number } = {}): void {
    const times = options.times ?? 1;
    if (!(times > 0)) throw new TypeError('FaultPlan.inject: times must be positive.');
    this.#queue.push({ route, fault, remaining: times });
  }

  /** The fault for the next call to `route`, if one is queued; consumes it. */
  take(route: FaultRoute): Fault | undefined {
    const entry = this.#queue.find((queued) => queued.route === route);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#queue.splice(this.#queue.indexOf(entry), 1);
    return entry.fault;
  }

  /** Removes every queued fault. */
  clear(): void {
    this.#queue = [];
  }

  /** How many faulted calls are still queued. */
  get pending(): number {
    return this.#queue.reduce((sum, queued) => sum + queued.remaining, 0);
  }
}

/** Whether `value` is a well-formed `Fault` (for the HTTP control route). */
export function isFault(value: unknown): value is Fault {
  if (typeof value !== 'object' || value === null) return false;
  const fault = value as Record<string, unknown>;
  switch (fault.kind) {
    case 'status':
      return typeof fault.status === 'number' && fault.status >= 400 && fault.status <= 599;
    case 'delay':
      return typeof fault.ms === 'number' && fault.ms >= 0 && fault.ms <= 120_000;
    case 'thumbnail':
      return typeof fault.url === 'string' && fault.url.length <= 2048;
    case 'duration':
      return typeof fault.seconds === 'number' && Number.isInteger(fault.seconds) && fault.seconds > 0;
    case 'drop':
    case 'incomplete':
    case 'unconfirmed':
    case 'ignore-filter':
      return true;
    default:
      return false;
  }
}
