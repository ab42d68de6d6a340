/**
 * Hebrew: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../he.ts).
 */
import { isolate, plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'כתוביות',
  transcript: 'תמלול',
  copy: 'העתקת התמלול',
  copied: 'התמלול הועתק',
  pictureInPicture: 'חלון צף',
  inFloatingWindow: (name) => `${isolate(name)} בחלון צף.`,
  you: 'אני',
  typeMessage: 'כתיבת הודעה',
  typeTo: (name) => `הודעה אל ${isolate(name)}…`,
  send: 'שליחה',
  devices: 'הגדרות שמע',
  microphoneChoice: 'מיקרופון',
  speakerChoice: 'רמקול',
  volume: 'עוצמת הקול',
  muteVoice: 'השתקת הקול',
  microphoneSwitched: (device) => `המיקרופון נותק. כעת בשימוש: ${isolate(device)}.`,
  noMicrophone: (name) => `אין מיקרופון: אפשר לשמוע את ${isolate(name)} ולענות בכתב.`,
  endsSoon: (seconds) =>
    plural('he', seconds, {
      one: 'השיחה תסתיים בעוד שנייה.',
      two: 'השיחה תסתיים בעוד שתי שניות.',
      other: 'השיחה תסתיים בעוד # שניות.',
    }),
  timeLeft: (time) => `נותרו ${time}`,
  qualityExcellent: 'חיבור: מצוין',
  qualityGood: 'חיבור: טוב',
  qualityPoor: 'חיבור: חלש',
  qualityLost: 'החיבור אבד',
  weakConnection: 'החיבור שלך חלש. אפשר לעבור לשמע בלבד אם הווידאו מקרטע.',
  switchToAudio: 'שמע בלבד',
  switchToVideo: 'הפעלת וידאו',
  videoBack: 'החיבור השתפר: הווידאו חזר.',
  audioOnlyChosen: (name) => `שמע בלבד: הווידאו של ${isolate(name)} כבוי.`,
  audioFallback: (name) => `החיבור שלך חלש, ולכן הווידאו של ${isolate(name)} הופסק. הוא יחזור כשהחיבור ישתפר.`,
};

export default conversation;
