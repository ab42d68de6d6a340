/**
 * العربية (الفصحى). Right to left: names are isolated (./format.ts) so a Latin name keeps
 * the sentence's direction; Arabic punctuation (، ؛ ؟). Buttons are verbal nouns and requests
 * «يُرجى …»; invitations use the imperative Arabic interfaces use for everyone (تحدّث، اكتب).
 * Phrases about the avatar avoid verbs that would depend on its gender.
 */
import { isolate, plural } from './format.js';
import type { Strings } from './strings.js';

const ar: Strings = {
  talkTo: (name) => `تحدّث مع ${isolate(name)}`,
  backToConversation: (name) => `العودة إلى محادثتك مع ${isolate(name)}`,
  invitation: (name) => `لديك أسئلة؟ اسأل ${isolate(name)}`,
  dismissInvitation: 'إغلاق',
  dialogLabel: (name) => `محادثة مع ${isolate(name)}`,
  intro: (name) => `تحدّث مع ${isolate(name)} وجهًا لوجه. لا يُستخدم الميكروفون إلا أثناء حديثك.`,
  start: 'بدء المحادثة',
  startAgain: 'البدء من جديد',
  tryAgain: 'إعادة المحاولة',
  hangUp: 'إنهاء المحادثة',
  minimize: 'تصغير',
  microphone: 'الميكروفون',
  tapForSound: (name) => `اضغط لسماع صوت ${isolate(name)}`,
  avatarLate: (name) => `تأخّر انضمام ${isolate(name)}. يمكنك إنهاء المحادثة الآن أو الانتظار قليلًا.`,
  avatarAway: (name) => `انقطع الاتصال مع ${isolate(name)}. ننتظر بضع ثوانٍ لعودة الاتصال…`,
  stillThere: (name) => `هل ما زلت هنا؟ لم يسمع ${isolate(name)} منك منذ فترة.`,
  continue: 'متابعة',
  endingIn: (seconds) =>
    plural('ar', seconds, {
      zero: 'تنتهي المحادثة تلقائيًا الآن.',
      one: 'تنتهي المحادثة تلقائيًا خلال ثانية واحدة.',
      two: 'تنتهي المحادثة تلقائيًا خلال ثانيتين.',
      few: 'تنتهي المحادثة تلقائيًا خلال # ثوانٍ.',
      many: 'تنتهي المحادثة تلقائيًا خلال # ثانية.',
      other: 'تنتهي المحادثة تلقائيًا خلال # ثانية.',
    }),
  consent: {
    title: 'قبل أن نبدأ',
    text: (name) => `${isolate(name)} أفاتار ذكاء اصطناعي وليس إنسانًا. تستخدم المحادثة الميكروفون، ويُعالَج ما تقوله للرد عليك.`,
    privacy: 'سياسة الخصوصية',
    accept: 'الموافقة والبدء',
    decline: 'ليس الآن',
  },
  status: {
    idle: 'ابدأ متى شئت',
    starting: 'جارٍ البدء…',
    connecting: 'جارٍ الاتصال…',
    waiting: (name) => `${isolate(name)} في الطريق…`,
    late: (name) => `تأخّر انضمام ${isolate(name)}`,
    away: (name) => `انقطع الاتصال مع ${isolate(name)}`,
    stillThere: 'هل ما زلت هنا؟',
    listening: 'جارٍ الاستماع',
    speaking: (name) => `المتحدث الآن: ${isolate(name)}`,
    muted: 'الميكروفون مغلق',
    reconnecting: 'الاتصال غير مستقر، جارٍ إعادة الاتصال…',
    ending: 'جارٍ إنهاء المحادثة…',
    ended: 'انتهت المحادثة',
    error: 'غير متصل',
  },
  ended: {
    hangup: (name, duration) => `مدة محادثتك مع ${isolate(name)}: ${duration}.`,
    'max-duration': () => 'انتهى الوقت المخصص لهذه المحادثة.',
    'avatar-left': (name) => `انتهت مشاركة ${isolate(name)} في المحادثة.`,
    'closed-by-server': () => 'أُغلقت المحادثة.',
    'page-left': () => 'انتهت المحادثة عند مغادرتك الصفحة.',
    idle: () => 'لم يتحدث أحد منذ فترة، لذا انتهت المحادثة.',
  },
  errors: {
    misconfigured: () => 'أداة المحادثة هذه غير مُعدّة بشكل صحيح.',
    'microphone-denied': () => 'الوصول إلى الميكروفون محظور. يُرجى السماح به من الرمز في شريط العنوان، ثم إعادة المحاولة.',
    'microphone-unavailable': () => 'تعذّر فتح أي ميكروفون. يُرجى توصيل ميكروفون وإعادة المحاولة.',
    'server-unreachable': () => 'تعذّر الوصول إلى خدمة المحادثة. يُرجى التحقق من اتصالك وإعادة المحاولة.',
    'origin-not-allowed': (name) => `لا يمكن التحدث مع ${isolate(name)} على هذا الموقع حاليًا.`,
    'blocked-by-page': (name) => `لا يمكن التحدث مع ${isolate(name)} على هذا الموقع حاليًا.`,
    'unknown-preset': () => 'هذا الأفاتار غير متاح.',
    'equos-failed': () => 'تعذّر على خدمة الأفاتار بدء المحادثة. يُرجى المحاولة مرة أخرى.',
    busy: () => 'هناك محادثات كثيرة جدًا الآن. يُرجى المحاولة مرة أخرى بعد دقيقة.',
    'load-failed': () => 'تعذّر تحميل جزء من المحادثة. يُرجى التحقق من اتصالك وإعادة المحاولة.',
    'unsupported-browser': () => 'هذا المتصفح لا يدعم محادثات الفيديو المباشرة. يُرجى استخدام إصدار حديث من Chrome أو Edge أو Firefox أو Safari.',
    'avatar-timeout': (name) => `تعذّر انضمام ${isolate(name)}، لذا أُنهيت المحادثة. يُرجى المحاولة مرة أخرى.`,
    'connection-lost': () => 'انقطع الاتصال، فانتهت المحادثة.',
  },
};

export default ar;
