/**
 * The visitor's audio devices, as the devices menu lists them: one entry per device the
 * visitor could tell apart, with a name to show even before the browser gives labels.
 */

/** One microphone or speaker. */
export interface Device {
  /** The `deviceId` to open it (or to play to it) by. */
  id: string;
  /** Its label; '' until the page may know it (before the microphone is granted). */
  label: string;
  groupId: string;
}

/** The inputs and outputs there are now. */
export interface Devices {
  inputs: readonly Device[];
  outputs: readonly Device[];
}

/** No devices (no `mediaDevices`, or enumerating failed). */
export const NO_DEVICES: Devices = { inputs: [], outputs: [] };

/**
 * Chromium's entries that follow the system's choice: they repeat a real device (the same
 * `groupId`), which would make one microphone look like two.
 */
const VIRTUAL_IDS = new Set(['default', 'communications']);

/** The audio devices there are now (never rejects). */
export async function listDevices(): Promise<Devices> {
  let found: MediaDeviceInfo[];
  try {
    found = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
  } catch {
    return NO_DEVICES;
  }
  const ofKind = (kind: MediaDeviceKind) => distinct(found.filter((device) => device.kind === kind).map(({ deviceId, label, groupId }) => ({ id: deviceId, label, groupId })));
  return { inputs: ofKind('audioinput'), outputs: ofKind('audiooutput') };
}

/** `devices` without the virtual entries that repeat a real one, nor entries the page may not open (no id). */
function distinct(devices: Device[]): Device[] {
  return devices.filter((device) => device.id !== '' && !(VIRTUAL_IDS.has(device.id) && devices.some((other) => other !== device && other.groupId === device.groupId && !VIRTUAL_IDS.has(other.id))));
}

/**
 * The entry of `devices` a track or sink is on: by its id, else (a virtual id left out by
 * `listDevices`) by its group.
 */
export function findDevice(devices: readonly Device[], id: string | undefined, groupId?: string): Device | undefined {
  if (!id) return undefined;
  return devices.find((device) => device.id === id) ?? (VIRTUAL_IDS.has(id) && groupId ? devices.find((device) => device.groupId === groupId) : undefined);
}

/** What to call `device` (the `index`th of its kind): its label, else "Microphone 2" in the visitor's words. */
export function deviceName(device: Device, index: number, kindName: string): string {
  return device.label.trim() || `${kindName} ${index + 1}`;
}
