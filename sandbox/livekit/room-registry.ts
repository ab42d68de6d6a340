/** The server's rooms by name, and who wants to hear when one opens or closes. */
import { DisconnectReason } from '@livekit/protocol';
import { SandboxRoom, type RoomOptions } from './room.js';

/** Room lifecycle events. */
export interface RoomRegistryListener {
  created?(room: SandboxRoom): void;
  ended?(room: SandboxRoom, reason: DisconnectReason): void;
}

/** All open rooms. */
export class RoomRegistry {
  readonly #rooms = new Map<string, SandboxRoom>();
  readonly #listeners = new Set<RoomRegistryListener>();
  readonly #options: RoomOptions;

  constructor(options: RoomOptions = {}) {
    this.#options = options;
  }

  /** The open room named `name`, if any. */
  get(name: string): SandboxRoom | undefined {
    return this.#rooms.get(name);
  }

  /** The open room named `name`, created if needed (LiveKit creates rooms on first join). */
  getOrCreate(name: string): SandboxRoom {
    const existing = this.#rooms.get(name);
    if (existing) return existing;
    const room = new SandboxRoom(name, this.#options);
    this.#rooms.set(name, room);
    for (const listener of this.#listeners) listener.created?.(room);
    return room;
  }

  /** Ends the room named `name` (everyone is told `reason`). Returns whether it was open. */
  end(name: string, reason: DisconnectReason = DisconnectReason.ROOM_DELETED): boolean {
    const room = this.#rooms.get(name);
    if (!room) return false;
    this.#rooms.delete(name);
    room.end(reason);
    for (const listener of this.#listeners) listener.ended?.(room, reason);
    return true;
  }

  /** Every open room. */
  list(): SandboxRoom[] {
    return [...this.#rooms.values()];
  }

  /** Subscribes to room lifecycle; returns the unsubscribe. */
  subscribe(listener: RoomRegistryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
