/**
 * English. What the launcher says is in ./en-launcher.ts, in the widget's script; the rest
 * travels with the panel's file, the only one that shows it.
 */
import { enLauncher, LOAD_FAILED_EN } from './en-launcher.js';
import { enInvitation } from './en-invitation.js';
import type { Strings } from './strings.js';

export const en: Strings = {
  ...enLauncher,
  ...enInvitation,
  dialogLabel: (name) => `Conversation with ${name}`,
  intro: (name) => `Talk with ${name} face to face. Your microphone is used only while you talk.`,
  start: 'Start conversation',
  startAgain: 'Start again',
  tryAgain: 'Try again',
  hangUp: 'End conversation',
  minimize: 'Minimise',
  microphone: 'Microphone',
  tapForSound: (name) => `Tap to hear ${name}`,
  avatarLate: (name) => `${name} is having trouble joining. You can end the conversation now, or wait a little.`,
  avatarAway: (name) => `${name} dropped out. Waiting a few seconds for them to come back…`,
  stillThere: (name) => `Still there? ${name} has not heard from you for a while.`,
  continue: 'Continue',
  // English's plural rule (1 is `one`, every other count `other`) written out, not through
  // ./format.ts: the strings file carries English's full set for its keys, within its budget.
  endingIn: (seconds) => `It ends by itself in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
  consent: {
    title: 'Before we start',
    text: (name) => `${name} is an AI avatar, not a person. The conversation uses your microphone, and what you say is processed to answer you.`,
    privacy: 'Privacy policy',
    accept: 'Agree and start',
    decline: 'Not now',
  },
  status: {
    idle: 'Ready when you are',
    starting: 'Starting…',
    connecting: 'Connecting…',
    waiting: (name) => `${name} is joining…`,
    late: (name) => `${name} is having trouble joining`,
    away: (name) => `${name} dropped out`,
    stillThere: 'Still there?',
    listening: 'Listening',
    speaking: (name) => `${name} is speaking`,
    muted: 'Your microphone is off',
    reconnecting: 'Connection unstable, reconnecting…',
    ending: 'Ending the conversation…',
    ended: 'Conversation ended',
    error: 'Not connected',
  },
  ended: {
    hangup: (name, duration) => `You talked with ${name} for ${duration}.`,
    'max-duration': () => 'Time is up for this conversation.',
    'avatar-left': (name) => `${name} left the conversation.`,
    'closed-by-server': () => 'The conversation was closed.',
    'page-left': () => 'The conversation ended when you left the page.',
    idle: () => 'No one spoke for a while, so the conversation ended.',
  },
  errors: {
    misconfigured: () => 'This conversation widget is not set up correctly.',
    'microphone-denied': () => 'Microphone access is blocked. Allow it from the icon in your browser’s address bar, then try again.',
    'microphone-unavailable': () => 'No microphone could be opened. Connect one and try again.',
    'server-unreachable': () => 'The conversation service cannot be reached. Check your connection and try again.',
    'origin-not-allowed': (name) => `${name} isn’t available on this site right now.`,
    'blocked-by-page': (name) => `${name} isn’t available on this site right now.`,
    'unknown-preset': () => 'This avatar is not available.',
    'equos-failed': () => 'The avatar service could not start the conversation. Please try again.',
    busy: () => 'Too many conversations right now. Please try again in a minute.',
    'load-failed': () => LOAD_FAILED_EN,
    'unsupported-browser': () => 'This browser cannot hold a live video conversation. Try a recent Chrome, Edge, Firefox or Safari.',
    'avatar-timeout': (name) => `${name} could not join, so the conversation was ended. Please try again.`,
    'connection-lost': () => 'The connection was lost, so the conversation ended.',
  },
};
