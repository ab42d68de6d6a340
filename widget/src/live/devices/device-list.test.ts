/**
 * The devices menu's lists: Chromium's "default" entries, which repeat a real device, do
 * not make one microphone look like two; nameless devices (before permission) get a name.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceName, findDevice, listDevices, NO_DEVICES } from './device-list.js';

const info = (kind: MediaDeviceKind, deviceId: string, label: string, groupId: string) => ({ kind, deviceId, label, groupId }) as MediaDeviceInfo;

function enumerating(devices: MediaDeviceInfo[] | Error) {
  vi.stubGlobal('navigator', { mediaDevices: { enumerateDevices: async () => (devices instanceof Error ? Promise.reject(devices) : devices) } });
}

describe('the device list', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('leaves out the virtual entries that repeat a real device, and keeps one that does not', async () => {
    enumerating([
      info('audioinput', 'default', 'Default - Headset', 'g-headset'),
      info('audioinput', 'communications', 'Communications - Headset', 'g-headset'),
      info('audioinput', 'headset', 'Headset', 'g-headset'),
      info('audioinput', 'built-in', 'Built-in', 'g-built-in'),
      info('audiooutput', 'default', 'Default output', 'g-own'),
      info('audiooutput', 'speakers', 'Speakers', 'g-speakers'),
      info('videoinput', 'camera', 'Camera', 'g-camera'),
    ]);
    const { inputs, outputs } = await listDevices();
    expect(inputs.map((device) => device.id)).toEqual(['headset', 'built-in']);
    expect(outputs.map((device) => device.id)).toEqual(['default', 'speakers']);
  });

  it('lists nothing the page may not open (no id before permission), and nothing when enumerating fails', async () => {
    enumerating([info('audioinput', '', '', '')]);
    expect((await listDevices()).inputs).toEqual([]);
    enumerating(new Error('no'));
    expect(await listDevices()).toBe(NO_DEVICES);
  });

  it('finds the entry a track is on by its id, or a virtual id by its group', () => {
    const inputs = [
      { id: 'headset', label: 'Headset', groupId: 'g-headset' },
      { id: 'built-in', label: '', groupId: 'g-built-in' },
    ];
    expect(findDevice(inputs, 'built-in')?.id).toBe('built-in');
    expect(findDevice(inputs, 'default', 'g-headset')?.id).toBe('headset');
    expect(findDevice(inputs, 'unplugged', 'g-headset')).toBe(undefined);
    expect(findDevice(inputs, undefined)).toBe(undefined);
    expect(deviceName(inputs[0]!, 0, 'Microphone')).toBe('Headset');
    expect(deviceName(inputs[1]!, 1, 'Microphone')).toBe('Microphone 2');
  });
});
