/**
 * 한국어 (해요체). 아바타 이름 뒤의 조사가 받침에 따라 바뀌지 않도록 '에게', '의', '하고',
 * '님이'처럼 형태가 고정된 조사만 씁니다.
 */
import { plural } from './format.js';
import type { Strings } from './strings.js';

const ko: Strings = {
  talkTo: (name) => `${name}에게 말 걸기`,
  backToConversation: () => '진행 중인 대화로 돌아가기',
  dialogLabel: (name) => `${name} 대화`,
  intro: (name) => `얼굴을 보며 ${name}에게 말을 걸어 보세요. 마이크는 말하는 동안에만 사용돼요.`,
  start: '대화 시작',
  startAgain: '다시 시작',
  tryAgain: '다시 시도',
  hangUp: '대화 종료',
  minimize: '최소화',
  microphone: '마이크',
  tapForSound: (name) => `탭하여 ${name}의 목소리 듣기`,
  avatarLate: (name) => `${name} 님이 들어오는 데 문제가 있어요. 지금 대화를 종료하거나 조금 더 기다려 주세요.`,
  avatarAway: (name) => `${name} 님의 연결이 끊겼어요. 다시 연결되는지 몇 초 동안 기다리는 중…`,
  stillThere: (name) => `아직 계신가요? ${name} 님이 한동안 말씀을 듣지 못했어요.`,
  continue: '계속하기',
  endingIn: (seconds) => plural('ko', seconds, { other: '#초 후에 대화가 자동으로 끝나요.' }),
  status: {
    idle: '준비되면 시작하세요',
    starting: '시작하는 중…',
    connecting: '연결하는 중…',
    waiting: (name) => `${name} 입장 중…`,
    late: (name) => `${name} 님이 들어오는 데 문제가 있어요`,
    away: (name) => `${name} 님의 연결이 끊겼어요`,
    stillThere: '아직 계신가요?',
    listening: '듣고 있어요',
    speaking: (name) => `${name} 말하는 중`,
    muted: '마이크가 꺼져 있어요',
    reconnecting: '연결이 불안정해요. 다시 연결하는 중…',
    ending: '대화를 끝내는 중…',
    ended: '대화가 끝났어요',
    error: '연결되지 않음',
  },
  ended: {
    hangup: (name, duration) => `${name}하고 ${duration} 동안 대화했어요.`,
    'max-duration': () => '이 대화의 시간이 다 됐어요.',
    'avatar-left': (name) => `${name} 님이 대화를 나갔어요.`,
    'closed-by-server': () => '대화가 닫혔어요.',
    'page-left': () => '페이지를 떠나서 대화가 끝났어요.',
    idle: () => '한동안 아무 말씀이 없어 대화가 종료됐어요.',
  },
  errors: {
    misconfigured: () => '이 대화 위젯이 올바르게 설정되지 않았어요.',
    'microphone-denied': () => '마이크 접근이 차단되어 있어요. 주소창의 아이콘에서 허용한 뒤 다시 시도해 주세요.',
    'microphone-unavailable': () => '마이크를 열 수 없어요. 마이크를 연결하고 다시 시도해 주세요.',
    'server-unreachable': () => '대화 서비스에 연결할 수 없어요. 인터넷 연결을 확인하고 다시 시도해 주세요.',
    'origin-not-allowed': (name) => `지금은 이 사이트에서 ${name}에게 말을 걸 수 없어요.`,
    'blocked-by-page': (name) => `지금은 이 사이트에서 ${name}에게 말을 걸 수 없어요.`,
    'unknown-preset': () => '이 아바타는 사용할 수 없어요.',
    'equos-failed': () => '아바타 서비스에서 대화를 시작하지 못했어요. 다시 시도해 주세요.',
    busy: () => '지금 대화가 너무 많아요. 1분 뒤에 다시 시도해 주세요.',
    'load-failed': () => '대화의 일부를 불러오지 못했어요. 인터넷 연결을 확인하고 다시 시도해 주세요.',
    'unsupported-browser': () => '이 브라우저에서는 실시간 영상 대화를 할 수 없어요. 최신 버전의 Chrome, Edge, Firefox 또는 Safari를 사용해 보세요.',
    'avatar-timeout': (name) => `${name} 님이 들어오지 못해서 대화를 종료했어요. 다시 시도해 주세요.`,
    'connection-lost': () => '연결이 끊겨서 대화가 끝났어요.',
  },
};

export default ko;
