/** Português (do Brasil, com "você"; legível também em Portugal). */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const pt: Strings = {
  talkTo: (name) => `Fale com ${name}`,
  backToConversation: (name) => `Voltar à conversa com ${name}`,
  dialogLabel: (name) => `Conversa com ${name}`,
  intro: (name) => `Converse cara a cara com ${name}. Seu microfone só é usado enquanto você fala.`,
  start: 'Iniciar conversa',
  startAgain: 'Começar de novo',
  tryAgain: 'Tentar novamente',
  hangUp: 'Encerrar conversa',
  minimize: 'Minimizar',
  microphone: 'Microfone',
  tapForSound: (name) => `Toque para ouvir ${name}`,
  avatarLate: (name) => `${name} está com dificuldade para entrar. Você pode encerrar a conversa agora ou esperar mais um pouco.`,
  avatarAway: (name) => `A conexão com ${name} caiu. Vamos esperar alguns segundos pelo retorno…`,
  endingIn: (seconds) => plural('pt', seconds, { one: 'A conversa será encerrada automaticamente em # segundo.', other: 'A conversa será encerrada automaticamente em # segundos.' }),
  status: {
    idle: 'Quando quiser, é só começar',
    starting: 'Iniciando…',
    connecting: 'Conectando…',
    waiting: (name) => `${name} está entrando…`,
    late: (name) => `${name} está com dificuldade para entrar`,
    away: (name) => `A conexão com ${name} caiu`,
    listening: 'Ouvindo',
    speaking: (name) => `${name} está falando`,
    muted: 'Seu microfone está desativado',
    reconnecting: 'Conexão instável, reconectando…',
    ending: 'Encerrando a conversa…',
    ended: 'Conversa encerrada',
    error: 'Sem conexão',
  },
  ended: {
    hangup: (name, duration) => `Você conversou com ${name} por ${duration}.`,
    'max-duration': () => 'O tempo desta conversa acabou.',
    'avatar-left': (name) => `${name} saiu da conversa.`,
    'closed-by-server': () => 'A conversa foi fechada.',
    'page-left': () => 'A conversa terminou quando você saiu da página.',
  },
  errors: {
    misconfigured: () => 'Este widget de conversa não está configurado corretamente.',
    'microphone-denied': () => 'O acesso ao microfone está bloqueado. Permita pelo ícone na barra de endereço e tente novamente.',
    'microphone-unavailable': () => 'Não foi possível abrir nenhum microfone. Conecte um e tente novamente.',
    'server-unreachable': () => 'Não foi possível acessar o serviço de conversa. Verifique sua conexão e tente novamente.',
    'origin-not-allowed': (name) => `${name} não está disponível neste site no momento.`,
    'blocked-by-page': (name) => `${name} não está disponível neste site no momento.`,
    'unknown-preset': () => 'Este avatar não está disponível.',
    'equos-failed': () => 'O serviço de avatar não conseguiu iniciar a conversa. Tente novamente.',
    busy: () => 'Há muitas conversas agora. Tente novamente em um minuto.',
    'load-failed': () => 'Parte da conversa não pôde ser carregada. Verifique sua conexão e tente novamente.',
    'unsupported-browser': () => 'Este navegador não permite conversas por vídeo ao vivo. Use uma versão recente do Chrome, Edge, Firefox ou Safari.',
    'avatar-timeout': (name) => `${name} não conseguiu entrar, então a conversa foi encerrada. Tente novamente.`,
    'connection-lost': () => 'A conexão caiu e a conversa foi encerrada.',
  },
};

export default pt;

export const conversation: ConversationStrings = {
  captions: 'Legendas',
  transcript: 'Transcrição',
  copy: 'Copiar transcrição',
  copied: 'Transcrição copiada',
  you: 'Você',
  typeMessage: 'Digite uma mensagem',
  typeTo: (name) => `Escreva para ${name}…`,
  send: 'Enviar',
  noMicrophone: (name) => `Sem microfone: você pode ouvir ${name} e responder por escrito.`,
  endsSoon: (seconds) => plural('pt', seconds, { one: 'A conversa termina em # segundo.', other: 'A conversa termina em # segundos.' }),
  timeLeft: (time) => `Restam ${time}`,
};
