/**
 * Korean: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../ko.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: '자막',
  transcript: '대화 기록',
  copy: '대화 기록 복사',
  copied: '대화 기록을 복사했어요',
  pictureInPicture: '플로팅 창',
  inFloatingWindow: (name) => `${name} 님은 플로팅 창에 있어요.`,
  you: '나',
  typeMessage: '메시지 입력',
  typeTo: (name) => `${name}에게 메시지 보내기…`,
  send: '보내기',
  devices: '소리 설정',
  microphoneChoice: '마이크',
  speakerChoice: '스피커',
  volume: '목소리 볼륨',
  muteVoice: '목소리 끄기',
  microphoneSwitched: (device) => `마이크 연결이 끊겼어요. 지금 사용 중인 마이크: ${device}`,
  noMicrophone: (name) => `마이크가 없어요. ${name}의 말을 듣고 글로 답할 수 있어요.`,
  endsSoon: (seconds) => plural('ko', seconds, { other: '#초 후에 대화가 끝나요.' }),
  timeLeft: (time) => `${time} 남음`,
  qualityExcellent: '연결: 매우 좋음',
  qualityGood: '연결: 좋음',
  qualityPoor: '연결: 약함',
  qualityLost: '연결 끊김',
  weakConnection: '연결이 약합니다. 영상이 끊기면 음성만으로 전환하세요.',
  switchToAudio: '음성만',
  switchToVideo: '영상 켜기',
  videoBack: '연결이 좋아져 영상이 돌아왔습니다.',
  audioOnlyChosen: (name) => `음성만: ${name}의 영상이 꺼져 있습니다.`,
  audioFallback: (name) => `연결이 약해서 ${name}의 영상을 멈추고 음성만 전달합니다. 연결이 좋아지면 영상이 돌아옵니다.`,
};

export default conversation;
