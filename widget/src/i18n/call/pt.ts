/**
 * Portuguese: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../pt.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Legendas',
  transcript: 'Transcrição',
  copy: 'Copiar transcrição',
  copied: 'Transcrição copiada',
  pictureInPicture: 'Janela flutuante',
  inFloatingWindow: (name) => `${name} está em uma janela flutuante.`,
  you: 'Você',
  typeMessage: 'Digite uma mensagem',
  typeTo: (name) => `Escreva para ${name}…`,
  send: 'Enviar',
  devices: 'Configurações de som',
  microphoneChoice: 'Microfone',
  speakerChoice: 'Alto-falante',
  volume: 'Volume da voz',
  muteVoice: 'Silenciar a voz',
  microphoneSwitched: (device) => `Microfone desconectado. Agora usando ${device}.`,
  noMicrophone: (name) => `Sem microfone: você pode ouvir ${name} e responder por escrito.`,
  endsSoon: (seconds) => plural('pt', seconds, { one: 'A conversa termina em # segundo.', other: 'A conversa termina em # segundos.' }),
  timeLeft: (time) => `Restam ${time}`,
  qualityExcellent: 'Conexão: excelente',
  qualityGood: 'Conexão: boa',
  qualityPoor: 'Conexão: fraca',
  qualityLost: 'Conexão perdida',
  weakConnection: 'Sua conexão está fraca. Mude para só áudio se o vídeo travar.',
  switchToAudio: 'Só áudio',
  switchToVideo: 'Ativar vídeo',
  videoBack: 'Sua conexão melhorou: o vídeo voltou.',
  audioOnlyChosen: (name) => `Só áudio: você ouve ${name} sem vídeo.`,
  audioFallback: (name) => `Sua conexão está fraca, então você ouve ${name} sem vídeo. O vídeo volta quando a conexão melhorar.`,
};

export default conversation;
