/** 简体中文（称“您”）。 */
import { plural } from './format.js';
import type { ConversationStrings, Strings } from './strings.js';

const zh: Strings = {
  talkTo: (name) => `和${name}聊聊`,
  backToConversation: (name) => `返回与${name}的对话`,
  dialogLabel: (name) => `与${name}的对话`,
  intro: (name) => `与${name}面对面交谈。只有在您说话时才会使用麦克风。`,
  start: '开始对话',
  startAgain: '重新开始',
  tryAgain: '重试',
  hangUp: '结束对话',
  minimize: '最小化',
  microphone: '麦克风',
  tapForSound: (name) => `点按即可听到${name}的声音`,
  avatarLate: (name) => `${name}加入时遇到问题。您可以现在结束对话，也可以再等一会儿。`,
  avatarAway: (name) => `与${name}的连接已中断。正在等待几秒钟，看能否恢复…`,
  endingIn: (seconds) => plural('zh', seconds, { other: '对话将在#秒后自动结束。' }),
  status: {
    idle: '随时可以开始',
    starting: '正在启动…',
    connecting: '正在连接…',
    waiting: (name) => `${name}正在加入…`,
    late: (name) => `${name}加入时遇到问题`,
    away: (name) => `与${name}的连接已中断`,
    listening: '正在聆听',
    speaking: (name) => `${name}正在说话`,
    muted: '您的麦克风已关闭',
    reconnecting: '连接不稳定，正在重新连接…',
    ending: '正在结束对话…',
    ended: '对话已结束',
    error: '未连接',
  },
  ended: {
    hangup: (name, duration) => `您与${name}交谈了${duration}。`,
    'max-duration': () => '本次对话的时间已到。',
    'avatar-left': (name) => `${name}已离开对话。`,
    'closed-by-server': () => '对话已关闭。',
    'page-left': () => '您离开了页面，对话已结束。',
  },
  errors: {
    misconfigured: () => '此对话组件的设置有误。',
    'microphone-denied': () => '麦克风权限已被阻止。请点击浏览器地址栏中的图标允许使用，然后重试。',
    'microphone-unavailable': () => '无法打开麦克风。请连接麦克风后重试。',
    'server-unreachable': () => '无法连接到对话服务。请检查网络连接后重试。',
    'origin-not-allowed': (name) => `${name}目前无法在此网站上使用。`,
    'blocked-by-page': (name) => `${name}目前无法在此网站上使用。`,
    'unknown-preset': () => '此数字人暂不可用。',
    'equos-failed': () => '数字人服务未能开始对话。请重试。',
    busy: () => '当前对话人数过多。请一分钟后再试。',
    'load-failed': () => '部分对话内容未能加载。请检查网络连接后重试。',
    'unsupported-browser': () => '此浏览器不支持实时视频对话。请使用最新版的 Chrome、Edge、Firefox 或 Safari。',
    'avatar-timeout': (name) => `${name}未能加入，对话已结束。请重试。`,
    'connection-lost': () => '连接已断开，对话已结束。',
  },
};

export default zh;

export const conversation: ConversationStrings = {
  captions: '字幕',
  transcript: '对话记录',
  copy: '复制对话记录',
  copied: '已复制对话记录',
  you: '您',
  typeMessage: '输入消息',
  typeTo: (name) => `给${name}发消息…`,
  send: '发送',
  noMicrophone: (name) => `没有麦克风：您可以听${name}说话，并用文字回复。`,
  endsSoon: (seconds) => plural('zh', seconds, { other: '对话将在#秒后结束。' }),
  timeLeft: (time) => `剩余${time}`,
};
