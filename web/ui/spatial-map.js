// The map of a positional room: everyone seen from above (+x right, -z up, WebAudio's coordinates), my own dot moved
// with the arrow keys while the map has focus (Shift: 5 at a time) or by dragging it, and a circle showing how far I
// hear (the channel's audible distance). Shown only in positional rooms; names are text, never HTML.

const SVG = 'http://www.w3.org/2000/svg';
const EXTENT = 40;

export class SpatialMap {
  #room; #ui; #frame = 0;

  /** @param {{section: HTMLElement, map: SVGSVGElement, position: HTMLElement}} ui */
  constructor(room, ui) {
    this.#room = room;
    this.#ui = ui;
    ui.map.addEventListener('keydown', (ev) => this.#onKey(ev));
    ui.map.addEventListener('pointerdown', (ev) => this.#onPointerDown(ev));
    const redraw = () => this.render();
    for (const type of ['joined', 'participant-joined', 'participant-left', 'participant-updated', 'closed']) {
      room.addEventListener(type, redraw);
    }
  }

  /** Redraws at the next frame (many events can arrive in one). */
  render() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => { this.#frame = 0; this.#draw(); });
  }

  #draw() {
    const room = this.#room;
    const { section, map, position } = this.#ui;
    const channel = room.state === 'joined' ? room.channel : null;
    section.hidden = !channel;
    if (!channel) return;
    map.replaceChildren();
    const me = room.position;
    const range = element('circle', { class: 'spatial-range', cx: me.x, cy: me.z, r: channel.audibleDistance });
    map.append(range);
    for (const p of room.participants) {
      const dot = element('circle', {
        class: 'spatial-dot', cx: p.position.x, cy: p.position.z, r: p.isSelf ? 1.6 : 1.3,
        'data-self': String(p.isSelf), 'data-route': p.isSelf ? 'self' : p.route, 'data-name': p.name,
      });
      const title = element('title', {});
      title.textContent = p.isSelf ? `${p.name} (you)` : p.name;
      dot.append(title);
      const label = element('text', { class: 'spatial-label', x: p.position.x, y: p.position.z - 2.2 });
      label.textContent = p.name;
      map.append(dot, label);
    }
    position.textContent = `You are at x ${round(me.x)}, z ${round(me.z)}.`;
  }

  #onKey(ev) {
    const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[ev.key];
    if (!steps || this.#room.state !== 'joined') return;
    ev.preventDefault();
    const scale = ev.shiftKey ? 5 : 1;
    const me = this.#room.position;
    this.#moveTo(me.x + steps[0] * scale, me.z + steps[1] * scale);
  }

  #onPointerDown(ev) {
    if (ev.target?.dataset?.self !== 'true') return;
    const map = this.#ui.map;
    map.setPointerCapture(ev.pointerId);
    const move = (e) => {
      const point = map.createSVGPoint();
      point.x = e.clientX;
      point.y = e.clientY;
      const at = point.matrixTransform(map.getScreenCTM().inverse());
      this.#moveTo(at.x, at.y);
    };
    const up = () => {
      map.removeEventListener('pointermove', move);
      map.removeEventListener('pointerup', up);
      map.removeEventListener('pointercancel', up);
    };
    map.addEventListener('pointermove', move);
    map.addEventListener('pointerup', up);
    map.addEventListener('pointercancel', up);
  }

  #moveTo(x, z) {
    const clamp = (v) => Math.max(-EXTENT, Math.min(EXTENT, v));
    const me = this.#room.position;
    this.#room.setPosition({ x: clamp(x), y: me.y, z: clamp(z) });
    this.render();
  }
}

function element(name, attributes) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  return el;
}

function round(v) {
  return Math.round(v * 10) / 10;
}
