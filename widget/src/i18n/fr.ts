/** Français (vouvoiement ; une espace insécable avant les deux-points). */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const fr: Strings = {
  talkTo: (name) => `Parler à ${name}`,
  backToConversation: (name) => `Revenir à la conversation avec ${name}`,
  dialogLabel: (name) => `Conversation avec ${name}`,
  intro: (name) => `Parlez avec ${name} face à face. Votre micro n’est utilisé que pendant la conversation.`,
  start: 'Commencer la conversation',
  startAgain: 'Recommencer',
  tryAgain: 'Réessayer',
  hangUp: 'Terminer la conversation',
  minimize: 'Réduire',
  microphone: 'Micro',
  tapForSound: (name) => `Touchez pour entendre ${name}`,
  avatarLate: (name) => `${name} a du mal à se connecter. Vous pouvez terminer la conversation maintenant, ou patienter encore un peu.`,
  avatarAway: (name) => `${name} n’est plus là. Nous attendons son retour quelques secondes…`,
  endingIn: (seconds) => plural('fr', seconds, { one: 'La conversation se terminera d’elle-même dans # seconde.', other: 'La conversation se terminera d’elle-même dans # secondes.' }),
  status: {
    idle: 'Prêt quand vous l’êtes',
    starting: 'Démarrage…',
    connecting: 'Connexion…',
    waiting: (name) => `${name} arrive…`,
    late: (name) => `${name} a du mal à se connecter`,
    away: (name) => `${name} n’est plus là`,
    listening: 'À l’écoute',
    speaking: (name) => `${name} parle`,
    muted: 'Votre micro est coupé',
    reconnecting: 'Connexion instable, reconnexion…',
    ending: 'Fin de la conversation…',
    ended: 'Conversation terminée',
    error: 'Non connecté',
  },
  ended: {
    hangup: (name, duration) => `Vous avez parlé avec ${name} pendant ${duration}.`,
    'max-duration': () => 'Le temps de cette conversation est écoulé.',
    'avatar-left': (name) => `${name} a quitté la conversation.`,
    'closed-by-server': () => 'La conversation a été fermée.',
    'page-left': () => 'La conversation s’est terminée quand vous avez quitté la page.',
  },
  errors: {
    misconfigured: () => 'Ce widget de conversation est mal configuré.',
    'microphone-denied': () => 'L’accès au micro est bloqué. Autorisez-le depuis l’icône de la barre d’adresse, puis réessayez.',
    'microphone-unavailable': () => 'Aucun micro n’a pu être ouvert. Branchez-en un et réessayez.',
    'server-unreachable': () => 'Le service de conversation est injoignable. Vérifiez votre connexion et réessayez.',
    'origin-not-allowed': (name) => `${name} n’est pas disponible sur ce site pour le moment.`,
    'blocked-by-page': (name) => `${name} n’est pas disponible sur ce site pour le moment.`,
    'unknown-preset': () => 'Cet avatar n’est pas disponible.',
    'equos-failed': () => 'Le service d’avatar n’a pas pu démarrer la conversation. Réessayez.',
    busy: () => 'Trop de conversations en ce moment. Réessayez dans une minute.',
    'load-failed': () => 'Une partie de la conversation n’a pas pu se charger. Vérifiez votre connexion et réessayez.',
    'unsupported-browser': () => 'Ce navigateur ne permet pas de conversation vidéo en direct. Essayez un Chrome, Edge, Firefox ou Safari récent.',
    'avatar-timeout': (name) => `${name} n’a pas pu rejoindre la conversation, qui a été terminée. Réessayez.`,
    'connection-lost': () => 'La connexion a été perdue\u00a0: la conversation est terminée.',
  },
};

export default fr;

export const conversation: ConversationStrings = {
  captions: 'Sous-titres',
  transcript: 'Transcription',
  copy: 'Copier la transcription',
  copied: 'Transcription copiée',
  you: 'Vous',
  typeMessage: 'Écrire un message',
  typeTo: (name) => `Écrire à ${name}…`,
  send: 'Envoyer',
  noMicrophone: (name) => `Pas de micro\u00a0: vous pouvez écouter ${name} et répondre par écrit.`,
  endsSoon: (seconds) => plural('fr', seconds, { one: 'La conversation se termine dans # seconde.', other: 'La conversation se termine dans # secondes.' }),
  timeLeft: (time) => `Encore ${time}`,
};
