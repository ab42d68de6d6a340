/**
 * Dutch: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../nl.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Ondertiteling',
  transcript: 'Transcriptie',
  copy: 'Transcriptie kopiëren',
  copied: 'Transcriptie gekopieerd',
  pictureInPicture: 'Zwevend venster',
  inFloatingWindow: (name) => `${name} staat in een zwevend venster.`,
  you: 'Jij',
  typeMessage: 'Typ een bericht',
  typeTo: (name) => `Typ een bericht aan ${name}…`,
  send: 'Versturen',
  devices: 'Geluidsinstellingen',
  microphoneChoice: 'Microfoon',
  speakerChoice: 'Luidspreker',
  volume: 'Volume van de stem',
  muteVoice: 'Stem dempen',
  microphoneSwitched: (device) => `Microfoon losgekoppeld. Nu wordt ${device} gebruikt.`,
  noMicrophone: (name) => `Geen microfoon: je kunt naar ${name} luisteren en typend antwoorden.`,
  endsSoon: (seconds) => plural('nl', seconds, { one: 'Het gesprek eindigt over # seconde.', other: 'Het gesprek eindigt over # seconden.' }),
  timeLeft: (time) => `Nog ${time}`,
  qualityExcellent: 'Verbinding: uitstekend',
  qualityGood: 'Verbinding: goed',
  qualityPoor: 'Verbinding: zwak',
  qualityLost: 'Verbinding verbroken',
  weakConnection: 'Je verbinding is zwak. Schakel over naar alleen audio als de video hapert.',
  switchToAudio: 'Alleen audio',
  switchToVideo: 'Video aanzetten',
  videoBack: 'Je verbinding is beter: de video is terug.',
  audioOnlyChosen: (name) => `Alleen audio: je hoort ${name} zonder video.`,
  audioFallback: (name) => `Je verbinding is zwak, dus je hoort ${name} zonder video. De video komt terug zodra de verbinding beter wordt.`,
};

export default conversation;
