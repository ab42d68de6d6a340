/**
 * Italian: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../it.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Sottotitoli',
  transcript: 'Trascrizione',
  copy: 'Copia la trascrizione',
  copied: 'Trascrizione copiata',
  pictureInPicture: 'Finestra fluttuante',
  inFloatingWindow: (name) => `${name} è in una finestra fluttuante.`,
  you: 'Tu',
  typeMessage: 'Scrivi un messaggio',
  typeTo: (name) => `Scrivi a ${name}…`,
  send: 'Invia',
  devices: 'Impostazioni audio',
  microphoneChoice: 'Microfono',
  speakerChoice: 'Altoparlante',
  volume: 'Volume della voce',
  muteVoice: 'Disattiva la voce',
  microphoneSwitched: (device) => `Microfono scollegato. Ora è in uso ${device}.`,
  noMicrophone: (name) => `Nessun microfono: puoi ascoltare ${name} e rispondere per iscritto.`,
  endsSoon: (seconds) => plural('it', seconds, { one: 'La conversazione termina tra # secondo.', other: 'La conversazione termina tra # secondi.' }),
  timeLeft: (time) => `Mancano ${time}`,
  qualityExcellent: 'Connessione: ottima',
  qualityGood: 'Connessione: buona',
  qualityPoor: 'Connessione: debole',
  qualityLost: 'Connessione persa',
  weakConnection: 'La tua connessione è debole. Passa al solo audio se il video va a scatti.',
  switchToAudio: 'Solo audio',
  switchToVideo: 'Attiva video',
  videoBack: 'La connessione è migliorata: il video è tornato.',
  audioOnlyChosen: (name) => `Solo audio: senti ${name} senza video.`,
  audioFallback: (name) => `La tua connessione è debole, quindi senti ${name} senza video. Il video tornerà quando la connessione migliora.`,
};

export default conversation;
