// Room text chat: a list of messages (name, time, text) and the Message/Send form. Everything a
// participant wrote is set with textContent: HTML in a message shows as literal text.

import { messageFor } from './messages.js';

const MAX_MESSAGES = 200;

export class Chat {
  #room; #log; #form; #input; #error;

  /**
   * @param {import('../sdk/parley').ParleyRoom} room
   * @param {{log: HTMLOListElement, form: HTMLFormElement, input: HTMLInputElement, error: HTMLElement}} ui
   */
  constructor(room, { log, form, input, error }) {
    this.#room = room;
    this.#log = log;
    this.#form = form;
    this.#input = input;
    this.#error = error;
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.#send();
    });
    input.addEventListener('input', () => { error.textContent = ''; });
    room.addEventListener('chat', ({ detail }) => this.add(detail));
    room.addEventListener('joined', () => {
      const max = room.limits?.maxChatLength;
      if (max) input.maxLength = max;
    });
    room.addEventListener('error', ({ detail }) => {
      if (detail.error.ref === 'chat') error.textContent = chatError(detail.error);
    });
  }

  #send() {
    const text = this.#input.value;
    if (!text.trim()) return;
    try {
      this.#room.sendChat(text);
      this.#input.value = '';
      this.#error.textContent = '';
    } catch (err) {
      this.#error.textContent = chatError(err);
    }
  }

  /** Shows one message: {name, text, time: Date, self}. */
  add({ name, text, time, self }) {
    const li = document.createElement('li');
    li.className = 'chat-message';
    if (self) li.setAttribute('data-self', 'true');
    const head = document.createElement('span');
    head.className = 'chat-head';
    const who = document.createElement('span');
    who.className = 'chat-name';
    who.textContent = name;
    const when = document.createElement('time');
    when.className = 'chat-time';
    const date = time instanceof Date && !Number.isNaN(time.getTime()) ? time : new Date();
    when.dateTime = date.toISOString();
    when.textContent = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    head.append(who, when);
    const body = document.createElement('span');
    body.className = 'chat-text';
    body.textContent = text;
    li.append(head, body);
    this.#log.append(li);
    while (this.#log.children.length > MAX_MESSAGES) this.#log.firstElementChild.remove();
    li.scrollIntoView?.({ block: 'nearest' });
  }

  clear() {
    this.#log.replaceChildren();
    this.#error.textContent = '';
  }
}

function chatError(err) {
  if (err?.code === 'rate-exceeded') return 'You are sending messages too fast. Wait a moment.';
  if (err?.code === 'invalid-message') return err.message || 'That message cannot be sent.';
  return messageFor(err);
}
