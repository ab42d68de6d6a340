/**
 * The Node side of the `sandbox` test command: what a browser test may ask of the local
 * sandbox (start a session as an Equos customer would, read a room's state, inject a fault,
 * mint a token that must be refused).
 */
import type { LocalSandbox } from '../index.js';
import { applyAction, parseAction } from '../control/actions.js';
import { reportRoom, type RoomReport } from '../control/room-report.js';
import { parseScenario } from '../control/scenarios.js';
import { mintLiveKitToken } from '../equos-api/livekit-token.js';
import { isFault } from '../equos-api/faults.js';
import { sendAvatarData } from './avatar-data.js';
import { equosHttp } from './equos-http.js';
import type { CreatedTestSession, SandboxCommand } from './sandbox-command-types.js';

export type { CreatedTestSession, SandboxCommand };

/** Runs one command. */
export async function runSandboxCommand(
  sandbox: LocalSandbox,
  command: SandboxCommand,
): Promise<CreatedTestSession | RoomReport | { token: string } | { count: number } | { ok: true } | { sent: boolean } | null> {
  const equos = equosHttp(sandbox.equos);
  switch (command.action) {
    case 'create-session': {
      if (command.scenario !== undefined) {
        const scenario = parseScenario(command.scenario);
        if (typeof scenario === 'string') throw new Error(scenario);
        sandbox.scenarios.enqueue(scenario);
      }
      const identity = `visitor-${crypto.randomUUID().slice(0, 8)}`;
      const created = await equos.create({
        name: 'browser test',
        avatar: { id: 'sandbox-avatar' },
        consumerIdentity: { identity, name: command.visitorName ?? 'Test Visitor' },
        ...(command.maxDuration ? { maxDuration: command.maxDuration } : {}),
      });
      return {
        sessionId: created.session.id,
        serverUrl: created.session.host.serverUrl,
        token: created.consumerAccessToken ?? '',
        avatarIdentity: created.session.avatar.identity,
      };
    }
    case 'stop-session':
      await equos.stop(command.sessionId);
      return { ok: true };
    case 'room': {
      const room = sandbox.livekit.rooms.get(command.sessionId);
      return room ? reportRoom(room) : null;
    }
    case 'room-http': {
      const response = await fetch(`${sandbox.equos.endpoint}/__sandbox/rooms/${encodeURIComponent(command.sessionId)}`);
      return response.status === 404 ? null : ((await response.json()) as RoomReport);
    }
    case 'avatar-data': {
      const room = sandbox.livekit.rooms.get(command.sessionId);
      if (!room) throw new Error(`no open room ${command.sessionId}`);
      const sent = sendAvatarData(
        room,
        {
          payload: new TextEncoder().encode(command.text),
          ...(command.topic !== undefined ? { topic: command.topic } : {}),
          ...(command.reliable !== undefined ? { reliable: command.reliable } : {}),
          ...(command.destinationIdentities ? { destinationIdentities: command.destinationIdentities } : {}),
        },
        command.when ?? 'now',
      );
      return { sent };
    }
    case 'act': {
      const action = parseAction(command.act);
      if (typeof action === 'string') throw new Error(action);
      if (!applyAction(sandbox, command.sessionId, action)) throw new Error(`no open room ${command.sessionId}`);
      return { ok: true };
    }
    case 'plan': {
      const scenario = parseScenario(command.scenario);
      if (typeof scenario === 'string') throw new Error(scenario);
      sandbox.scenarios.enqueue(scenario);
      return { ok: true };
    }
    case 'equos-calls':
      return { count: sandbox.api.state.callsTo(command.route, command.sessionId).length };
    case 'equos-fault':
      if (!isFault(command.fault)) throw new Error('not a fault');
      sandbox.api.faults.inject(command.route, command.fault, command.times ? { times: command.times } : {});
      return { ok: true };
    case 'mint-token': {
      const credentials = command.wrongSecret
        ? { ...sandbox.livekitCredentials, apiSecret: 'not-the-sandbox-secret-0123456789' }
        : sandbox.livekitCredentials;
      // An expired token: issued two hours ago, valid for one.
      const issuedAt = command.expired ? Date.now() - 2 * 3600_000 : Date.now();
      const grant = { identity: command.identity, name: command.identity, room: command.room, ttlSeconds: 3600 };
      const token = await mintLiveKitToken(credentials, grant, issuedAt, command.canPublishData === false ? { canPublishData: false } : {});
      return { token };
    }
  }
}
