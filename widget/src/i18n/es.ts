/** Español (neutro, de tú). */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const es: Strings = {
  talkTo: (name) => `Habla con ${name}`,
  backToConversation: (name) => `Volver a tu conversación con ${name}`,
  dialogLabel: (name) => `Conversación con ${name}`,
  intro: (name) => `Habla cara a cara con ${name}. Tu micrófono solo se usa mientras hablas.`,
  start: 'Iniciar conversación',
  startAgain: 'Empezar de nuevo',
  tryAgain: 'Reintentar',
  hangUp: 'Terminar conversación',
  minimize: 'Minimizar',
  microphone: 'Micrófono',
  tapForSound: (name) => `Toca para escuchar a ${name}`,
  avatarLate: (name) => `${name} tiene problemas para conectarse. Puedes terminar la conversación ahora o esperar un poco más.`,
  avatarAway: (name) => `${name} se desconectó. Esperamos unos segundos a que vuelva…`,
  endingIn: (seconds) => plural('es', seconds, { one: 'La conversación terminará sola en # segundo.', other: 'La conversación terminará sola en # segundos.' }),
  status: {
    idle: 'Cuando quieras, empezamos',
    starting: 'Iniciando…',
    connecting: 'Conectando…',
    waiting: (name) => `${name} está entrando…`,
    late: (name) => `${name} tiene problemas para conectarse`,
    away: (name) => `${name} se desconectó`,
    listening: 'Escuchando',
    speaking: (name) => `${name} está hablando`,
    muted: 'Tu micrófono está silenciado',
    reconnecting: 'Conexión inestable, reconectando…',
    ending: 'Terminando la conversación…',
    ended: 'Conversación terminada',
    error: 'Sin conexión',
  },
  ended: {
    hangup: (name, duration) => `Hablaste con ${name} durante ${duration}.`,
    'max-duration': () => 'Se acabó el tiempo de esta conversación.',
    'avatar-left': (name) => `${name} salió de la conversación.`,
    'closed-by-server': () => 'Se cerró la conversación.',
    'page-left': () => 'La conversación terminó cuando saliste de la página.',
  },
  errors: {
    misconfigured: () => 'Este widget de conversación no está bien configurado.',
    'microphone-denied': () => 'El acceso al micrófono está bloqueado. Permítelo desde el icono de la barra de direcciones y vuelve a intentarlo.',
    'microphone-unavailable': () => 'No se pudo abrir ningún micrófono. Conecta uno y vuelve a intentarlo.',
    'server-unreachable': () => 'No se puede contactar con el servicio de conversación. Revisa tu conexión y vuelve a intentarlo.',
    'origin-not-allowed': (name) => `${name} no está disponible en este sitio por ahora.`,
    'blocked-by-page': (name) => `${name} no está disponible en este sitio por ahora.`,
    'unknown-preset': () => 'Este avatar no está disponible.',
    'equos-failed': () => 'El servicio de avatares no pudo iniciar la conversación. Vuelve a intentarlo.',
    busy: () => 'Hay demasiadas conversaciones en este momento. Vuelve a intentarlo en un minuto.',
    'load-failed': () => 'No se pudo cargar una parte de la conversación. Revisa tu conexión y vuelve a intentarlo.',
    'unsupported-browser': () => 'Este navegador no admite conversaciones por video en tiempo real. Prueba con una versión reciente de Chrome, Edge, Firefox o Safari.',
    'avatar-timeout': (name) => `${name} no pudo conectarse, así que la conversación terminó. Vuelve a intentarlo.`,
    'connection-lost': () => 'Se perdió la conexión y la conversación terminó.',
  },
};

export default es;

export const conversation: ConversationStrings = {
  captions: 'Subtítulos',
  transcript: 'Transcripción',
  copy: 'Copiar transcripción',
  copied: 'Transcripción copiada',
  you: 'Tú',
  typeMessage: 'Escribe un mensaje',
  typeTo: (name) => `Escribe a ${name}…`,
  send: 'Enviar',
  noMicrophone: (name) => `Sin micrófono: puedes escuchar a ${name} y responder por escrito.`,
  endsSoon: (seconds) => plural('es', seconds, { one: 'La conversación termina en # segundo.', other: 'La conversación termina en # segundos.' }),
  timeLeft: (time) => `Quedan ${time}`,
};
