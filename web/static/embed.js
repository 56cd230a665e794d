// segkit widget for any page:
//   <script src="https://segkit.example/embed.js"></script>
//   <div data-segkit data-mode="compact" data-k="5"></div>
// or Segkit.mount(element, options). The widget is segkit's own page in an
// iframe of segkit's origin (widget.html): the host's CSS and scripts cannot
// reach it, and it keeps the page's Content-Security-Policy and its engine
// without network APIs. Host and widget talk by postMessage; every message
// is checked for origin, sender and shape, and a malformed one is ignored
// and reported (console, and an "error" event with code "bad_message").
'use strict';

(() => {
  const script = document.currentScript;
  const base = script && script.src ? new URL('.', script.src).href : null;
  const KEYS = ['mode', 'algo', 'k', 'columns', 'hide', 'theme', 'text', 'scale', 'seed', 'autorun', 'height', 'base', 'title'];
  const EVENTS = ['ready', 'load', 'progress', 'result', 'error'];

  const plain = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

  // check refuses options of the wrong name or type at once (the widget
  // checks their values again).
  function check(o) {
    if (!plain(o)) throw new TypeError('Segkit.mount: options must be an object');
    for (const [k, v] of Object.entries(o)) {
      if (!KEYS.includes(k)) throw new TypeError(`Segkit.mount: unknown option "${k}"; the options are ${KEYS.join(', ')}`);
      const ok = {
        mode: () => v === 'full' || v === 'compact',
        algo: () => typeof v === 'string', scale: () => typeof v === 'string',
        base: () => typeof v === 'string', title: () => typeof v === 'string',
        k: () => Number.isInteger(v), seed: () => Number.isInteger(v) && v >= 0,
        height: () => isNum(v) && v > 0, autorun: () => typeof v === 'boolean',
        columns: () => Array.isArray(v) && v.every((c) => typeof c === 'string'),
        hide: () => Array.isArray(v) && v.every((c) => typeof c === 'string'),
        theme: () => plain(v) && Object.values(v).every((c) => typeof c === 'string'),
        text: () => plain(v) && Object.values(v).every((c) => typeof c === 'string'),
      }[k]();
      if (!ok) throw new TypeError(`Segkit.mount: option "${k}" has the wrong type`);
    }
  }

  // detailOK checks the shape of an event's detail from the widget.
  function detailOK(type, d) {
    if (!plain(d)) return false;
    switch (type) {
      case 'ready': return Object.keys(d).length === 0;
      case 'size': return isNum(d.height) && d.height >= 0;
      case 'load': return typeof d.name === 'string' && Number.isInteger(d.rows) && Number.isInteger(d.columns);
      case 'progress': return typeof d.phase === 'string' && Object.entries(d).every(([k, v]) => k === 'phase' || isNum(v));
      case 'error': return typeof d.code === 'string' && typeof d.message === 'string';
      case 'result': return Number.isInteger(d.k) && Array.isArray(d.segments) && Array.isArray(d.labels) &&
        (d.model === null || plain(d.model)) && typeof d.profiles_csv === 'string';
    }
    return false;
  }

  // Widget is one mounted widget: an EventTarget with the events ready,
  // load, progress, result and error (each with its detail).
  class Widget extends EventTarget {
    constructor(element, options) {
      super();
      check(options);
      const root = options.base || base;
      if (!root) throw new TypeError('Segkit.mount: give options.base, the URL of segkit\'s folder');
      const { base: _b, height, title, ...rest } = options;
      this.options = rest;
      this.url = new URL('widget.html', new URL(root, location.href));
      this.origin = this.url.origin;
      this.element = element;
      this._queue = [];
      this._ready = false;
      this.ready = new Promise((resolve) => { this._resolveReady = resolve; });
      const f = document.createElement('iframe');
      f.src = this.url.href;
      f.title = title || 'segkit: customer segments';
      f.referrerPolicy = 'no-referrer';
      // Scripts and its own origin (engine worker, wasm), downloads of its
      // results; no top navigation, pop-ups or forms.
      f.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-downloads');
      f.style.width = '100%';
      f.style.border = '0';
      f.style.height = (height || 480) + 'px';
      this._fixedHeight = !!height;
      this.frame = f;
      this._onMessage = (ev) => this._receive(ev);
      window.addEventListener('message', this._onMessage);
      element.appendChild(f);
      element.segkit = this;
    }

    // _report ignores a malformed message and says so.
    _report(why) {
      console.warn('segkit: message ignored: ' + why);
      this.dispatchEvent(new CustomEvent('error', { detail: { code: 'bad_message', message: 'segkit: message ignored: ' + why } }));
    }

    _receive(ev) {
      const d = ev.data;
      const ours = plain(d) && d.segkit === 1;
      if (ev.source !== this.frame.contentWindow) {
        // Not our frame: someone else's message (another widget's, or the
        // API's frame, when from segkit's origin), unless it pretends to be
        // segkit's from elsewhere (a frame or script forging the widget's
        // events).
        if (ours && ev.origin !== this.origin) this._report(`a segkit message from ${ev.origin} that did not come from the widget`);
        return;
      }
      if (ev.origin !== this.origin) return this._report(`from ${ev.origin}, not the widget's origin ${this.origin}`);
      if (!ours || typeof d.type !== 'string') return this._report('not a segkit message');
      if (d.type === 'hello') {
        if (Object.keys(d).length !== 2) return this._report('hello: unexpected fields');
        this.frame.contentWindow.postMessage({ segkit: 1, type: 'init', options: this.options }, this.origin);
        return undefined;
      }
      if (d.type !== 'size' && !EVENTS.includes(d.type)) return this._report(`unknown type "${d.type}"`);
      if (Object.keys(d).some((k) => k !== 'segkit' && k !== 'type' && k !== 'detail') || !detailOK(d.type, d.detail)) {
        return this._report(`${d.type}: malformed detail`);
      }
      if (d.type === 'size') {
        if (!this._fixedHeight) this.frame.style.height = Math.min(d.detail.height, 20000) + 'px';
        return undefined;
      }
      if (d.type === 'ready' && !this._ready) {
        this._ready = true;
        for (const m of this._queue.splice(0)) this._post(m);
        this._resolveReady(this);
      }
      this.dispatchEvent(new CustomEvent(d.type, { detail: d.detail }));
      return undefined;
    }

    _post(m) {
      if (!this._ready) this._queue.push(m);
      else this.frame.contentWindow.postMessage(m, this.origin);
    }

    // setData passes data to the widget: rows (an array of objects, or a
    // header and rows of arrays), CSV text, or a File/Blob. The widget reads
    // it as a file; a compact widget then segments it and sends "result".
    setData(data, name) {
      if (name !== undefined && typeof name !== 'string') throw new TypeError('setData: name must be a string');
      const m = { segkit: 1, type: 'data' };
      if (name) m.name = name;
      if (data instanceof Blob) m.file = data;
      else if (typeof data === 'string') m.file = new Blob([data], { type: 'text/csv' });
      else if (Array.isArray(data)) m.rows = data;
      else throw new TypeError('setData: pass an array of rows, CSV text or a File');
      this._post(m);
    }

    // on adds a listener for an event's detail; it returns the widget.
    on(type, fn) {
      this.addEventListener(type, (e) => fn(e.detail));
      return this;
    }

    // destroy removes the widget.
    destroy() {
      window.removeEventListener('message', this._onMessage);
      this.frame.remove();
      delete this.element.segkit;
    }
  }

  function mount(element, options = {}) {
    if (!(element instanceof Element)) throw new TypeError('Segkit.mount: the first argument must be an element');
    return new Widget(element, options);
  }

  // fromAttributes reads a <div data-segkit> element's options: data-mode,
  // data-algo, data-k, data-columns and data-hide (comma-separated),
  // data-scale, data-seed, data-height, data-accent, data-font, and
  // data-options (JSON) for the rest.
  function fromAttributes(el) {
    const a = el.dataset;
    const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
    const o = a.options ? JSON.parse(a.options) : {};
    if (a.mode) o.mode = a.mode;
    if (a.algo) o.algo = a.algo;
    if (a.k) o.k = Number(a.k);
    if (a.seed) o.seed = Number(a.seed);
    if (a.height) o.height = Number(a.height);
    if (a.scale) o.scale = a.scale;
    if (a.columns) o.columns = list(a.columns);
    if (a.hide) o.hide = list(a.hide);
    if (a.accent || a.font) o.theme = Object.assign(o.theme || {}, a.accent ? { accent: a.accent } : {}, a.font ? { font: a.font } : {});
    return o;
  }

  function mountAll() {
    for (const el of document.querySelectorAll('[data-segkit]')) {
      if (el.segkit) continue;
      try {
        // "segkit-mount" (bubbling, detail: the widget) lets the host
        // listen before the element is mounted.
        el.dispatchEvent(new CustomEvent('segkit-mount', { bubbles: true, detail: mount(el, fromAttributes(el)) }));
      } catch (err) {
        console.error('segkit: ' + err.message, el);
      }
    }
  }

  window.Segkit = Object.assign(window.Segkit || {}, { mount, Widget });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
