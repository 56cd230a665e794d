// Records every event of the widgets on this page in window.events (the
// e2e tests read it): type, detail and time (ms since navigation start),
// progress counted only. Widgets of data-segkit elements are met through
// their "segkit-mount" event, others by record(widget).
'use strict';
window.events = [];
window.progressEvents = 0;
function record(widget) {
  for (const type of ['ready', 'load', 'progress', 'result', 'error']) {
    widget.addEventListener(type, (e) => {
      if (type === 'progress') window.progressEvents++;
      else window.events.push({ type, detail: e.detail, t: performance.now() });
    });
  }
}
document.addEventListener('segkit-mount', (e) => record(e.detail));
