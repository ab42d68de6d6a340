/**
 * Faults applied to a live session's room through the sandbox's control API
 * (`POST /__sandbox/rooms/:name/actions`), over HTTP as a tester would, for the end-to-end
 * tests and the benches that run the whole stack in this process.
 */
import type { LocalSandbox } from '../sandbox/index.js';

/** Applies `action` (e.g. `{ type: 'network', quality: 'poor' }`) to the room of `sessionId`; throws unless the sandbox took it. */
export async function actOnRoom(sandbox: LocalSandbox, sessionId: string, action: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.equos.endpoint}/__sandbox/rooms/${sessionId}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(action),
  });
  if (response.status !== 204) throw new Error(`the sandbox refused ${JSON.stringify(action)}: ${response.status} ${await response.text()}`);
}
