// Audio devices: the Microphone and Speaker selects, the audio processing checkboxes (Noise suppression,
// Echo cancellation, Auto gain), and Test microphone (hear yourself, with a level meter) before joining.

import { getMicrophone, getAudioContext, LevelMeter, stopTracks } from '../sdk/audio.js';
import { messageFor } from './messages.js';
import { meterPosition } from './voice-controls.js';

/** Whether this browser can choose where audio plays. */
export const canChooseSpeaker = () => typeof globalThis.HTMLMediaElement?.prototype?.setSinkId === 'function';

export class DeviceControls {
  #room; #ui; #onError; #test = null; #testRun = 0;

  /**
   * @param {import('../sdk/parley').ParleyRoom} room
   * @param {Record<string, HTMLElement>} ui microphone, speaker, speakerField, noiseSuppression,
   *   echoCancellation, autoGain, testButton, testMeter
   * @param {(message: string) => void} onError
   */
  constructor(room, ui, onError) {
    this.#room = room;
    this.#ui = ui;
    this.#onError = onError;
    ui.speakerField.hidden = !canChooseSpeaker();

    ui.microphone.addEventListener('change', () => this.#useMicrophone());
    ui.speaker.addEventListener('change', () => {
      room.setSpeaker(ui.speaker.value).catch((err) => onError(`The speaker could not be changed: ${err.message}`));
    });
    for (const box of [ui.noiseSuppression, ui.echoCancellation, ui.autoGain]) {
      box.addEventListener('change', () => this.#useProcessing());
    }
    ui.testButton.addEventListener('click', () => (this.#test ? this.stopTest() : this.#startTest()));

    globalThis.navigator?.mediaDevices?.addEventListener?.('devicechange', () => this.refresh());
    room.addEventListener('statechange', ({ detail }) => {
      if (detail.state === 'joined') this.refresh(); // device names appear once the mic is allowed
    });
    this.refresh();
  }

  /** The constraints of the chosen microphone ('' = the system default). */
  get microphoneConstraints() {
    const id = this.#ui.microphone.value;
    return { deviceId: id ? { exact: id } : undefined };
  }

  get processing() {
    const ui = this.#ui;
    return { noiseSuppression: ui.noiseSuppression.checked, echoCancellation: ui.echoCancellation.checked,
      autoGainControl: ui.autoGain.checked };
  }

  /** Before Join: stop the mic test and hand the chosen microphone and processing to the room. */
  async prepareJoin() {
    this.stopTest();
    await this.applyChoices();
  }

  /** Hands the chosen microphone and processing to the room (for its next join, or its prewarm). */
  async applyChoices() {
    await this.#room.setAudioProcessing(this.processing);
    await this.#room.setMicrophone(this.microphoneConstraints);
  }

  /** Refills both selects from enumerateDevices(), keeping the choice while that device is still there. */
  async refresh() {
    const mediaDevices = globalThis.navigator?.mediaDevices;
    if (!mediaDevices?.enumerateDevices) return;
    let devices;
    try { devices = await mediaDevices.enumerateDevices(); } catch { return; }
    const lost = fill(this.#ui.microphone, devices.filter((d) => d.kind === 'audioinput'), 'Microphone');
    if (lost && this.#room.state !== 'joined') {
      // In a call the room itself falls back to the default microphone and says so.
      this.#onError('The microphone you chose was disconnected. Parley will use the default microphone.');
      if (this.#test) this.#restartTest();
    }
    if (canChooseSpeaker()) {
      if (fill(this.#ui.speaker, devices.filter((d) => d.kind === 'audiooutput'), 'Speaker')) {
        this.#room.setSpeaker('').catch(() => {});
      }
    }
  }

  async #useMicrophone() {
    if (this.#test) this.#restartTest();
    if (this.#room.state !== 'joined') return;
    try {
      await this.#room.setMicrophone(this.microphoneConstraints);
    } catch (err) {
      if (err?.code !== 'aborted') this.#onError(messageFor(err));
    }
  }

  async #useProcessing() {
    if (this.#test) this.#restartTest();
    try {
      await this.#room.setAudioProcessing(this.processing);
    } catch (err) {
      if (err?.code !== 'aborted') this.#onError(messageFor(err));
    }
  }

  #restartTest() {
    this.stopTest();
    this.#startTest();
  }

  async #startTest() {
    const run = ++this.#testRun;
    this.#showTesting(true);
    let stream;
    try {
      stream = await getMicrophone({ ...this.processing, ...this.microphoneConstraints });
    } catch (err) {
      if (run === this.#testRun) { this.#showTesting(false); this.#onError(messageFor(err)); }
      return;
    }
    const context = getAudioContext();
    if (run !== this.#testRun || !context) { stopTracks(stream); if (run === this.#testRun) this.#showTesting(false); return; }
    const source = context.createMediaStreamSource(stream);
    source.connect(context.destination); // hear yourself
    const meter = new LevelMeter(stream, { audioContext: context, detector: null, onLevel: (level) => this.#showLevel(level) });
    this.#test = { stream, source, meter };
    this.refresh();
  }

  /** Stops the mic test, if running; safe to call any time. */
  stopTest() {
    this.#testRun++;
    const test = this.#test;
    this.#test = null;
    if (test) {
      test.meter.stop();
      try { test.source.disconnect(); } catch { /* already */ }
      stopTracks(test.stream);
    }
    this.#showTesting(false);
  }

  #showTesting(on) {
    this.#ui.testButton.setAttribute('aria-pressed', String(on));
    this.#ui.testMeter.hidden = !on;
    this.#showLevel(0);
  }

  #showLevel(level) {
    const position = meterPosition(level);
    this.#ui.testMeter.style.setProperty('--level', position.toFixed(3));
    this.#ui.testMeter.setAttribute('aria-valuenow', String(Math.round(position * 100)));
  }
}

/** Replaces the options of `select` with 'Default' + `devices`; returns true if the chosen one is gone. */
function fill(select, devices, noun) {
  const chosen = select.value;
  const options = [new Option(`Default ${noun.toLowerCase()}`, '')];
  devices.filter((d) => d.deviceId && d.deviceId !== 'default' && d.deviceId !== 'communications')
    .forEach((d, i) => options.push(new Option(d.label || `${noun} ${i + 1}`, d.deviceId)));
  select.replaceChildren(...options);
  const present = options.some((o) => o.value === chosen);
  select.value = present ? chosen : '';
  return !present;
}
