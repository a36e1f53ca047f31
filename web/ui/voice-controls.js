// Call controls beyond Mute/Leave: Deafen, the input mode (open mic, voice activation, push to talk),
// the voice activation sensitivity with a live level meter, and the press-and-hold Push to talk button.

const MODE_KEY = 'parley.inputMode';
const SENSITIVITY_KEY = 'parley.vadSensitivity';

/** Sensitivity 0..100 -> threshold RMS: 0 is -10 dBFS (only loud voices), 100 is -70 dBFS. */
export function thresholdForSensitivity(sensitivity) {
  return 10 ** ((-10 - 0.6 * sensitivity) / 20);
}

/** Level RMS -> 0..1 on the meter's scale (-70..-10 dBFS). */
export function meterPosition(level) {
  if (!(level > 0)) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(level) + 70) / 60));
}

export class VoiceControls {
  #room; #ui;

  /**
   * @param {import('../sdk/parley').ParleyRoom} room
   * @param {Record<string, HTMLElement>} ui deafenButton, pttButton, pttHint, inputMode, vadSettings,
   *   vadAuto, vadThreshold, vadMeter
   */
  constructor(room, ui) {
    this.#room = room;
    this.#ui = ui;
    const storedMode = read(MODE_KEY);
    if (storedMode) try { room.setInputMode(storedMode); } catch { /* stale value */ }
    const storedSensitivity = Number(read(SENSITIVITY_KEY));
    if (read(SENSITIVITY_KEY) !== null && Number.isFinite(storedSensitivity)) {
      ui.vadThreshold.value = String(storedSensitivity);
      ui.vadAuto.checked = false;
      room.setVoiceActivation({ threshold: thresholdForSensitivity(storedSensitivity) });
    }

    ui.deafenButton.addEventListener('click', () => room.setDeafened(!room.deafened));
    ui.inputMode.addEventListener('change', () => {
      room.setInputMode(ui.inputMode.value);
      write(MODE_KEY, ui.inputMode.value);
    });
    ui.vadAuto.addEventListener('change', () => {
      if (ui.vadAuto.checked) {
        room.setVoiceActivation({ auto: true });
        remove(SENSITIVITY_KEY);
      } else this.#applySensitivity();
      this.render();
    });
    ui.vadThreshold.addEventListener('input', () => this.#applySensitivity());

    let held = false;
    const hold = (pressed) => (ev) => {
      if (ev.type === 'pointerdown') ui.pttButton.setPointerCapture?.(ev.pointerId);
      if (pressed === held) return;
      held = pressed;
      room.setPushToTalk(pressed);
      ui.pttButton.setAttribute('aria-pressed', String(pressed));
    };
    ui.pttButton.addEventListener('pointerdown', hold(true));
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) {
      ui.pttButton.addEventListener(type, hold(false));
    }
    // Keyboard users: Enter held on the focused button (Space already is the push-to-talk key).
    ui.pttButton.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); hold(true)(ev); } });
    ui.pttButton.addEventListener('keyup', (ev) => { if (ev.key === 'Enter') hold(false)(ev); });

    room.addEventListener('voice', () => this.render());
    this.render();
  }

  #applySensitivity() {
    const sensitivity = Number(this.#ui.vadThreshold.value);
    this.#room.setVoiceActivation({ threshold: thresholdForSensitivity(sensitivity) });
    write(SENSITIVITY_KEY, String(sensitivity));
    this.render();
  }

  /** The live mic level, with the threshold marker (voice activation only). */
  showLevel(level) {
    const { vadMeter, vadSettings } = this.#ui;
    if (vadSettings.hidden) return;
    const position = meterPosition(level);
    vadMeter.style.setProperty('--level', position.toFixed(3));
    vadMeter.style.setProperty('--threshold', meterPosition(this.#room.voiceActivation.threshold).toFixed(3));
    vadMeter.setAttribute('aria-valuenow', String(Math.round(position * 100)));
    vadMeter.toggleAttribute('data-open', this.#room.voiceActivation.active);
  }

  render() {
    const room = this.#room;
    const ui = this.#ui;
    ui.deafenButton.setAttribute('aria-pressed', String(room.deafened));
    ui.deafenButton.title = room.deafened ? 'Undeafen (D)' : 'Deafen (D)';
    ui.inputMode.value = room.inputMode;
    ui.pttButton.hidden = room.inputMode !== 'push-to-talk';
    ui.pttHint.hidden = room.inputMode !== 'push-to-talk';
    ui.vadSettings.hidden = room.inputMode !== 'voice-activation';
    const auto = room.voiceActivation.auto;
    ui.vadAuto.checked = auto;
    ui.vadThreshold.disabled = auto;
  }
}

function read(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

function write(key, value) {
  try { localStorage.setItem(key, value); } catch { /* private mode */ }
}

function remove(key) {
  try { localStorage.removeItem(key); } catch { /* private mode */ }
}
