/**
 * German: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../de.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Untertitel',
  transcript: 'Transkript',
  copy: 'Transkript kopieren',
  copied: 'Transkript kopiert',
  pictureInPicture: 'Schwebendes Fenster',
  inFloatingWindow: (name) => `${name} ist in einem schwebenden Fenster.`,
  you: 'Sie',
  typeMessage: 'Nachricht eingeben',
  typeTo: (name) => `Nachricht an ${name}…`,
  send: 'Senden',
  devices: 'Toneinstellungen',
  microphoneChoice: 'Mikrofon',
  speakerChoice: 'Lautsprecher',
  volume: 'Lautstärke der Stimme',
  muteVoice: 'Stimme stummschalten',
  microphoneSwitched: (device) => `Mikrofon getrennt. Jetzt wird ${device} verwendet.`,
  noMicrophone: (name) => `Kein Mikrofon: Sie können ${name} zuhören und schriftlich antworten.`,
  endsSoon: (seconds) => plural('de', seconds, { one: 'Das Gespräch endet in # Sekunde.', other: 'Das Gespräch endet in # Sekunden.' }),
  timeLeft: (time) => `Noch ${time}`,
  qualityExcellent: 'Verbindung: ausgezeichnet',
  qualityGood: 'Verbindung: gut',
  qualityPoor: 'Verbindung: schwach',
  qualityLost: 'Verbindung unterbrochen',
  weakConnection: 'Ihre Verbindung ist schwach. Wechseln Sie zu Nur Audio, wenn das Video ruckelt.',
  switchToAudio: 'Nur Audio',
  switchToVideo: 'Video einschalten',
  videoBack: 'Ihre Verbindung ist besser, das Video ist zurück.',
  audioOnlyChosen: (name) => `Nur Audio: Sie hören ${name} ohne Video.`,
  audioFallback: (name) => `Ihre Verbindung ist schwach, daher hören Sie ${name} ohne Video. Das Video kommt zurück, sobald die Verbindung besser wird.`,
};

export default conversation;
