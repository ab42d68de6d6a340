/**
 * The token server on Equos' v3 conversations API, over real HTTP against the double's v3
 * routes: a preset naming a character makes the whole deployment speak v3 (its paths, verbs
 * and shapes), and the money guarantees hold as on v1: evidence before settling, the preset's
 * deadline, the sweep by tag (paged by 50), repeats answered from the ledger.
 */
import { describe, expect, it } from 'vitest';
import { TEST_API_KEY, startStack, stopInit, testSettings, useStack } from '../../test/harness.js';
import { createMemoryStore } from '../ledger/memory-store.js';
import { silentLogger } from '../logger.js';
import { createTokenServer } from '../token-server.js';
import type { EquosConversationsApi } from './sdk.js';
import { createEquosV3Client } from './v3-client.js';

const CHARACTER_PRESETS = [{ name: 'default', displayName: 'Ava', characterId: 'character-1', maxDurationS: 300 }];
const stack = useStack({ config: { presets: CHARACTER_PRESETS, defaultPreset: 'default', reaper: { ...testSettings('http://x').reaper, retryBaseMs: 20, retryMaxMs: 40, createSettleMs: 0 } } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const running = (id: string) => stack.equos.state.sessions.get(id)?.session.endedAt === null;

describe('a deployment whose presets name characters (v3)', () => {
  it('starts a conversation with the character, tagged with the deployment, and hands out the LiveKit answer', async () => {
    const body = await stack.createSession({ participant_name: 'Ada' });
    const creates = stack.equos.state.calls.filter((call) => call.route === 'create');
    expect(creates.at(-1)).toMatchObject({ method: 'POST', path: '/v3/conversations' });
    const conversation = stack.equos.state.sessions.get(body.session_id as string)!;
    expect(conversation.generation).toBe('v3');
    expect(conversation.session).toMatchObject({ avatarId: 'character-1', client: (await stack.server.ready()).clientTag, maxDuration: 300 });
    // The avatar's identity is the character's LiveKit identity.
    expect(body).toMatchObject({ avatar_identity: conversation.session.avatar.identity, avatar_name: 'Ava', max_duration_s: 300 });
    expect(String(body.server_url)).toMatch(/^ws/);
  });

  it('stops with POST …/stop, once; a repeat is answered from the ledger', async () => {
    const { session_id, stop_token } = await stack.createSession({});
    const stop = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    expect([stop.status, stop.json().status]).toEqual([200, 'stopped']);
    expect(stack.equos.state.callsTo('stop', session_id as string)).toEqual([expect.objectContaining({ method: 'POST', path: `/v3/conversations/${session_id}/stop` })]);
    expect((await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token))).status).toBe(200);
    expect(stack.equos.state.callsTo('stop', session_id as string)).toHaveLength(1);
  });

  it('takes the null a stop answers for an ended conversation as no proof, and settles on the GET that shows the end', async () => {
    const { session_id, stop_token } = await stack.createSession({});
    stack.equos.state.end(session_id as string, 'max-duration');
    const stop = await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token));
    expect(stop.status).toBe(200);
    expect(stack.equos.state.callsTo('get', session_id as string).length).toBeGreaterThan(0);
  });

  it('keeps retrying a stop answered 404, or 200 still running, until Equos shows the end', async () => {
    for (const fault of [{ kind: 'status', status: 404 }, { kind: 'unconfirmed' }] as const) {
      const { session_id, stop_token } = await stack.createSession({});
      stack.equos.faults.inject('stop', fault);
      expect((await stack.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token))).status).toBe(202);
      expect(running(session_id as string)).toBe(true);
      await sleep(60);
      await stack.server.reapOnce();
      expect(running(session_id as string)).toBe(false);
    }
  });

  it("keeps the preset's deadline when Equos grants a longer maxSeconds", async () => {
    stack.equos.faults.inject('create', { kind: 'duration', seconds: 3600 });
    const body = await stack.createSession({});
    expect(body.max_duration_s).toBe(300);
    const entry = await stack.store.get(body.session_id as string);
    expect(entry!.deadline - entry!.createdAt).toBe(300_000);
  });

  it('sweeps orphan conversations of its own tag, in pages of at most 50, and leaves every other one alone', async () => {
    const client = createEquosV3Client({ apiKey: TEST_API_KEY, endpoint: stack.equos.url }).conversations;
    const { clientTag } = await stack.server.ready();
    const orphans = [];
    for (let index = 0; index < 55; index += 1) orphans.push((await client.startConversation({ name: 'orphan', characterId: 'character-1', client: clientTag })).conversation.id);
    const foreign = (await client.startConversation({ name: 'another app', characterId: 'character-1', client: 'another-app' })).conversation.id;
    const live = (await stack.createSession({})).session_id as string;
    // An Equos that ignores the filter (on every page): the tag is checked on each conversation.
    stack.equos.faults.inject('list', { kind: 'ignore-filter' }, { times: 10 });
    await sleep(1600);
    const listed = stack.equos.state.callsTo('list').length;
    expect(await stack.server.sweepOnce()).toBe(55);
    expect(orphans.every((id) => !running(id))).toBe(true);
    expect([running(foreign), running(live)]).toEqual([true, true]);
    const lists = stack.equos.state.calls.filter((call) => call.route === 'list').slice(listed);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const call of lists) expect(call.path).toBe('/v3/conversations');
    stack.equos.faults.clear();
  });
});

describe('the Equos client of a deployment', () => {
  it('may be a 3.x SDK instance (client.conversations), used for every call', async () => {
    // A stand-in with the SDK's shape, recording its calls (it reaches the double once it runs).
    const calls: string[] = [];
    let endpoint = '';
    const real = () => createEquosV3Client({ apiKey: TEST_API_KEY, endpoint }).conversations;
    const sdk: EquosConversationsApi = {
      startConversation: (request) => (calls.push('startConversation'), real().startConversation(request)),
      stopConversation: (id) => (calls.push('stopConversation'), real().stopConversation(id)),
      getConversation: (id) => (calls.push('getConversation'), real().getConversation(id)),
    };
    const injected = await startStack({ config: { presets: CHARACTER_PRESETS, defaultPreset: 'default', equos: null }, deps: { equos: { conversations: sdk } } });
    endpoint = injected.equos.url;
    try {
      const { session_id, stop_token } = await injected.createSession({});
      expect((await injected.request(`/api/sessions/${session_id}/stop`, stopInit(stop_token))).status).toBe(200);
      expect(calls).toEqual(['startConversation', 'stopConversation']);
    } finally {
      await injected.close();
    }
  });

  it('must speak the generation of the presets: a v1 client with character presets is refused at start', () => {
    const settings = { ...testSettings('http://127.0.0.1:9'), presets: CHARACTER_PRESETS, defaultPreset: 'default' };
    expect(() => createTokenServer(settings, { store: createMemoryStore(), logger: silentLogger, equos: { sessions: {} as never } })).toThrow(/client\.conversations/);
    const mixed = { ...settings, presets: [...CHARACTER_PRESETS, { name: 'old', displayName: 'Old', avatarId: 'avatar-1', maxDurationS: 60 }] };
    expect(() => createTokenServer(mixed, { store: createMemoryStore(), logger: silentLogger })).toThrow(/one Equos API generation/);
  });
});
