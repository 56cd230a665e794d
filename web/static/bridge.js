// segkit bridge: the hidden frame of the JavaScript API (segkit-api.js).
// A browser starts a Web Worker only from its own origin, so a host page on
// another origin cannot start engine-worker.js itself; this frame, on
// segkit's origin, starts it and passes messages both ways over a
// MessagePort that the host hands over in {segkit: 1, type: "connect"}.
//
// The worker is the page's engine, with the same lockdown: its network APIs
// are gone before any data reaches it. Port messages are the engine's own
// ({json, file?}), plus {json, rows} for rows, which become CSV text here
// (rows.js) so that they are typed as a file is. The port is private to the
// host that created it, so after the handshake no origin check is needed;
// the worker checks every request itself.
'use strict';

(() => {
  if (window.parent === window) return;
  let connected = false;

  // answer sends an engine-style error for the request in json.
  function answer(port, json, code, message) {
    let id = 0;
    let op = 'error';
    try {
      const req = JSON.parse(json);
      if (Number.isInteger(req.id)) id = req.id;
      if (typeof req.op === 'string') op = req.op;
    } catch (_) {
      // not JSON: the error goes out with id 0
    }
    port.postMessage({ json: JSON.stringify({ id, op, error: { code, message } }) });
  }

  function connect(port) {
    const worker = new Worker('engine-worker.js');
    worker.onmessage = (e) => {
      const m = e.data;
      port.postMessage(m, m && m.data instanceof Uint8Array ? [m.data.buffer] : []);
    };
    worker.onerror = (e) => {
      port.postMessage({ json: JSON.stringify({ id: 0, op: 'ready', error: { code: 'internal', message: 'The engine worker failed to start: ' + e.message } }) });
    };
    port.onmessage = (e) => {
      const m = e.data;
      if (m === null || typeof m !== 'object' || typeof m.json !== 'string') {
        console.warn('segkit bridge: a message without a json request was ignored');
        return;
      }
      if (m.rows !== undefined) {
        let csv;
        try {
          csv = SegkitRows.toCSV(m.rows);
        } catch (err) {
          answer(port, m.json, err.code || 'bad_rows', err.message);
          return;
        }
        worker.postMessage({ json: m.json, file: new Blob([csv], { type: 'text/csv' }) });
        return;
      }
      if (m.file !== undefined && !(m.file instanceof Blob)) {
        answer(port, m.json, 'bad_request', 'file must be a File or Blob');
        return;
      }
      worker.postMessage(m.file !== undefined ? { json: m.json, file: m.file } : { json: m.json });
    };
  }

  window.addEventListener('message', (ev) => {
    const d = ev.data;
    if (ev.source !== window.parent || connected) return;
    if (d === null || typeof d !== 'object' || d.segkit !== 1 || d.type !== 'connect' || ev.ports.length !== 1) {
      console.warn('segkit bridge: a message that is not {segkit: 1, type: "connect"} with one port was ignored');
      return;
    }
    connected = true;
    connect(ev.ports[0]);
  });
  window.parent.postMessage({ segkit: 1, type: 'bridge' }, '*');
})();
