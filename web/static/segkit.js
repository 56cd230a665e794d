// segkit page boot: starts the UI (segkit.wasm, Go + Vugu; the
// engine worker runs the same binary).
'use strict';

(() => {
  // Vugu's renderer installs its helper functions with window.eval at start-up,
  // and the Content-Security-Policy forbids eval (no 'unsafe-eval'). The same
  // helper is served as vugu-render.js and loaded before this script, and it
  // does nothing when it is evaluated a second time; so eval is replaced by a
  // function that accepts that one script and refuses everything else. It
  // never evaluates anything.
  const helperStart = '(function(){if(window.vuguRender)return;';
  window.eval = function (src) {
    if (typeof src === 'string' && src.startsWith(helperStart) && typeof window.vuguRender === 'function') {
      return undefined;
    }
    throw new EvalError('segkit: eval is disabled by the Content-Security-Policy');
  };

  const mount = document.getElementById('app');
  const fail = (msg) => {
    mount.textContent = '';
    const p = document.createElement('p');
    p.className = 'boot-error';
    p.setAttribute('role', 'alert');
    p.textContent = msg;
    mount.appendChild(p);
  };
  if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') {
    fail('This page needs WebAssembly and Web Workers: please use a current browser.');
    return;
  }
  // Works offline once loaded: the service worker (sw.js) keeps a copy of
  // the page's files. It is registered once the engine is ready, when every
  // file is in the HTTP cache, so that filling the copy costs no download.
  if ('serviceWorker' in navigator && typeof PerformanceObserver === 'function') {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => e.name === 'segkit-engine-ready')) {
        observer.disconnect();
        navigator.serviceWorker.register('sw.js').catch((err) => console.warn('segkit: no offline copy:', err));
      }
    });
    observer.observe({ type: 'mark', buffered: true });
  }
  performance.mark('segkit-boot');
  const go = new Go();
  WebAssembly.instantiateStreaming(fetch('segkit.wasm'), go.importObject)
    .then(({ instance }) => go.run(instance))
    .catch((err) => fail('The page could not start: ' + err));
})();
