/**
 * Russian: the words of a call (captions, transcript, typing, devices, the connection, the
 * floating window), in a file of their own loaded at the first sign of intent with the call's
 * code, not before the launcher shows (the launcher's and the panel's are in ../ru.ts).
 */
import { plural } from '../format.js';
import type { ConversationStrings } from '../strings.js';

const conversation: ConversationStrings = {
  captions: 'Субтитры',
  transcript: 'Расшифровка',
  copy: 'Копировать расшифровку',
  copied: 'Расшифровка скопирована',
  pictureInPicture: 'Плавающее окно',
  inFloatingWindow: (name) => `${name} — в плавающем окне.`,
  you: 'Вы',
  typeMessage: 'Введите сообщение',
  typeTo: (name) => `Сообщение для ${name}…`,
  send: 'Отправить',
  devices: 'Настройки звука',
  microphoneChoice: 'Микрофон',
  speakerChoice: 'Динамик',
  volume: 'Громкость голоса',
  muteVoice: 'Выключить голос',
  microphoneSwitched: (device) => `Микрофон отключён. Теперь используется ${device}.`,
  noMicrophone: (name) => `Микрофона нет: вы можете слушать ${name} и отвечать текстом.`,
  endsSoon: (seconds) =>
    plural('ru', seconds, {
      one: 'Разговор закончится через # секунду.',
      few: 'Разговор закончится через # секунды.',
      many: 'Разговор закончится через # секунд.',
      other: 'Разговор закончится через # секунды.',
    }),
  timeLeft: (time) => `Осталось ${time}`,
  qualityExcellent: 'Соединение: отличное',
  qualityGood: 'Соединение: хорошее',
  qualityPoor: 'Соединение: слабое',
  qualityLost: 'Соединение потеряно',
  weakConnection: 'Соединение слабое. Переключитесь на «Только звук», если видео прерывается.',
  switchToAudio: 'Только звук',
  switchToVideo: 'Включить видео',
  videoBack: 'Соединение улучшилось: видео вернулось.',
  audioOnlyChosen: (name) => `Только звук: вы слышите ${name} без видео.`,
  audioFallback: (name) => `Соединение слабое, поэтому вы слышите ${name} без видео. Видео вернётся, когда соединение улучшится.`,
};

export default conversation;
