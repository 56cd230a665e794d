// Mounts the full studio with every kind of option.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const w = Segkit.mount(document.getElementById('widget'), {
    mode: 'full',
    algo: 'kmeans',
    k: 5,
    columns: ['Annual Income (k$)', 'Spending Score (1-100)'],
    hide: ['suggest', 'charts', 'samples'],
    autorun: true,
    theme: { accent: '#cc0000', font: 'Georgia, serif' },
    text: { title: 'Your customers here', run: 'Segment now', results: 'What we found' },
    height: 900,
  });
  record(w);
});
