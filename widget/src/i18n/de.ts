/** Deutsch (Sie). */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const de: Strings = {
  talkTo: (name) => `Mit ${name} sprechen`,
  backToConversation: (name) => `Zurück zum Gespräch mit ${name}`,
  dialogLabel: (name) => `Gespräch mit ${name}`,
  intro: (name) => `Sprechen Sie mit ${name} von Angesicht zu Angesicht. Ihr Mikrofon wird nur genutzt, solange Sie sprechen.`,
  start: 'Gespräch starten',
  startAgain: 'Neu starten',
  tryAgain: 'Erneut versuchen',
  hangUp: 'Gespräch beenden',
  minimize: 'Minimieren',
  microphone: 'Mikrofon',
  tapForSound: (name) => `Tippen, um ${name} zu hören`,
  avatarLate: (name) => `${name} hat Probleme beim Beitreten. Sie können das Gespräch jetzt beenden oder noch etwas warten.`,
  avatarAway: (name) => `Die Verbindung zu ${name} ist abgerissen. Wir warten ein paar Sekunden, ob sie zurückkommt…`,
  endingIn: (seconds) => plural('de', seconds, { one: 'Das Gespräch endet in # Sekunde von selbst.', other: 'Das Gespräch endet in # Sekunden von selbst.' }),
  status: {
    idle: 'Bereit, wenn Sie es sind',
    starting: 'Wird gestartet…',
    connecting: 'Verbindung wird hergestellt…',
    waiting: (name) => `${name} kommt gleich…`,
    late: (name) => `${name} hat Probleme beim Beitreten`,
    away: (name) => `Verbindung zu ${name} unterbrochen`,
    listening: 'Hört zu',
    speaking: (name) => `${name} spricht`,
    muted: 'Ihr Mikrofon ist aus',
    reconnecting: 'Verbindung instabil – wird wiederhergestellt…',
    ending: 'Gespräch wird beendet…',
    ended: 'Gespräch beendet',
    error: 'Nicht verbunden',
  },
  ended: {
    hangup: (name, duration) => `Sie haben ${duration} mit ${name} gesprochen.`,
    'max-duration': () => 'Die Zeit für dieses Gespräch ist abgelaufen.',
    'avatar-left': (name) => `${name} hat das Gespräch verlassen.`,
    'closed-by-server': () => 'Das Gespräch wurde geschlossen.',
    'page-left': () => 'Das Gespräch wurde beendet, als Sie die Seite verlassen haben.',
  },
  errors: {
    misconfigured: () => 'Dieses Gesprächs-Widget ist nicht richtig eingerichtet.',
    'microphone-denied': () => 'Der Zugriff auf das Mikrofon ist blockiert. Erlauben Sie ihn über das Symbol in der Adressleiste und versuchen Sie es dann erneut.',
    'microphone-unavailable': () => 'Es konnte kein Mikrofon geöffnet werden. Schließen Sie eines an und versuchen Sie es erneut.',
    'server-unreachable': () => 'Der Gesprächsdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    'origin-not-allowed': (name) => `${name} ist auf dieser Website gerade nicht verfügbar.`,
    'blocked-by-page': (name) => `${name} ist auf dieser Website gerade nicht verfügbar.`,
    'unknown-preset': () => 'Dieser Avatar ist nicht verfügbar.',
    'equos-failed': () => 'Der Avatar-Dienst konnte das Gespräch nicht starten. Bitte versuchen Sie es erneut.',
    busy: () => 'Gerade laufen zu viele Gespräche. Bitte versuchen Sie es in einer Minute erneut.',
    'load-failed': () => 'Ein Teil des Gesprächs konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    'unsupported-browser': () => 'Dieser Browser unterstützt keine Live-Videogespräche. Versuchen Sie es mit einer aktuellen Version von Chrome, Edge, Firefox oder Safari.',
    'avatar-timeout': (name) => `${name} konnte nicht beitreten, daher wurde das Gespräch beendet. Bitte versuchen Sie es erneut.`,
    'connection-lost': () => 'Die Verbindung ist abgebrochen, das Gespräch wurde beendet.',
  },
};

export default de;

export const conversation: ConversationStrings = {
  captions: 'Untertitel',
  transcript: 'Transkript',
  copy: 'Transkript kopieren',
  copied: 'Transkript kopiert',
  you: 'Sie',
  typeMessage: 'Nachricht eingeben',
  typeTo: (name) => `Nachricht an ${name}…`,
  send: 'Senden',
  noMicrophone: (name) => `Kein Mikrofon: Sie können ${name} zuhören und schriftlich antworten.`,
  endsSoon: (seconds) => plural('de', seconds, { one: 'Das Gespräch endet in # Sekunde.', other: 'Das Gespräch endet in # Sekunden.' }),
  timeLeft: (time) => `Noch ${time}`,
};
