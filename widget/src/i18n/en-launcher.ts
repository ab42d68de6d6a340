/** English: what the launcher says, in the widget's script (the panel's words are in ./en.ts). */
import type { LauncherStrings } from './strings.js';

export const enLauncher: LauncherStrings = {
  talkTo: (name) => `Talk to ${name}`,
  backToConversation: (name) => `Back to your conversation with ${name}`,
};

/** Said when part of the widget cannot load: by the panel, or by the launcher when the panel itself cannot. */
export const LOAD_FAILED_EN = 'Part of the conversation could not load. Check your connection and try again.';
