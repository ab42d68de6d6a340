/**
 * Arabic: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../ar.ts).
 */
import { isolate, plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'الترجمة المصاحبة',
  transcript: 'نص المحادثة',
  copy: 'نسخ نص المحادثة',
  copied: 'تم نسخ نص المحادثة',
  pictureInPicture: 'نافذة عائمة',
  inFloatingWindow: (name) => `${isolate(name)} في نافذة عائمة.`,
  you: 'أنت',
  typeMessage: 'اكتب رسالة',
  typeTo: (name) => `اكتب رسالة إلى ${isolate(name)}…`,
  send: 'إرسال',
  devices: 'إعدادات الصوت',
  microphoneChoice: 'الميكروفون',
  speakerChoice: 'مكبّر الصوت',
  volume: 'مستوى صوت المتحدث',
  muteVoice: 'كتم الصوت',
  microphoneSwitched: (device) => `انقطع اتصال الميكروفون. يُستخدم الآن ${isolate(device)}.`,
  noMicrophone: (name) => `لا يوجد ميكروفون: يمكنك الاستماع إلى ${isolate(name)} والرد كتابةً.`,
  endsSoon: (seconds) =>
    plural('ar', seconds, {
      zero: 'تنتهي المحادثة الآن.',
      one: 'تنتهي المحادثة خلال ثانية واحدة.',
      two: 'تنتهي المحادثة خلال ثانيتين.',
      few: 'تنتهي المحادثة خلال # ثوانٍ.',
      many: 'تنتهي المحادثة خلال # ثانية.',
      other: 'تنتهي المحادثة خلال # ثانية.',
    }),
  timeLeft: (time) => `المتبقي ${time}`,
  qualityExcellent: 'الاتصال: ممتاز',
  qualityGood: 'الاتصال: جيد',
  qualityPoor: 'الاتصال: ضعيف',
  qualityLost: 'انقطع الاتصال',
  weakConnection: 'اتصالك ضعيف. انتقل إلى الصوت فقط إذا تقطّع الفيديو.',
  switchToAudio: 'صوت فقط',
  switchToVideo: 'تشغيل الفيديو',
  videoBack: 'تحسّن اتصالك: عاد الفيديو.',
  audioOnlyChosen: (name) => `صوت فقط: تسمع ${isolate(name)} بدون فيديو.`,
  audioFallback: (name) => `اتصالك ضعيف، لذا تسمع ${isolate(name)} بدون فيديو. سيعود الفيديو عندما يتحسن الاتصال.`,
};

export default conversation;
