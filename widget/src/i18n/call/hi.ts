/**
 * Hindi: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../hi.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'कैप्शन',
  transcript: 'ट्रांसक्रिप्ट',
  copy: 'ट्रांसक्रिप्ट कॉपी करें',
  copied: 'ट्रांसक्रिप्ट कॉपी हो गया',
  pictureInPicture: 'फ़्लोटिंग विंडो',
  inFloatingWindow: (name) => `${name} फ़्लोटिंग विंडो में हैं।`,
  you: 'आप',
  typeMessage: 'मैसेज लिखें',
  typeTo: (name) => `${name} को लिखें…`,
  send: 'भेजें',
  devices: 'ध्वनि सेटिंग',
  microphoneChoice: 'माइक्रोफ़ोन',
  speakerChoice: 'स्पीकर',
  volume: 'आवाज़ का स्तर',
  muteVoice: 'आवाज़ बंद करें',
  microphoneSwitched: (device) => `माइक्रोफ़ोन हट गया। अब ${device} चल रहा है।`,
  noMicrophone: (name) => `माइक्रोफ़ोन नहीं है: आप ${name} को सुन सकते हैं और लिखकर जवाब दे सकते हैं।`,
  endsSoon: (seconds) => plural('hi', seconds, { other: 'बातचीत # सेकंड में खत्म हो जाएगी।' }),
  timeLeft: (time) => `${time} बाकी`,
  qualityExcellent: 'कनेक्शन: बहुत अच्छा',
  qualityGood: 'कनेक्शन: अच्छा',
  qualityPoor: 'कनेक्शन: कमज़ोर',
  qualityLost: 'कनेक्शन टूट गया',
  weakConnection: 'आपका कनेक्शन कमज़ोर है। वीडियो अटके तो सिर्फ़ ऑडियो चुनें।',
  switchToAudio: 'सिर्फ़ ऑडियो',
  switchToVideo: 'वीडियो चालू करें',
  videoBack: 'कनेक्शन सुधर गया: वीडियो लौट आया।',
  audioOnlyChosen: (name) => `सिर्फ़ ऑडियो: आप ${name} को बिना वीडियो के सुन रहे हैं।`,
  audioFallback: (name) => `आपका कनेक्शन कमज़ोर है, इसलिए आप ${name} को बिना वीडियो के सुन रहे हैं। कनेक्शन सुधरने पर वीडियो लौट आएगा।`,
};

export default conversation;
