// Mounts a widget whose frame is fake/widget.html of this origin.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  record(Segkit.mount(document.getElementById('widget'), { base: new URL('fake/', location.href).href }));
});
