/**
 * The words of the conversation's text side (captions, transcript, typing), which only a call
 * shows. English travels here, in the widget's second file, so the script every page loads
 * does not grow with it; another language's words come in that language's file, which the
 * element has already loaded, and reach this file through the element together with the
 * page's own (`strings`), see `ConversationWordsHost`.
 */
import { plural } from '../../i18n/format.js';
import type { ConversationStrings } from '../../i18n/strings.js';

export type { ConversationStrings } from '../../i18n/strings.js';

/** What the second file reads from its `<equos-avatar>` for the conversation's words. */
export interface ConversationWordsHost {
  /** The words of the widget's language and the page's, over English; absent: English as it is. @internal */
  readonly conversationStrings?: Partial<ConversationStrings>;
}

/** English. */
export const en: ConversationStrings = {
  captions: 'Captions',
  transcript: 'Transcript',
  copy: 'Copy transcript',
  copied: 'Transcript copied',
  pictureInPicture: 'Floating window',
  inFloatingWindow: (name) => `${name} is in a floating window.`,
  you: 'You',
  typeMessage: 'Type a message',
  typeTo: (name) => `Type to ${name}…`,
  send: 'Send',
  devices: 'Sound settings',
  microphoneChoice: 'Microphone',
  speakerChoice: 'Speaker',
  volume: 'Voice volume',
  muteVoice: 'Mute voice',
  microphoneSwitched: (device) => `Microphone disconnected. Now using ${device}.`,
  noMicrophone: (name) => `No microphone: you can listen to ${name} and type your replies.`,
  endsSoon: (seconds) => plural('en', seconds, { one: 'The conversation ends in # second.', other: 'The conversation ends in # seconds.' }),
  timeLeft: (time) => `${time} left`,
  qualityExcellent: 'Connection: excellent',
  qualityGood: 'Connection: good',
  qualityPoor: 'Connection: poor',
  qualityLost: 'Connection lost',
  weakConnection: 'Your connection is weak. Switch to audio only if the video stutters.',
  switchToAudio: 'Audio only',
  switchToVideo: 'Turn video on',
  videoBack: 'Your connection is better, so the video is back.',
  audioOnlyChosen: (name) => `Audio only: you hear ${name} without video.`,
  audioFallback: (name) => `Weak connection: you hear ${name} without video until it gets better.`,
};

/** Complete sets already made, so the view sees the same object until the words change. */
const complete = new WeakMap<Partial<ConversationStrings>, ConversationStrings>();

/** The words to show: `words` over English [English]. */
export function conversationStrings(words: Partial<ConversationStrings> | undefined): ConversationStrings {
  if (!words) return en;
  let strings = complete.get(words);
  if (!strings) complete.set(words, (strings = { ...en, ...words }));
  return strings;
}
