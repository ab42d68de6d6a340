/** 日本語（です・ます調）。 */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const ja: Strings = {
  talkTo: (name) => `${name}と話す`,
  backToConversation: (name) => `${name}との会話に戻る`,
  dialogLabel: (name) => `${name}との会話`,
  intro: (name) => `${name}と顔を見ながら話せます。マイクは話している間だけ使われます。`,
  start: '会話を始める',
  startAgain: 'もう一度始める',
  tryAgain: '再試行',
  hangUp: '会話を終了',
  minimize: '最小化',
  microphone: 'マイク',
  tapForSound: (name) => `タップして${name}の声を聞く`,
  avatarLate: (name) => `${name}の参加に時間がかかっています。今すぐ会話を終了するか、もう少しお待ちください。`,
  avatarAway: (name) => `${name}との接続が切れました。再接続を数秒間お待ちしています…`,
  endingIn: (seconds) => plural('ja', seconds, { other: '会話はあと#秒で自動的に終了します。' }),
  status: {
    idle: '準備ができたらどうぞ',
    starting: '開始しています…',
    connecting: '接続しています…',
    waiting: (name) => `${name}を呼んでいます…`,
    late: (name) => `${name}の参加に時間がかかっています`,
    away: (name) => `${name}との接続が切れました`,
    listening: '聞いています',
    speaking: (name) => `${name}が話しています`,
    muted: 'マイクはオフです',
    reconnecting: '接続が不安定です。再接続しています…',
    ending: '会話を終了しています…',
    ended: '会話が終了しました',
    error: '未接続',
  },
  ended: {
    hangup: (name, duration) => `${name}と${duration}話しました。`,
    'max-duration': () => 'この会話の制限時間になりました。',
    'avatar-left': (name) => `${name}が会話から退出しました。`,
    'closed-by-server': () => '会話が閉じられました。',
    'page-left': () => 'ページを離れたため、会話は終了しました。',
  },
  errors: {
    misconfigured: () => 'この会話ウィジェットは正しく設定されていません。',
    'microphone-denied': () => 'マイクへのアクセスがブロックされています。アドレスバーのアイコンから許可して、もう一度お試しください。',
    'microphone-unavailable': () => 'マイクを使用できませんでした。マイクを接続して、もう一度お試しください。',
    'server-unreachable': () => '会話サービスに接続できません。接続を確認して、もう一度お試しください。',
    'origin-not-allowed': (name) => `現在、このサイトでは${name}をご利用いただけません。`,
    'blocked-by-page': (name) => `現在、このサイトでは${name}をご利用いただけません。`,
    'unknown-preset': () => 'このアバターはご利用いただけません。',
    'equos-failed': () => 'アバターサービスで会話を開始できませんでした。もう一度お試しください。',
    busy: () => '現在、会話が混み合っています。1分ほどしてから、もう一度お試しください。',
    'load-failed': () => '会話の一部を読み込めませんでした。接続を確認して、もう一度お試しください。',
    'unsupported-browser': () => 'このブラウザはリアルタイムのビデオ会話に対応していません。最新版の Chrome、Edge、Firefox、Safari をお試しください。',
    'avatar-timeout': (name) => `${name}が参加できなかったため、会話を終了しました。もう一度お試しください。`,
    'connection-lost': () => '接続が切れたため、会話は終了しました。',
  },
};

export default ja;

export const conversation: ConversationStrings = {
  captions: '字幕',
  transcript: '文字起こし',
  copy: '文字起こしをコピー',
  copied: '文字起こしをコピーしました',
  you: 'あなた',
  typeMessage: 'メッセージを入力',
  typeTo: (name) => `${name}にメッセージ…`,
  send: '送信',
  noMicrophone: (name) => `マイクがありません。${name}の話を聞いて、文字で返信できます。`,
  endsSoon: (seconds) => plural('ja', seconds, { other: '会話はあと#秒で終了します。' }),
  timeLeft: (time) => `残り${time}`,
};
