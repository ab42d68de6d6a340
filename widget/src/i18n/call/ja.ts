/**
 * Japanese: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../ja.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: '字幕',
  transcript: '文字起こし',
  copy: '文字起こしをコピー',
  copied: '文字起こしをコピーしました',
  pictureInPicture: 'フローティングウィンドウ',
  inFloatingWindow: (name) => `${name}はフローティングウィンドウに表示中です。`,
  you: 'あなた',
  typeMessage: 'メッセージを入力',
  typeTo: (name) => `${name}にメッセージ…`,
  send: '送信',
  devices: 'サウンド設定',
  microphoneChoice: 'マイク',
  speakerChoice: 'スピーカー',
  volume: '声の音量',
  muteVoice: '声をミュート',
  microphoneSwitched: (device) => `マイクが外れました。今は${device}を使っています。`,
  noMicrophone: (name) => `マイクがありません。${name}の話を聞いて、文字で返信できます。`,
  endsSoon: (seconds) => plural('ja', seconds, { other: '会話はあと#秒で終了します。' }),
  timeLeft: (time) => `残り${time}`,
  qualityExcellent: '接続：非常に良好',
  qualityGood: '接続：良好',
  qualityPoor: '接続：不安定',
  qualityLost: '接続が切れました',
  weakConnection: '接続が不安定です。映像が途切れる場合は音声のみに切り替えてください。',
  switchToAudio: '音声のみ',
  switchToVideo: '映像をオンにする',
  videoBack: '接続が回復し、映像が戻りました。',
  audioOnlyChosen: (name) => `音声のみ：${name}の映像はオフです。`,
  audioFallback: (name) => `接続が不安定なため、${name}の映像を止めて音声のみにしています。接続が回復すると映像が戻ります。`,
};

export default conversation;
