// segkit engine worker. Loads the Go runtime glue and segkit.wasm (the page's
// one binary, which runs the engine when it starts in a worker), then takes
// away every network API of this worker before the engine starts, so no
// customer data that reaches it can leave the browser. The engine
// announces itself with a "ready" message; the page sends nothing before it.
'use strict';

importScripts('wasm_exec.js');

// lockNetwork removes fetch, XMLHttpRequest, WebSocket, EventSource,
// WebTransport, importScripts and nested workers from this worker: from the
// global object and every prototype it inherits them from, then pins them to
// undefined so they cannot come back. The Content-Security-Policy header
// (connect-src 'self') is the second line of defence.
function lockNetwork() {
  const names = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport',
    'importScripts', 'Worker', 'SharedWorker'];
  for (const name of names) {
    for (let o = self; o; o = Object.getPrototypeOf(o)) {
      if (Object.prototype.hasOwnProperty.call(o, name)) {
        delete o[name];
      }
    }
    Object.defineProperty(self, name, { value: undefined, writable: false, configurable: false });
  }
}

(async () => {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('segkit.wasm'), go.importObject);
  lockNetwork();
  go.run(instance);
})().catch((err) => {
  postMessage({ json: JSON.stringify({ id: 0, op: 'ready', error: { code: 'internal', message: 'The engine could not start: ' + err } }) });
});
