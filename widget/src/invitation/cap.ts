/**
 * How often a visitor sees an invitation: counted per browser tab session in `sessionStorage`
 * under `equos-avatar:invitations` (`{"shown": <times>, "closed": true}` once dismissed or
 * accepted, after which it does not come back this session). Storage may throw (private modes,
 * sandboxed iframes, blocked storage): the count is then kept for this page only.
 */

/** The `sessionStorage` key. */
export const CAP_KEY = 'equos-avatar:invitations';

/** What is stored. */
interface CapRecord {
  shown: number;
  closed?: true;
}

/** Stands in for storage that cannot be used. */
let memory: CapRecord = { shown: 0 };

function read(): CapRecord {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(CAP_KEY) ?? 'null');
    if (parsed && typeof parsed === 'object' && typeof (parsed as CapRecord).shown === 'number') return parsed as CapRecord;
    return { shown: 0 };
  } catch {
    return memory;
  }
}

function write(record: CapRecord): void {
  memory = record;
  try {
    sessionStorage.setItem(CAP_KEY, JSON.stringify(record));
  } catch {
    // Kept in memory for this page.
  }
}

/** Whether an invitation may show again, at most `limit` times a session. */
export function capAllows(limit: number): boolean {
  const record = read();
  return !record.closed && record.shown < limit;
}

/** One more invitation shown. */
export function countShown(): void {
  const record = read();
  write({ ...record, shown: record.shown + 1 });
}

/** The visitor dismissed or accepted an invitation: none again this session. */
export function closeForSession(): void {
  write({ ...read(), closed: true });
}
