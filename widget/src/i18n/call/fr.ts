/**
 * French: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../fr.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Sous-titres',
  transcript: 'Transcription',
  copy: 'Copier la transcription',
  copied: 'Transcription copiée',
  pictureInPicture: 'Fenêtre flottante',
  inFloatingWindow: (name) => `${name} est dans une fenêtre flottante.`,
  you: 'Vous',
  typeMessage: 'Écrire un message',
  typeTo: (name) => `Écrire à ${name}…`,
  send: 'Envoyer',
  devices: 'Réglages du son',
  microphoneChoice: 'Micro',
  speakerChoice: 'Haut-parleur',
  volume: 'Volume de la voix',
  muteVoice: 'Couper la voix',
  microphoneSwitched: (device) => `Micro débranché\u00a0: ${device} prend le relais.`,
  noMicrophone: (name) => `Pas de micro\u00a0: vous pouvez écouter ${name} et répondre par écrit.`,
  endsSoon: (seconds) => plural('fr', seconds, { one: 'La conversation se termine dans # seconde.', other: 'La conversation se termine dans # secondes.' }),
  timeLeft: (time) => `Encore ${time}`,
  qualityExcellent: 'Connexion\u00a0: excellente',
  qualityGood: 'Connexion\u00a0: bonne',
  qualityPoor: 'Connexion\u00a0: faible',
  qualityLost: 'Connexion perdue',
  weakConnection: 'Votre connexion est faible. Passez en audio seul si la vidéo saccade.',
  switchToAudio: 'Audio seul',
  switchToVideo: 'Activer la vidéo',
  videoBack: 'Votre connexion s’est améliorée\u00a0: la vidéo est de retour.',
  audioOnlyChosen: (name) => `Audio seul\u00a0: vous entendez ${name} sans la vidéo.`,
  audioFallback: (name) => `Votre connexion est faible, vous entendez donc ${name} sans la vidéo. La vidéo reviendra quand la connexion s’améliorera.`,
};

export default conversation;
