// segkit JavaScript API: segment customers from a program, in the browser.
//
//   <script src="https://segkit.example/segkit-api.js"></script>
//   const sk = await Segkit.load();
//   const r = await sk.cluster(rows, { algo: 'kmeans', k: 5 });
//
// Segkit.load starts the page's own engine (engine-worker.js, segkit.wasm:
// the same files, so a browser that has them cached does not fetch them
// again) in a hidden frame of segkit's origin (bridge.html), because a
// browser starts a Web Worker only from its own origin. The worker's network
// APIs are gone before data reaches it; nothing is uploaded. Plain JavaScript,
// no dependencies; types in segkit.d.ts.
'use strict';

(() => {
  const script = document.currentScript;
  const defaultBase = script && script.src ? new URL('.', script.src).href : null;

  // SegkitError is how every failure arrives: a rejected promise with a
  // stable code (the engine's: bad_k, bad_column, parse_error, ...) and a
  // message for people.
  class SegkitError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'SegkitError';
      this.code = code;
    }
  }

  // Options of cluster() and their names in the engine's protocol.
  const FIT_OPTIONS = {
    algo: 'algorithm', k: 'k', columns: 'columns', scale: 'scale', seed: 'seed', nInit: 'n_init',
    eps: 'eps', minSamples: 'min_samples', metric: 'metric', minClusterSize: 'min_cluster_size',
    selection: 'selection', linkage: 'linkage', threshold: 'threshold', branching: 'branching',
    covariance: 'covariance', bandwidth: 'bandwidth', gamma: 'gamma',
  };
  const SUGGEST_OPTIONS = { kmin: 'kmin', kmax: 'kmax', columns: 'columns', scale: 'scale', seed: 'seed', nInit: 'n_init' };

  // params maps the caller's options to the protocol's names; an unknown
  // option is refused (a typo would otherwise be silently ignored).
  function params(opts, names, what) {
    if (opts === null || typeof opts !== 'object') throw new SegkitError('bad_setting', `${what}: options must be an object`);
    const out = {};
    for (const [k, v] of Object.entries(opts)) {
      if (k === 'onProgress' || k === 'labels' || v === undefined) continue;
      if (!Object.hasOwn(names, k)) throw new SegkitError('bad_setting', `${what}: unknown option "${k}"; the options are ${Object.keys(names).join(', ')}, onProgress`);
      out[names[k]] = v;
    }
    return out;
  }

  const decoder = new TextDecoder();

  // Engine is a started engine. Requests run one after another in the
  // engine; each returns a promise.
  class Engine extends EventTarget {
    constructor(frame, port) {
      super();
      this._frame = frame;
      this._port = port;
      this._next = 0;
      this._pending = new Map(); // id → {resolve, reject, onProgress}
      this._loaded = false;
      port.onmessage = (e) => this._receive(e.data);
    }

    _receive(m) {
      let resp;
      try {
        resp = JSON.parse(m.json);
      } catch (_) {
        return;
      }
      if (resp.id === 0 && resp.error) {
        // The worker failed (it crashed, or a request was not JSON): no
        // answer will come for what is pending.
        for (const q of this._pending.values()) q.reject(new SegkitError(resp.error.code, resp.error.message));
        this._pending.clear();
        return;
      }
      const p = this._pending.get(resp.id);
      if (resp.op === 'progress') {
        if (p && p.onProgress) p.onProgress(resp.progress);
        this.dispatchEvent(new CustomEvent('progress', { detail: resp.progress }));
        return;
      }
      if (!p) return;
      this._pending.delete(resp.id);
      if (resp.error) p.reject(new SegkitError(resp.error.code, resp.error.message));
      else p.resolve({ resp, data: m.data });
    }

    _request(req, extra, onProgress) {
      if (!this._port) return Promise.reject(new SegkitError('closed', 'this engine was closed'));
      const id = ++this._next;
      const msg = Object.assign({ json: JSON.stringify(Object.assign({ id }, req)) }, extra);
      return new Promise((resolve, reject) => {
        this._pending.set(id, { resolve, reject, onProgress });
        this._port.postMessage(msg);
      });
    }

    // _load sends data to the engine: rows (an array), CSV text (a string)
    // or a File/Blob. null or undefined keeps the data loaded last.
    async _load(data, onProgress) {
      if (data === null || data === undefined) {
        if (!this._loaded) throw new SegkitError('no_data', 'no data: pass rows, CSV text or a File');
        return;
      }
      let extra;
      let name = 'rows.csv';
      if (typeof Blob !== 'undefined' && data instanceof Blob) {
        extra = { file: data };
        name = data.name || 'data.csv';
      } else if (typeof data === 'string') {
        extra = { file: new Blob([data], { type: 'text/csv' }) };
        name = 'data.csv';
      } else if (Array.isArray(data)) {
        extra = { rows: data };
      } else {
        throw new SegkitError('bad_rows', 'data must be an array of rows, CSV text or a File');
      }
      this._loaded = false;
      const { resp } = await this._request({ op: 'load', load: { name } }, extra, onProgress);
      this._loaded = true;
      return resp.inspect;
    }

    // inspect reads data and says how segkit sees it: rows, columns with
    // their types, format.
    async inspect(data, opts = {}) {
      const inspection = await this._load(data, opts.onProgress);
      if (inspection) return inspection;
      return (await this._request({ op: 'inspect' })).resp.inspect;
    }

    // cluster segments data. The result is the engine's fit (segments with
    // names, sizes, centres, descriptions, rules; metrics; the profile
    // table; labels, one per row) with the model's JSON (null when the
    // algorithm's model cannot be saved; modelError says why).
    async cluster(data, opts = {}) {
      const fit = params(opts, FIT_OPTIONS, 'cluster');
      fit.labels = opts.labels !== false;
      if (fit.seed === undefined) fit.seed = 1;
      await this._load(data, opts.onProgress);
      const { resp } = await this._request({ op: 'fit', fit }, undefined, opts.onProgress);
      const result = resp.fit;
      result.model = null;
      try {
        const { data: bytes } = await this._request({ op: 'model' });
        result.model = JSON.parse(decoder.decode(bytes));
      } catch (err) {
        if (!(err instanceof SegkitError)) throw err;
        result.modelError = { code: err.code, message: err.message };
      }
      return result;
    }

    // suggest scores every k from kmin to kmax (2 to 10) with k-means and
    // suggests one, with the evidence.
    async suggest(data, opts = {}) {
      const suggest = params(opts, SUGGEST_OPTIONS, 'suggest');
      if (suggest.seed === undefined) suggest.seed = 1;
      await this._load(data, opts.onProgress);
      return (await this._request({ op: 'suggest', suggest }, undefined, opts.onProgress)).resp.suggest;
    }

    // profile returns the profiles of the last cluster() as long-form CSV
    // (segment, name, column, category, statistic, value), as `segkit
    // profile --csv` writes them.
    async profile() {
      const { data } = await this._request({ op: 'profiles' });
      return decoder.decode(data);
    }

    // assign puts one record (an object of raw fields by column name) or
    // an array of records into the segments of a model (an object, or its
    // JSON text); it answers one assignment, or an array.
    async assign(model, records) {
      if (typeof model === 'string') {
        try {
          model = JSON.parse(model);
        } catch (err) {
          throw new SegkitError('bad_model', 'the model is not JSON: ' + err.message);
        }
      }
      if (model === null || typeof model !== 'object') throw new SegkitError('bad_model', 'no model: pass the model of a cluster() result or a downloaded model');
      const many = Array.isArray(records);
      const list = many ? records : [records];
      const { resp } = await this._request({ op: 'assign', assign: { model, records: list } });
      return many ? resp.assigned.results : resp.assigned.results[0];
    }

    // cancel stops the running request: its promise rejects with code
    // "cancelled". The loaded data stays.
    cancel() {
      for (const id of [...this._pending.keys()]) {
        this._request({ op: 'cancel', target: id }).catch(() => {});
      }
    }

    // close stops the engine and removes its frame; pending requests reject.
    close() {
      if (!this._port) return;
      this._port.close();
      this._port = null;
      this._frame.remove();
      for (const p of this._pending.values()) p.reject(new SegkitError('closed', 'the engine was closed'));
      this._pending.clear();
    }
  }

  // load starts an engine. options.base is the URL of segkit's folder (by
  // default the folder segkit-api.js was loaded from).
  function load(options = {}) {
    const base = options.base || defaultBase;
    if (!base) return Promise.reject(new SegkitError('bad_setting', 'Segkit.load: give {base: "https://…/"}, the folder of segkit\'s files'));
    const url = new URL('bridge.html', new URL(base, location.href));
    const timeout = options.timeout || 60000;
    return new Promise((resolve, reject) => {
      const frame = document.createElement('iframe');
      frame.hidden = true;
      frame.title = 'segkit engine';
      frame.setAttribute('aria-hidden', 'true');
      frame.referrerPolicy = 'no-referrer';
      let timer;
      const fail = (err) => {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        frame.remove();
        reject(err);
      };
      const onMessage = (ev) => {
        if (ev.source !== frame.contentWindow || ev.origin !== url.origin) return;
        const d = ev.data;
        if (d === null || typeof d !== 'object' || d.segkit !== 1 || d.type !== 'bridge') return;
        window.removeEventListener('message', onMessage);
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => {
          let resp;
          try {
            resp = JSON.parse(e.data.json);
          } catch (_) {
            return;
          }
          if (resp.op !== 'ready') return;
          clearTimeout(timer);
          if (resp.error) {
            frame.remove();
            reject(new SegkitError(resp.error.code, resp.error.message));
            return;
          }
          resolve(new Engine(frame, channel.port1));
        };
        frame.contentWindow.postMessage({ segkit: 1, type: 'connect' }, url.origin, [channel.port2]);
      };
      window.addEventListener('message', onMessage);
      timer = setTimeout(() => fail(new SegkitError('timeout', `the segkit engine did not start within ${timeout / 1000} s (${url})`)), timeout);
      frame.src = url.href;
      document.body.appendChild(frame);
    });
  }

  window.Segkit = Object.assign(window.Segkit || {}, { load, SegkitError });
})();
