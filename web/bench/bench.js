// segkit browser benchmark page. `go run ./cmd/build bench -browser` opens
// this page in headless Chromium and calls the functions of
// window.segkitBench one at a time; each returns a plain object (JSON) with
// what it measured. The engine runs exactly as the page runs it: the site's
// engine-worker.js (wasm/engine in a Web Worker), fed a Blob through the
// message protocol of wasm/engine/protocol. The JavaScript peer, ml-kmeans,
// runs in a Web Worker of its own (peer-worker.js, bundled at run time).
'use strict';

(() => {
  const logEl = document.getElementById('log');
  const log = (line) => {
    logEl.textContent += line + '\n';
  };

  // Engine talks to one engine worker: requests with an id, one final
  // response per request, progress reports ignored.
  class Engine {
    constructor(script) {
      this.worker = new Worker(script);
      this.nextID = 0;
      this.pending = new Map();
      this.ready = new Promise((resolve, reject) => {
        this.worker.onerror = (e) => {
          const err = new Error('engine worker: ' + (e.message || 'failed'));
          reject(err);
          for (const [, p] of this.pending) {
            p.reject(err);
          }
          this.pending.clear();
        };
        this.worker.onmessage = (e) => {
          const resp = JSON.parse(e.data.json);
          if (resp.op === 'ready') {
            if (resp.error) {
              reject(new Error(resp.error.code + ': ' + resp.error.message));
            } else {
              resolve();
            }
            return;
          }
          if (resp.op === 'progress') {
            const p = this.pending.get(resp.id);
            if (p && resp.progress) {
              p.progress(resp.progress.phase);
            }
            return;
          }
          const p = this.pending.get(resp.id);
          if (p) {
            this.pending.delete(resp.id);
            p.resolve(resp);
          }
        };
      });
    }

    // request sends req (and a Blob for a load) and resolves with the final
    // response, the wall time from posting to its arrival and, per phase of
    // the progress reports ("read", "parse", "fit"), the times of the first
    // and the last report, all in seconds from posting.
    request(req, file) {
      req.id = ++this.nextID;
      return new Promise((resolve, reject) => {
        const start = performance.now();
        const phases = {};
        this.pending.set(req.id, {
          resolve: (resp) => {
            const wall = (performance.now() - start) / 1000;
            if (resp.error) {
              reject(new Error(req.op + ': ' + resp.error.code + ': ' + resp.error.message));
              return;
            }
            resolve({ resp, wall, phases });
          },
          reject,
          progress: (phase) => {
            const t = (performance.now() - start) / 1000;
            phases[phase] = phases[phase] || { first: t, last: t };
            phases[phase].last = t;
          },
        });
        const msg = { json: JSON.stringify(req) };
        if (file) {
          msg.file = file;
        }
        this.worker.postMessage(msg);
      });
    }

    // startHelpers starts helper workers as the page does — one per core,
    // at most four workers with the engine — and hands the engine a
    // MessagePort to each, so large k-means fits spread over them. It
    // resolves with the number of helpers.
    async startHelpers(script) {
      const n = Math.min(navigator.hardwareConcurrency || 1, 4) - 1;
      this.helpers = [];
      const ports = [];
      for (let i = 0; i < n; i++) {
        const w = new Worker(script);
        const ok = await new Promise((resolve) => {
          w.onerror = () => resolve(false);
          w.onmessage = (e) => {
            const resp = JSON.parse(e.data.json);
            resolve(resp.op === 'ready' && !resp.error);
          };
        });
        w.onmessage = null;
        w.onerror = null;
        if (!ok) {
          w.terminate();
          continue;
        }
        const ch = new MessageChannel();
        w.postMessage({ json: JSON.stringify({ id: 0, op: 'shard-helper' }), port: ch.port2 }, [ch.port2]);
        ports.push(ch.port1);
        this.helpers.push(w);
      }
      if (ports.length > 0) {
        this.worker.postMessage({ json: JSON.stringify({ id: 0, op: 'pool' }), ports }, ports);
      }
      return this.helpers.length;
    }

    terminate() {
      this.worker.terminate();
      for (const w of this.helpers || []) {
        w.terminate();
      }
    }
  }

  // Peer talks to the ml-kmeans worker.
  class Peer {
    constructor(script) {
      this.worker = new Worker(script);
      this.nextID = 0;
      this.pending = new Map();
      this.failed = null;
      this.worker.onerror = (e) => {
        this.failed = new Error('ml-kmeans worker: ' + (e.message || 'error'));
        for (const [, p] of this.pending) {
          p.reject(this.failed);
        }
        this.pending.clear();
      };
      this.worker.onmessage = (e) => {
        const p = this.pending.get(e.data.id);
        if (!p) {
          return;
        }
        this.pending.delete(e.data.id);
        if (e.data.error) {
          p.reject(new Error('ml-kmeans worker: ' + e.data.error));
        } else {
          p.resolve(e.data);
        }
      };
    }

    call(msg, transfer) {
      if (this.failed) {
        return Promise.reject(this.failed);
      }
      msg.id = ++this.nextID;
      return new Promise((resolve, reject) => {
        this.pending.set(msg.id, { resolve, reject });
        this.worker.postMessage(msg, transfer || []);
      });
    }

    terminate() {
      this.worker.terminate();
    }
  }

  const blobs = new Map(); // same-origin files fetched once, as Blobs (not timed)
  let engine = null;
  let peer = null;

  async function blob(url) {
    if (!blobs.has(url)) {
      const r = await fetch(url);
      if (!r.ok) {
        throw new Error(url + ': HTTP ' + r.status);
      }
      blobs.set(url, await r.blob());
    }
    return blobs.get(url);
  }

  window.segkitBench = {
    // startEngine starts a fresh engine worker (ending the previous one),
    // with helper workers as the page starts them unless helpers is false,
    // and resolves when it is ready, with the start-up time in seconds.
    async startEngine(script = '../engine-worker.js', helpers = true) {
      if (engine) {
        engine.terminate();
      }
      const start = performance.now();
      engine = new Engine(script);
      await engine.ready;
      const seconds = (performance.now() - start) / 1000;
      const started = helpers ? await engine.startHelpers(script) : 0;
      log(`engine ready in ${seconds.toFixed(3)} s, ${started} helper worker(s)`);
      return { seconds, helpers: started };
    },

    // load hands the file at url to the engine as a Blob, as the page does
    // with a dropped file, and times it until the inspection arrives (the
    // file is read in chunks inside the worker and parsed).
    async load(url) {
      const file = await blob(url);
      const { resp, wall, phases } = await engine.request({
        op: 'load',
        load: { name: url.split('/').pop(), size: file.size, offset: 0, final: true },
      }, file);
      const ins = resp.inspect;
      log(`load ${url}: ${(file.size / 1e6).toFixed(1)} MB, ${ins.rows} rows in ${wall.toFixed(3)} s`);
      return {
        bytes: file.size,
        seconds: wall,
        // Until the first report of the parse phase: the worker reading the
        // Blob in chunks into the engine (to within the engine's 50 ms
        // between reports).
        read_seconds: phases.parse ? phases.parse.first : 0,
        rows: ins.rows,
        skipped: ins.skipped,
        workers: ins.workers,
        columns: ins.columns.map((c) => ({ name: c.name, type: c.type, numeric: c.numeric })),
      };
    },

    // forget drops a fetched file.
    forget(url) {
      blobs.delete(url);
      return true;
    },

    // fit runs one k-means fit in the engine; params are protocol.FitParams.
    async fit(params) {
      const { resp, wall, phases } = await engine.request({ op: 'fit', fit: params });
      const f = resp.fit;
      log(`segkit fit seed ${params.seed}: ${f.metrics.seconds.toFixed(3)} s k-means, ${wall.toFixed(3)} s wall, ${f.metrics.iterations} iterations`);
      return {
        seconds: f.metrics.seconds,
        wall_seconds: wall,
        // The last report of the fit phase: after it, the engine computes the
        // quality indices, the model and the segment profiles and names.
        last_fit_report_seconds: phases.fit ? phases.fit.last : 0,
        iterations: f.metrics.iterations,
        workers: f.metrics.workers || 1,
        converged: f.metrics.converged,
        inertia: f.metrics.inertia,
        rows: f.rows,
        k: f.k,
        columns: f.columns,
        logged: f.logged || [],
        scale: f.scale,
      };
    },

    // suggest asks the engine how many segments there are
    // (protocol.SuggestParams) and times it from posting to the answer.
    async suggest(params) {
      const { resp, wall } = await engine.request({ op: 'suggest', suggest: params });
      const s = resp.suggest;
      log(`segkit suggest: k = ${s.suggested_k}, ${s.seconds.toFixed(3)} s on ${s.workers || 1} worker(s), ${wall.toFixed(3)} s wall`);
      return {
        seconds: s.seconds,
        wall_seconds: wall,
        workers: s.workers || 1,
        suggested_k: s.suggested_k,
        sample_size: s.sample_size,
        silhouettes: s.scores.map((x) => x.silhouette),
      };
    },

    // startPeer starts the ml-kmeans worker.
    async startPeer(script = 'peer-worker.js') {
      if (peer) {
        peer.terminate();
      }
      peer = new Peer(script);
      return peer.call({ op: 'hello' });
    },

    // loadPeer gives the ml-kmeans worker the rows of a raw little-endian
    // float64 file (the numbers the engine and scikit-learn get), d per row.
    async loadPeer(url, d) {
      const r = await fetch(url);
      if (!r.ok) {
        throw new Error(url + ': HTTP ' + r.status);
      }
      const buf = await r.arrayBuffer();
      const res = await peer.call({ op: 'load', buffer: buf, d }, [buf]);
      log(`ml-kmeans: ${res.rows} rows × ${d}`);
      return res;
    },

    // fitPeer runs one ml-kmeans fit (k-means++ start, seeded) in its worker.
    async fitPeer(params) {
      const res = await peer.call({ op: 'fit', ...params });
      log(`ml-kmeans fit seed ${params.seed}: ${res.seconds.toFixed(3)} s, ${res.iterations} iterations`);
      return res;
    },

    // transfer fetches each named file of the site afresh (no cache) and
    // reads its resource timing: bytes on the wire (transferSize, headers
    // included), the encoded body (what was sent, compressed) and the
    // decoded body.
    async transfer(names) {
      const out = [];
      for (const name of names) {
        const url = new URL(name, location.href).href;
        const r = await fetch(url, { cache: 'no-store' });
        if (!r.ok) {
          throw new Error(name + ': HTTP ' + r.status);
        }
        await r.arrayBuffer();
        const entries = performance.getEntriesByName(url, 'resource');
        const e = entries[entries.length - 1];
        if (!e) {
          throw new Error(name + ': no resource timing entry');
        }
        out.push({
          name,
          transfer_size: e.transferSize,
          encoded_body_size: e.encodedBodySize,
          decoded_body_size: e.decodedBodySize,
          content_encoding: r.headers.get('Content-Encoding') || '',
        });
      }
      return out;
    },

    // stop ends both workers.
    stop() {
      if (engine) {
        engine.terminate();
        engine = null;
      }
      if (peer) {
        peer.terminate();
        peer = null;
      }
      return true;
    },
  };
  document.documentElement.dataset.bench = 'ready';
  log('ready');
})();
