/** Italiano (del tu). */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const it: Strings = {
  talkTo: (name) => `Parla con ${name}`,
  backToConversation: (name) => `Torna alla conversazione con ${name}`,
  dialogLabel: (name) => `Conversazione con ${name}`,
  intro: (name) => `Parla con ${name} faccia a faccia. Il microfono viene usato solo mentre parli.`,
  start: 'Inizia la conversazione',
  startAgain: 'Ricomincia',
  tryAgain: 'Riprova',
  hangUp: 'Termina la conversazione',
  minimize: 'Riduci',
  microphone: 'Microfono',
  tapForSound: (name) => `Tocca per sentire ${name}`,
  avatarLate: (name) => `${name} ha difficoltà a collegarsi. Puoi terminare la conversazione ora o aspettare ancora un po’.`,
  avatarAway: (name) => `La connessione con ${name} si è interrotta. Aspettiamo qualche secondo che torni…`,
  endingIn: (seconds) => plural('it', seconds, { one: 'La conversazione terminerà da sola tra # secondo.', other: 'La conversazione terminerà da sola tra # secondi.' }),
  status: {
    idle: 'Quando vuoi, iniziamo',
    starting: 'Avvio…',
    connecting: 'Connessione…',
    waiting: (name) => `${name} sta arrivando…`,
    late: (name) => `${name} ha difficoltà a collegarsi`,
    away: (name) => `Connessione con ${name} interrotta`,
    listening: 'In ascolto',
    speaking: (name) => `${name} sta parlando`,
    muted: 'Il tuo microfono è disattivato',
    reconnecting: 'Connessione instabile, riconnessione…',
    ending: 'Chiusura della conversazione…',
    ended: 'Conversazione terminata',
    error: 'Non connesso',
  },
  ended: {
    hangup: (name, duration) => `Hai parlato con ${name} per ${duration}.`,
    'max-duration': () => 'Il tempo per questa conversazione è scaduto.',
    'avatar-left': (name) => `${name} ha lasciato la conversazione.`,
    'closed-by-server': () => 'La conversazione è stata chiusa.',
    'page-left': () => 'La conversazione si è conclusa quando hai lasciato la pagina.',
  },
  errors: {
    misconfigured: () => 'Questo widget di conversazione non è configurato correttamente.',
    'microphone-denied': () => 'L’accesso al microfono è bloccato. Consentilo dall’icona nella barra degli indirizzi, poi riprova.',
    'microphone-unavailable': () => 'Impossibile aprire un microfono. Collegane uno e riprova.',
    'server-unreachable': () => 'Il servizio di conversazione non è raggiungibile. Controlla la connessione e riprova.',
    'origin-not-allowed': (name) => `${name} non è disponibile su questo sito al momento.`,
    'blocked-by-page': (name) => `${name} non è disponibile su questo sito al momento.`,
    'unknown-preset': () => 'Questo avatar non è disponibile.',
    'equos-failed': () => 'Il servizio avatar non è riuscito ad avviare la conversazione. Riprova.',
    busy: () => 'Troppe conversazioni in questo momento. Riprova tra un minuto.',
    'load-failed': () => 'Non è stato possibile caricare una parte della conversazione. Controlla la connessione e riprova.',
    'unsupported-browser': () => 'Questo browser non supporta le conversazioni video dal vivo. Prova una versione recente di Chrome, Edge, Firefox o Safari.',
    'avatar-timeout': (name) => `Non è stato possibile collegare ${name}, quindi la conversazione è terminata. Riprova.`,
    'connection-lost': () => 'La connessione si è interrotta e la conversazione è terminata.',
  },
};

export default it;

export const conversation: ConversationStrings = {
  captions: 'Sottotitoli',
  transcript: 'Trascrizione',
  copy: 'Copia la trascrizione',
  copied: 'Trascrizione copiata',
  you: 'Tu',
  typeMessage: 'Scrivi un messaggio',
  typeTo: (name) => `Scrivi a ${name}…`,
  send: 'Invia',
  noMicrophone: (name) => `Nessun microfono: puoi ascoltare ${name} e rispondere per iscritto.`,
  endsSoon: (seconds) => plural('it', seconds, { one: 'La conversazione termina tra # secondo.', other: 'La conversazione termina tra # secondi.' }),
  timeLeft: (time) => `Mancano ${time}`,
};
