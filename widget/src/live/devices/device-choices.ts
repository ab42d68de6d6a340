/**
 * What the visitor chose in the devices menu, kept for every later call on this page: a
 * visitor who picked their headset, or turned the avatar down, should not have to again. In
 * memory only, like the captions' choice: nothing is stored on the visitor's device.
 */

/** The page's choices, shared by every `<equos-avatar>` on it. */
export const deviceChoices: {
  /** The microphone chosen (its `deviceId`), if any. */
  microphone?: string;
  /** The speaker chosen (its `deviceId`), if any. */
  speaker?: string;
  /** The avatar's volume, 0…1. */
  volume: number;
  /** The avatar's voice is muted. */
  muted: boolean;
} = { volume: 1, muted: false };

/**
 * The microphone a new call asks for: the one chosen earlier, if it is still there (`ideal`:
 * an unplugged one must not cost the call its microphone), else the browser's default.
 */
export function preferredMicrophone(): ConstrainDOMString | undefined {
  return deviceChoices.microphone ? { ideal: deviceChoices.microphone } : undefined;
}
