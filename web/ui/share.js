// The shareable room link (origin + /?room=ROOM) and its Copy link button.

/** The link that opens `room` on this server; `query` ('&k=v...') is appended (a tracker room's trackers). */
export function shareUrl(origin, room, query = '') {
  return `${origin}/?room=${encodeURIComponent(room)}${query}`;
}

export class ShareLink {
  #section; #link; #button; #origin; #query; #onCopied;

  /**
   * @param {{section: HTMLElement, link: HTMLAnchorElement, button: HTMLButtonElement, origin: string,
   *          query?: string, onCopied?: (ok: boolean) => void}} parts
   */
  constructor({ section, link, button, origin, query = '', onCopied = () => {} }) {
    this.#section = section;
    this.#link = link;
    this.#button = button;
    this.#origin = origin;
    this.#query = query;
    this.#onCopied = onCopied;
    button.addEventListener('click', () => this.copy());
    link.addEventListener('click', (ev) => {
      // Following the link would reload this page; copying is what people want here.
      ev.preventDefault();
      this.copy();
    });
  }

  /** Shows the link for `room`, or hides it when `room` is empty. */
  set(room) {
    const trimmed = String(room ?? '').trim();
    this.#section.hidden = trimmed === '';
    const url = trimmed ? shareUrl(this.#origin, trimmed, this.#query) : '';
    this.#link.textContent = url;
    this.#link.setAttribute('href', url || '/');
  }

  get url() { return this.#link.textContent; }

  async copy() {
    const url = this.url;
    if (!url) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      ok = fallbackCopy(url);
    }
    this.#onCopied(ok);
  }
}

/** Copy through a temporary selection, for browsers without the async clipboard (http origins). */
function fallbackCopy(value) {
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}
