/** Nederlands (je). */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const nl: Strings = {
  talkTo: (name) => `Praat met ${name}`,
  backToConversation: (name) => `Terug naar je gesprek met ${name}`,
  dialogLabel: (name) => `Gesprek met ${name}`,
  intro: (name) => `Praat oog in oog met ${name}. Je microfoon wordt alleen gebruikt terwijl je praat.`,
  start: 'Gesprek starten',
  startAgain: 'Opnieuw beginnen',
  tryAgain: 'Opnieuw proberen',
  hangUp: 'Gesprek beëindigen',
  minimize: 'Minimaliseren',
  microphone: 'Microfoon',
  tapForSound: (name) => `Tik om ${name} te horen`,
  avatarLate: (name) => `${name} heeft moeite met deelnemen. Je kunt het gesprek nu beëindigen of nog even wachten.`,
  avatarAway: (name) => `De verbinding met ${name} is verbroken. We wachten een paar seconden of die terugkomt…`,
  endingIn: (seconds) => plural('nl', seconds, { one: 'Het gesprek eindigt vanzelf over # seconde.', other: 'Het gesprek eindigt vanzelf over # seconden.' }),
  status: {
    idle: 'Klaar om te beginnen',
    starting: 'Starten…',
    connecting: 'Verbinden…',
    waiting: (name) => `${name} komt eraan…`,
    late: (name) => `${name} heeft moeite met deelnemen`,
    away: (name) => `Verbinding met ${name} verbroken`,
    listening: 'Luistert',
    speaking: (name) => `${name} praat`,
    muted: 'Je microfoon staat uit',
    reconnecting: 'Verbinding instabiel, opnieuw verbinden…',
    ending: 'Gesprek wordt beëindigd…',
    ended: 'Gesprek beëindigd',
    error: 'Niet verbonden',
  },
  ended: {
    hangup: (name, duration) => `Je hebt ${duration} met ${name} gepraat.`,
    'max-duration': () => 'De tijd voor dit gesprek is om.',
    'avatar-left': (name) => `${name} heeft het gesprek verlaten.`,
    'closed-by-server': () => 'Het gesprek is gesloten.',
    'page-left': () => 'Het gesprek is beëindigd toen je de pagina verliet.',
  },
  errors: {
    misconfigured: () => 'Deze gesprekswidget is niet goed ingesteld.',
    'microphone-denied': () => 'De toegang tot je microfoon is geblokkeerd. Sta die toe via het pictogram in de adresbalk en probeer het opnieuw.',
    'microphone-unavailable': () => 'Er kon geen microfoon worden geopend. Sluit er een aan en probeer het opnieuw.',
    'server-unreachable': () => 'De gespreksdienst is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
    'origin-not-allowed': (name) => `${name} is op deze site nu niet beschikbaar.`,
    'blocked-by-page': (name) => `${name} is op deze site nu niet beschikbaar.`,
    'unknown-preset': () => 'Deze avatar is niet beschikbaar.',
    'equos-failed': () => 'De avatardienst kon het gesprek niet starten. Probeer het opnieuw.',
    busy: () => 'Er zijn nu te veel gesprekken. Probeer het over een minuut opnieuw.',
    'load-failed': () => 'Een deel van het gesprek kon niet worden geladen. Controleer je verbinding en probeer het opnieuw.',
    'unsupported-browser': () => 'Deze browser ondersteunt geen live videogesprekken. Probeer een recente versie van Chrome, Edge, Firefox of Safari.',
    'avatar-timeout': (name) => `${name} kon niet deelnemen, dus het gesprek is beëindigd. Probeer het opnieuw.`,
    'connection-lost': () => 'De verbinding is verbroken, dus het gesprek is beëindigd.',
  },
};

export default nl;

export const conversation: ConversationStrings = {
  captions: 'Ondertiteling',
  transcript: 'Transcriptie',
  copy: 'Transcriptie kopiëren',
  copied: 'Transcriptie gekopieerd',
  you: 'Jij',
  typeMessage: 'Typ een bericht',
  typeTo: (name) => `Typ een bericht aan ${name}…`,
  send: 'Versturen',
  noMicrophone: (name) => `Geen microfoon: je kunt naar ${name} luisteren en typend antwoorden.`,
  endsSoon: (seconds) => plural('nl', seconds, { one: 'Het gesprek eindigt over # seconde.', other: 'Het gesprek eindigt over # seconden.' }),
  timeLeft: (time) => `Nog ${time}`,
};
