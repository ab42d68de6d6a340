/**
 * עברית. Right to left: names are isolated (./format.ts) so a Latin name keeps the
 * sentence's direction, and a right-to-left mark follows each comma between Latin names.
 * Buttons are infinitives and requests impersonal («יש ל…», «אפשר…»), so nothing depends on
 * the visitor's gender; phrases about the avatar avoid gendered verbs where Hebrew allows.
 */
import { isolate, plural } from './format.js';
import type { Strings } from './strings.js';

const he: Strings = {
  talkTo: (name) => `לשיחה עם ${isolate(name)}`,
  backToConversation: (name) => `חזרה לשיחה עם ${isolate(name)}`,
  invitation: (name) => `יש שאלות? אפשר לשאול את ${isolate(name)}`,
  dismissInvitation: 'סגירה',
  dialogLabel: (name) => `שיחה עם ${isolate(name)}`,
  intro: (name) => `אפשר לדבר עם ${isolate(name)} פנים אל פנים. המיקרופון פועל רק בזמן שמדברים.`,
  start: 'להתחיל שיחה',
  startAgain: 'להתחיל מחדש',
  tryAgain: 'לנסות שוב',
  hangUp: 'לסיים את השיחה',
  minimize: 'למזער',
  microphone: 'מיקרופון',
  tapForSound: (name) => `יש להקיש כדי לשמוע את ${isolate(name)}`,
  avatarLate: (name) => `יש קושי לחבר את ${isolate(name)}. אפשר לסיים את השיחה עכשיו או לחכות עוד קצת.`,
  avatarAway: (name) => `החיבור עם ${isolate(name)} נותק. מחכים כמה שניות שהחיבור יחזור…`,
  stillThere: (name) => `עדיין כאן? ${isolate(name)} לא שמע/ה ממך כבר זמן מה.`,
  continue: 'להמשיך',
  endingIn: (seconds) =>
    plural('he', seconds, {
      one: 'השיחה תסתיים מעצמה בעוד שנייה.',
      two: 'השיחה תסתיים מעצמה בעוד שתי שניות.',
      other: 'השיחה תסתיים מעצמה בעוד # שניות.',
    }),
  consent: {
    title: 'לפני שמתחילים',
    text: (name) => `${isolate(name)} הוא אווטאר בינה מלאכותית, לא אדם. השיחה משתמשת במיקרופון, ומה שנאמר מעובד כדי לענות.`,
    privacy: 'מדיניות הפרטיות',
    accept: 'להסכים ולהתחיל',
    decline: 'לא עכשיו',
  },
  status: {
    idle: 'אפשר להתחיל מתי שרוצים',
    starting: 'מתחילים…',
    connecting: 'מתחברים…',
    waiting: (name) => `${isolate(name)} בדרך…`,
    late: (name) => `יש קושי לחבר את ${isolate(name)}`,
    away: (name) => `החיבור עם ${isolate(name)} נותק`,
    stillThere: 'עדיין כאן?',
    listening: 'אפשר לדבר',
    speaking: (name) => `${isolate(name)} מדבר/ת`,
    muted: 'המיקרופון שלך כבוי',
    reconnecting: 'החיבור לא יציב, מתחברים מחדש…',
    ending: 'מסיימים את השיחה…',
    ended: 'השיחה הסתיימה',
    error: 'אין חיבור',
  },
  ended: {
    hangup: (name, duration) => `שוחחת עם ${isolate(name)} במשך ${duration}.`,
    'max-duration': () => 'הזמן לשיחה הזו נגמר.',
    'avatar-left': (name) => `${isolate(name)} כבר לא בשיחה.`,
    'closed-by-server': () => 'השיחה נסגרה.',
    'page-left': () => 'השיחה הסתיימה כשיצאת מהדף.',
    idle: () => 'לא דיברו כבר זמן מה, ולכן השיחה הסתיימה.',
  },
  errors: {
    misconfigured: () => 'וידג׳ט השיחה הזה לא הוגדר כראוי.',
    'microphone-denied': () => 'הגישה למיקרופון חסומה. יש לאשר אותה דרך הסמל בשורת הכתובת ולנסות שוב.',
    'microphone-unavailable': () => 'לא הצלחנו להפעיל מיקרופון. יש לחבר מיקרופון ולנסות שוב.',
    'server-unreachable': () => 'אין גישה לשירות השיחות. כדאי לבדוק את החיבור ולנסות שוב.',
    'origin-not-allowed': (name) => `אי אפשר לשוחח עם ${isolate(name)} באתר הזה כרגע.`,
    'blocked-by-page': (name) => `אי אפשר לשוחח עם ${isolate(name)} באתר הזה כרגע.`,
    'unknown-preset': () => 'האווטאר הזה לא זמין.',
    'equos-failed': () => 'שירות האווטאר לא הצליח להתחיל את השיחה. אפשר לנסות שוב.',
    busy: () => 'יש כרגע יותר מדי שיחות. אפשר לנסות שוב בעוד דקה.',
    'load-failed': () => 'חלק מהשיחה לא נטען. כדאי לבדוק את החיבור ולנסות שוב.',
    'unsupported-browser': () => 'הדפדפן הזה לא תומך בשיחות וידאו בזמן אמת. כדאי לנסות גרסה עדכנית של Chrome,\u200f Edge,\u200f Firefox או Safari.',
    'avatar-timeout': (name) => `לא הצלחנו לחבר את ${isolate(name)}, ולכן השיחה הסתיימה. אפשר לנסות שוב.`,
    'connection-lost': () => 'החיבור נותק, ולכן השיחה הסתיימה.',
  },
};

export default he;
