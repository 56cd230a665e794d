// Stands in for segkit's widget.html (Segkit.mount with base: this folder)
// and, once the host has sent its options, sends the host malformed
// messages, then a good "ready": the host must ignore and report each bad
// one (TestWidgetChecksMessages).
'use strict';
window.addEventListener('message', (ev) => {
  if (ev.source !== window.parent || !ev.data || ev.data.type !== 'init') return;
  const send = (m) => window.parent.postMessage(m, ev.origin);
  send({ segkit: 1, type: 'result', detail: { k: 'five', segments: [], labels: [], model: null, profiles_csv: '' } });
  send({ segkit: 1, type: 'result', detail: { k: 5, segments: [], labels: [], model: 'not an object', profiles_csv: '' } });
  send({ segkit: 1, type: 'ready', detail: {}, extra: true });
  send({ segkit: 1, type: 'progress', detail: { phase: 'fit', iteration: 'one' } });
  send({ segkit: 1, type: 'error', detail: { code: 7 } });
  send({ segkit: 1, type: 'size', detail: { height: -5 } });
  send({ segkit: 1, type: 'navigate', detail: {} });
  send({ segkit: 2, type: 'ready', detail: {} });
  send('ready');
  send({ segkit: 1, type: 'ready', detail: {} });
});
window.parent.postMessage({ segkit: 1, type: 'hello' }, '*');
