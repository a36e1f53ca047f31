// What I hear of one remote participant: a local mute button ("Mute <name>", aria-pressed), a volume
// slider ("Volume for <name>", 0-200 %) and, on demand, the connection quality (RTT, loss, jitter).

const POLL_MS = 2000;

export class PeerControls {
  #participant; #room; #timer = 0;

  /**
   * @param {import('../sdk/parley').Participant} participant
   * @param {import('../sdk/parley').ParleyRoom} room
   */
  constructor(participant, room) {
    this.#participant = participant;
    this.#room = room;
    const root = this.element = document.createElement('div');
    root.className = 'peer-controls';

    this.mute = document.createElement('button');
    this.mute.type = 'button';
    this.mute.className = 'btn btn-small btn-toggle';
    this.mute.textContent = 'Mute';
    this.mute.addEventListener('click', () =>
      room.setParticipantMuted(participant.id, !this.#participant.locallyMuted));

    this.volume = document.createElement('input');
    this.volume.type = 'range';
    this.volume.min = '0';
    this.volume.max = '200';
    this.volume.step = '5';
    this.volume.className = 'peer-volume';
    this.volume.addEventListener('input', () =>
      room.setParticipantVolume(participant.id, Number(this.volume.value) / 100));

    this.details = document.createElement('button');
    this.details.type = 'button';
    this.details.className = 'btn btn-small btn-secondary';
    this.details.textContent = 'Connection';
    this.details.setAttribute('aria-expanded', 'false');
    this.details.addEventListener('click', () => this.#toggleQuality());

    this.quality = document.createElement('p');
    this.quality.className = 'peer-quality';
    this.quality.hidden = true;
    this.quality.setAttribute('aria-live', 'polite');

    this.warning = document.createElement('span');
    this.warning.className = 'badge badge-warning';
    this.warning.textContent = 'Poor connection';
    this.warning.hidden = true;

    root.append(this.mute, this.volume, this.details, this.warning, this.quality);
    this.update();
    // Quality is measured in the background too (cheap: one getStats every few seconds) for the warning.
    this.#timer = setInterval(() => this.#measure(), POLL_MS);
  }

  update() {
    const p = this.#participant;
    const name = p.name;
    this.mute.setAttribute('aria-label', `Mute ${name}`);
    this.mute.setAttribute('aria-pressed', String(p.locallyMuted));
    this.volume.setAttribute('aria-label', `Volume for ${name}`);
    const percent = String(Math.round(p.volume * 100));
    if (this.volume.value !== percent) this.volume.value = percent;
    this.volume.setAttribute('aria-valuetext', `${percent} %`);
    this.details.setAttribute('aria-label', `Connection details for ${name}`);
  }

  async #toggleQuality() {
    const open = this.quality.hidden;
    this.quality.hidden = !open;
    this.details.setAttribute('aria-expanded', String(open));
    if (open) await this.#measure();
  }

  async #measure() {
    let q = null;
    try { q = await this.#room.getConnectionQuality(this.#participant.id); } catch { /* closed */ }
    if (!q) return;
    this.warning.hidden = !q.poor;
    this.element.closest('[data-peer]')?.setAttribute('data-quality', q.poor ? 'poor' : 'good');
    if (this.quality.hidden) return;
    const show = (v, unit) => (v === null ? '–' : `${v} ${unit}`);
    this.quality.textContent = `Round trip ${show(q.rttMs, 'ms')} · packet loss ${show(q.packetLossPercent, '%')}`
      + ` · jitter ${show(q.jitterMs, 'ms')}${q.poor ? ' · poor connection' : ''}`;
  }

  dispose() {
    clearInterval(this.#timer);
  }
}
