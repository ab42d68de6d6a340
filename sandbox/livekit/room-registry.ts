/** The server's rooms by name. */
import { DisconnectReason } from '@livekit/protocol';
import { SandboxRoom } from './room.js';

/** All open rooms. */
export class RoomRegistry {
  readonly #rooms = new Map<string, SandboxRoom>();
  readonly #qualityIntervalMs: number | undefined;

  /** @param qualityIntervalMs how often each room scores connection quality [LiveKit's 5 s] */
  constructor(qualityIntervalMs?: number) {
    this.#qualityIntervalMs = qualityIntervalMs;
  }

  /** The open room named `name`, if any. */
  get(name: string): SandboxRoom | undefined {
    return this.#rooms.get(name);
  }

  /** The open room named `name`, created if needed (LiveKit creates rooms on first join). */
  getOrCreate(name: string): SandboxRoom {
    const existing = this.#rooms.get(name);
    if (existing) return existing;
    const room = new SandboxRoom(name, this.#qualityIntervalMs);
    this.#rooms.set(name, room);
    return room;
  }

  /** Ends the room named `name` (everyone is told `reason`). Returns whether it was open. */
  end(name: string, reason: DisconnectReason = DisconnectReason.ROOM_DELETED): boolean {
    const room = this.#rooms.get(name);
    if (!room) return false;
    this.#rooms.delete(name);
    room.end(reason);
    return true;
  }

  /** Every open room. */
  list(): SandboxRoom[] {
    return [...this.#rooms.values()];
  }
}
