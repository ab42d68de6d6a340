/**
 * हिन्दी («आप»). अवतार के लिंग पर निर्भर क्रियाओं से बचा गया है («… की बारी है», «… अब बातचीत में
 * नहीं हैं»), ताकि हर नाम के साथ वाक्य सही रहे।
 */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const hi: Strings = {
  talkTo: (name) => `${name} से बात करें`,
  backToConversation: (name) => `${name} के साथ अपनी बातचीत पर लौटें`,
  dialogLabel: (name) => `${name} के साथ बातचीत`,
  intro: (name) => `${name} से आमने-सामने बात करें। आपका माइक्रोफ़ोन सिर्फ़ बातचीत के दौरान इस्तेमाल होता है।`,
  start: 'बातचीत शुरू करें',
  startAgain: 'फिर से शुरू करें',
  tryAgain: 'फिर से कोशिश करें',
  hangUp: 'बातचीत खत्म करें',
  minimize: 'छोटा करें',
  microphone: 'माइक्रोफ़ोन',
  tapForSound: (name) => `${name} को सुनने के लिए टैप करें`,
  avatarLate: (name) => `${name} को जुड़ने में दिक्कत हो रही है। आप बातचीत अभी खत्म कर सकते हैं या थोड़ा और इंतज़ार कर सकते हैं।`,
  avatarAway: (name) => `${name} से कनेक्शन टूट गया। कुछ सेकंड इंतज़ार किया जा रहा है कि कनेक्शन लौट आए…`,
  endingIn: (seconds) => plural('hi', seconds, { other: 'बातचीत # सेकंड में अपने-आप खत्म हो जाएगी।' }),
  status: {
    idle: 'जब चाहें, शुरू करें',
    starting: 'शुरू हो रहा है…',
    connecting: 'कनेक्ट हो रहा है…',
    waiting: (name) => `${name} का इंतज़ार है…`,
    late: (name) => `${name} को जुड़ने में दिक्कत हो रही है`,
    away: (name) => `${name} से कनेक्शन टूट गया`,
    listening: 'आप बोलिए',
    speaking: (name) => `${name} की बारी है`,
    muted: 'आपका माइक्रोफ़ोन बंद है',
    reconnecting: 'कनेक्शन कमज़ोर है, फिर से कनेक्ट हो रहा है…',
    ending: 'बातचीत खत्म हो रही है…',
    ended: 'बातचीत खत्म हुई',
    error: 'कनेक्ट नहीं है',
  },
  ended: {
    hangup: (name, duration) => `आपने ${name} से ${duration} तक बात की।`,
    'max-duration': () => 'इस बातचीत का समय पूरा हो गया।',
    'avatar-left': (name) => `${name} अब बातचीत में नहीं हैं।`,
    'closed-by-server': () => 'बातचीत बंद कर दी गई।',
    'page-left': () => 'आपके पेज छोड़ते ही बातचीत खत्म हो गई।',
  },
  errors: {
    misconfigured: () => 'यह बातचीत विजेट ठीक से सेट नहीं किया गया है।',
    'microphone-denied': () => 'माइक्रोफ़ोन का ऐक्सेस ब्लॉक है। ब्राउज़र के ऐड्रेस बार में दिए आइकॉन से इसकी अनुमति दें और फिर से कोशिश करें।',
    'microphone-unavailable': () => 'कोई माइक्रोफ़ोन नहीं खुल सका। माइक्रोफ़ोन जोड़ें और फिर से कोशिश करें।',
    'server-unreachable': () => 'बातचीत सेवा से संपर्क नहीं हो पा रहा है। अपना कनेक्शन जाँचें और फिर से कोशिश करें।',
    'origin-not-allowed': (name) => `${name} अभी इस साइट पर उपलब्ध नहीं हैं।`,
    'blocked-by-page': (name) => `${name} अभी इस साइट पर उपलब्ध नहीं हैं।`,
    'unknown-preset': () => 'यह अवतार उपलब्ध नहीं है।',
    'equos-failed': () => 'अवतार सेवा बातचीत शुरू नहीं कर सकी। कृपया फिर से कोशिश करें।',
    busy: () => 'अभी बहुत ज़्यादा लोग बात कर रहे हैं। कृपया एक मिनट बाद फिर से कोशिश करें।',
    'load-failed': () => 'बातचीत का एक हिस्सा लोड नहीं हो सका। अपना कनेक्शन जाँचें और फिर से कोशिश करें।',
    'unsupported-browser': () => 'इस ब्राउज़र में लाइव वीडियो बातचीत नहीं हो सकती। Chrome, Edge, Firefox या Safari का नया वर्शन आज़माएँ।',
    'avatar-timeout': (name) => `${name} से कनेक्ट नहीं हो सका, इसलिए बातचीत खत्म कर दी गई। कृपया फिर से कोशिश करें।`,
    'connection-lost': () => 'कनेक्शन टूट गया, इसलिए बातचीत खत्म हो गई।',
  },
};

export default hi;

export const conversation: ConversationStrings = {
  captions: 'कैप्शन',
  transcript: 'ट्रांसक्रिप्ट',
  copy: 'ट्रांसक्रिप्ट कॉपी करें',
  copied: 'ट्रांसक्रिप्ट कॉपी हो गया',
  you: 'आप',
  typeMessage: 'मैसेज लिखें',
  typeTo: (name) => `${name} को लिखें…`,
  send: 'भेजें',
  noMicrophone: (name) => `माइक्रोफ़ोन नहीं है: आप ${name} को सुन सकते हैं और लिखकर जवाब दे सकते हैं।`,
  endsSoon: (seconds) => plural('hi', seconds, { other: 'बातचीत # सेकंड में खत्म हो जाएगी।' }),
  timeLeft: (time) => `${time} बाकी`,
};
