/**
 * Spanish: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../es.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Subtítulos',
  transcript: 'Transcripción',
  copy: 'Copiar transcripción',
  copied: 'Transcripción copiada',
  pictureInPicture: 'Ventana flotante',
  inFloatingWindow: (name) => `${name} está en una ventana flotante.`,
  you: 'Tú',
  typeMessage: 'Escribe un mensaje',
  typeTo: (name) => `Escribe a ${name}…`,
  send: 'Enviar',
  devices: 'Ajustes de sonido',
  microphoneChoice: 'Micrófono',
  speakerChoice: 'Altavoz',
  volume: 'Volumen de la voz',
  muteVoice: 'Silenciar la voz',
  microphoneSwitched: (device) => `Micrófono desconectado. Ahora se usa ${device}.`,
  noMicrophone: (name) => `Sin micrófono: puedes escuchar a ${name} y responder por escrito.`,
  endsSoon: (seconds) => plural('es', seconds, { one: 'La conversación termina en # segundo.', other: 'La conversación termina en # segundos.' }),
  timeLeft: (time) => `Quedan ${time}`,
  qualityExcellent: 'Conexión: excelente',
  qualityGood: 'Conexión: buena',
  qualityPoor: 'Conexión: débil',
  qualityLost: 'Conexión perdida',
  weakConnection: 'Tu conexión es débil. Cambia a solo audio si el vídeo se entrecorta.',
  switchToAudio: 'Solo audio',
  switchToVideo: 'Activar vídeo',
  videoBack: 'Tu conexión ha mejorado: el vídeo ha vuelto.',
  audioOnlyChosen: (name) => `Solo audio: escuchas a ${name} sin vídeo.`,
  audioFallback: (name) => `Tu conexión es débil, así que escuchas a ${name} sin vídeo. El vídeo volverá cuando mejore la conexión.`,
};

export default conversation;
