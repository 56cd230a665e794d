// segkit widget, the frame's side: runs in widget.html inside the iframe
// that embed.js puts in a host page, and is the only code here that talks to
// the host. It trusts nothing the host sends:
//   - only messages from the parent window count; the first must be
//     {segkit: 1, type: "init", options}, and its origin becomes the host's
//     origin: later messages from any other origin are refused, and
//     everything the widget says goes to that origin only;
//   - every message is checked for its exact shape; a malformed one is
//     ignored, logged on the console and reported to the host as an "error"
//     event with code "bad_message";
//   - rows become CSV text here (rows.js), so they are read as a file is.
// The app (segkit.wasm) connects with segkitWidget.connect(handler) and sends
// events with segkitWidget.emit(type, json).
'use strict';

(() => {
  // Opened on its own, not in a frame: widget.html is then simply the page.
  if (window.parent === window) return;
  const ENVELOPE = 1;
  const THEME = { accent: '--accent', ink: '--ink', muted: '--muted', background: '--bg', card: '--card', line: '--line' };

  let hostOrigin = null; // set by the init message
  let handler = null; // the app's, once connected
  const queue = []; // calls for the app before it connects

  function post(type, detail) {
    if (hostOrigin !== null) {
      window.parent.postMessage({ segkit: ENVELOPE, type, detail }, hostOrigin);
    }
  }

  // reject ignores a message and says why: on the console, and to the host.
  function reject(why) {
    console.warn('segkit widget: message ignored: ' + why);
    post('error', { code: 'bad_message', message: 'segkit widget: message ignored: ' + why });
  }

  function toApp(...args) {
    if (handler) handler(...args);
    else queue.push(args);
  }

  function plain(v) {
    return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  }

  // extraKey returns the first key of o not in allowed, or undefined.
  function extraKey(o, allowed) {
    return Object.keys(o).find((k) => !allowed.includes(k));
  }

  // applyTheme sets the colours and font the host chose; a value that is
  // not a colour (or a font-family list) is refused.
  function applyTheme(theme) {
    if (theme === undefined) return;
    if (!plain(theme)) throw new Error('options.theme must be an object');
    const root = document.documentElement.style;
    for (const [k, v] of Object.entries(theme)) {
      if (k === 'font') {
        if (typeof v !== 'string' || !/^[\w\s,"'-]{1,200}$/.test(v)) throw new Error('options.theme.font must be a font-family list (letters, digits, spaces, quotes, commas, hyphens)');
        root.setProperty('--font', v);
      } else if (THEME[k]) {
        if (typeof v !== 'string' || v.length > 64 || !CSS.supports('color', v)) {
          throw new Error(`options.theme.${k} must be a CSS colour`);
        }
        root.setProperty(THEME[k], v);
      } else {
        throw new Error(`options.theme.${k}: the theme keys are ${Object.keys(THEME).join(', ')}, font`);
      }
    }
  }

  function onInit(ev, d) {
    const bad = extraKey(d, ['segkit', 'type', 'options']);
    if (bad !== undefined || !plain(d.options)) {
      console.warn('segkit widget: init ignored: ' + (bad !== undefined ? `unknown field "${bad}"` : 'options must be an object'));
      return;
    }
    hostOrigin = ev.origin;
    const { theme, ...rest } = d.options;
    try {
      applyTheme(theme);
    } catch (err) {
      post('error', { code: 'bad_setting', message: 'segkit widget: ' + err.message });
    }
    toApp('init', JSON.stringify(rest)); // the app checks the rest
  }

  function onData(d) {
    const bad = extraKey(d, ['segkit', 'type', 'rows', 'file', 'name']);
    if (bad !== undefined) return reject(`data: unknown field "${bad}"`);
    if (d.name !== undefined && (typeof d.name !== 'string' || d.name.length > 255)) return reject('data: name must be a string of at most 255 characters');
    if ((d.rows === undefined) === (d.file === undefined)) return reject('data: give exactly one of rows and file');
    if (d.file !== undefined) {
      if (!(d.file instanceof Blob)) return reject('data: file must be a File or Blob');
      return toApp('data', d.file, d.name || d.file.name || 'data.csv');
    }
    let csv;
    try {
      csv = SegkitRows.toCSV(d.rows);
    } catch (err) {
      post('error', { code: err.code || 'bad_rows', message: err.message });
      return undefined;
    }
    return toApp('data', new Blob([csv], { type: 'text/csv' }), d.name || 'rows.csv');
  }

  window.addEventListener('message', (ev) => {
    if (ev.source !== window.parent) {
      console.warn('segkit widget: a message not from the embedding page was ignored');
      return;
    }
    const d = ev.data;
    if (!plain(d) || d.segkit !== ENVELOPE || typeof d.type !== 'string') {
      if (hostOrigin !== null && ev.origin === hostOrigin) reject('not a segkit message ({segkit: 1, type, ...})');
      else console.warn('segkit widget: a message that is not a segkit message was ignored');
      return;
    }
    if (hostOrigin === null) {
      if (d.type === 'init') onInit(ev, d);
      else console.warn(`segkit widget: "${d.type}" before "init" ignored`);
      return;
    }
    if (ev.origin !== hostOrigin) {
      reject(`from ${ev.origin}, not the embedding page's origin ${hostOrigin}`);
      return;
    }
    if (d.type === 'data') onData(d);
    else reject(`unknown type "${d.type}"`);
  });

  // The height of the content (not of the frame's viewport, so that it can
  // shrink too), for the host to size the iframe.
  if (typeof ResizeObserver === 'function') {
    let last = -1;
    new ResizeObserver(() => {
      const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (h !== last) {
        last = h;
        post('size', { height: h });
      }
    }).observe(document.documentElement);
  }

  window.segkitWidget = Object.freeze({
    // connect is called once by the app with its handler(kind, ...args):
    // ("init", optionsJSON) and ("data", blob, name).
    connect(fn) {
      if (handler || typeof fn !== 'function') return;
      handler = fn;
      for (const args of queue.splice(0)) handler(...args);
    },
    // emit sends an event to the host: type is one of ready, load,
    // progress, result, error; json its detail.
    emit(type, json) {
      post(type, JSON.parse(json));
    },
  });

  // Ask the embedding page for the options (this says nothing about data,
  // so it may go to any origin).
  window.parent.postMessage({ segkit: ENVELOPE, type: 'hello' }, '*');
})();
