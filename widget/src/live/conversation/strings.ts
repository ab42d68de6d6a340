/**
 * The words of the conversation's text side (captions, transcript, typing), which only a call
 * shows: they travel in the widget's second file, so the script every page loads does not
 * grow with them. Keyed by the same languages as the launcher's strings (../../i18n/).
 */

/** The conversation's words in one language. */
export interface ConversationStrings {
  captions: string;
  transcript: string;
  copy: string;
  copied: string;
  you: string;
  typeMessage: string;
  typeTo(name: string): string;
  send: string;
  /** The call goes ahead without a microphone. */
  noMicrophone(name: string): string;
  /** The avatar says the session ends soon. */
  endsSoon(seconds: number): string;
  /** The countdown badge (`clock` is m:ss). */
  timeLeft(clock: string): string;
}

const en: ConversationStrings = {
  captions: 'Captions',
  transcript: 'Transcript',
  copy: 'Copy transcript',
  copied: 'Transcript copied',
  you: 'You',
  typeMessage: 'Type a message',
  typeTo: (name) => `Type to ${name}…`,
  send: 'Send',
  noMicrophone: (name) => `No microphone: you can listen to ${name} and type your replies.`,
  endsSoon: (seconds) => `The conversation ends in ${seconds} seconds.`,
  timeLeft: (time) => `${time} left`,
};

const fr: ConversationStrings = {
  captions: 'Sous-titres',
  transcript: 'Transcription',
  copy: 'Copier la transcription',
  copied: 'Transcription copiée',
  you: 'Vous',
  typeMessage: 'Écrire un message',
  typeTo: (name) => `Écrire à ${name}…`,
  send: 'Envoyer',
  noMicrophone: (name) => `Pas de micro : vous pouvez écouter ${name} et répondre par écrit.`,
  endsSoon: (seconds) => `La conversation se termine dans ${seconds} secondes.`,
  timeLeft: (time) => `Encore ${time}`,
};

const BY_LANGUAGE: Record<string, ConversationStrings> = { en, fr };

/** The words for `language` [English]. */
export function conversationStrings(language: string): ConversationStrings {
  return BY_LANGUAGE[language] ?? en;
}
