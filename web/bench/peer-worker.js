// The JavaScript peer of segkit's browser benchmark: ml-kmeans (npm, pinned
// in package-lock.json) in a Web Worker. This is the source; `go run
// ./cmd/build bench -browser` bundles it with ml-kmeans (esbuild from
// node_modules) into the served bench folder at run time — the bundle is
// never committed.
//
// Messages in: {id, op: 'hello'}; {id, op: 'load', buffer, d} with a
// transferred ArrayBuffer of little-endian float64 rows; {id, op: 'fit', k,
// seed, tolerance, maxIterations}. Each is answered with {id, ...} or
// {id, error}.
import { kmeans } from 'ml-kmeans';

let data = null; // number[][], one array per row, the shape ml-kmeans takes

function load(buffer, d) {
  const x = new Float64Array(buffer);
  if (!(d > 0) || x.length % d !== 0) {
    throw new Error(`${x.length} values do not make rows of ${d}`);
  }
  const rows = x.length / d;
  data = new Array(rows);
  for (let i = 0; i < rows; i++) {
    data[i] = Array.from(x.subarray(i * d, (i + 1) * d));
  }
  return { rows };
}

// inertia is the sum of squared distances of the rows to their centres,
// computed after the timed fit, to check that every tool solved the same
// problem.
function inertia(res) {
  let s = 0;
  for (let i = 0; i < data.length; i++) {
    const c = res.centroids[res.clusters[i]];
    const row = data[i];
    for (let j = 0; j < row.length; j++) {
      const t = row[j] - c[j];
      s += t * t;
    }
  }
  return s;
}

function fit(m) {
  if (!data) {
    throw new Error('fit before load');
  }
  const start = performance.now();
  const res = kmeans(data, m.k, {
    initialization: 'kmeans++',
    seed: m.seed,
    tolerance: m.tolerance,
    maxIterations: m.maxIterations,
  });
  const seconds = (performance.now() - start) / 1000;
  return { seconds, iterations: res.iterations, converged: res.converged, inertia: inertia(res), rows: data.length };
}

self.onmessage = (e) => {
  const m = e.data;
  try {
    switch (m.op) {
      case 'hello':
        postMessage({ id: m.id, ok: true });
        break;
      case 'load':
        postMessage({ id: m.id, ...load(m.buffer, m.d) });
        break;
      case 'fit':
        postMessage({ id: m.id, ...fit(m) });
        break;
      default:
        throw new Error('unknown op ' + m.op);
    }
  } catch (err) {
    postMessage({ id: m.id, error: String(err && err.stack ? err.stack : err) });
  }
};
