/**
 * The visitor's microphone: asked for at the click, with the processing a voice call needs,
 * so the permission prompt shows while the session is being created.
 */
import { CallError } from './call-error.js';

/** Constraints of a conversation microphone (echo cancellation matters: the avatar talks back). */
const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  channelCount: 1,
};

/** Whether the browser will grant the microphone without asking ('granted'), or may ask. */
export async function microphonePermission(): Promise<PermissionState | 'unknown'> {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return status.state;
  } catch {
    return 'unknown';
  }
}

/**
 * Opens the microphone; throws `CallError` with the reason it cannot.
 *
 * @param deviceId which input [the browser's default]: `{ exact }` for one the visitor chose
 *   now (another would be a surprise), `{ ideal }` for one they chose in an earlier call (it
 *   may be unplugged since: then the default)
 */
export async function openMicrophone(deviceId?: ConstrainDOMString): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CallError(window.isSecureContext ? 'unsupported-browser' : 'microphone-unavailable', 'No microphone access on this page.');
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: deviceId ? { ...MICROPHONE_CONSTRAINTS, deviceId } : MICROPHONE_CONSTRAINTS, video: false });
    const [track] = stream.getAudioTracks();
    if (!track) throw new CallError('microphone-unavailable', 'No microphone track.');
    return track;
  } catch (error) {
    if (error instanceof CallError) throw error;
    const name = (error as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') throw new CallError('microphone-denied', 'Microphone access was denied.');
    throw new CallError('microphone-unavailable', `The microphone cannot be opened (${name}).`);
  }
}

/** Whether `error` means the visitor has no microphone to give (refused or absent), so the call can go on by text. */
export function isMicrophoneRefusal(error: unknown): boolean {
  return error instanceof CallError && (error.errorCause === 'microphone-denied' || error.errorCause === 'microphone-unavailable');
}
