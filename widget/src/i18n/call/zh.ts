/**
 * Chinese: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../zh.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: '字幕',
  transcript: '对话记录',
  copy: '复制对话记录',
  copied: '已复制对话记录',
  pictureInPicture: '悬浮窗口',
  inFloatingWindow: (name) => `${name}在悬浮窗口中。`,
  you: '您',
  typeMessage: '输入消息',
  typeTo: (name) => `给${name}发消息…`,
  send: '发送',
  devices: '声音设置',
  microphoneChoice: '麦克风',
  speakerChoice: '扬声器',
  volume: '语音音量',
  muteVoice: '静音',
  microphoneSwitched: (device) => `麦克风已断开，现在使用${device}。`,
  noMicrophone: (name) => `没有麦克风：您可以听${name}说话，并用文字回复。`,
  endsSoon: (seconds) => plural('zh', seconds, { other: '对话将在#秒后结束。' }),
  timeLeft: (time) => `剩余${time}`,
  qualityExcellent: '连接：极佳',
  qualityGood: '连接：良好',
  qualityPoor: '连接：较差',
  qualityLost: '连接已断开',
  weakConnection: '你的网络较弱。如果视频卡顿，可以切换为仅音频。',
  switchToAudio: '仅音频',
  switchToVideo: '打开视频',
  videoBack: '网络已好转，视频已恢复。',
  audioOnlyChosen: (name) => `仅音频：${name}的视频已关闭。`,
  audioFallback: (name) => `你的网络较弱，已暂停${name}的视频，只保留声音。网络好转后视频会恢复。`,
};

export default conversation;
