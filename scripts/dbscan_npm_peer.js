// The npm library density-clustering (1.3.0, pinned in package-lock.json) as
// the JavaScript peer of segkit's DBSCAN, run by `go run ./cmd/build
// bench-dbscan`.
//
// Usage: node scripts/dbscan_npm_peer.js FILE D ROWS EPS MIN_PTS
//
// FILE holds raw little-endian float64 rows of D values (as
// synth.WriteFloat64 writes them); the first ROWS rows are clustered with
// new DBSCAN().run(rows, EPS, MIN_PTS) — Euclidean distance, a neighbourhood
// of the points closer than EPS, the point itself included, as segkit and
// scikit-learn count it. Prints one JSON line: the seconds of run() alone,
// the number of clusters and noise points, and every row's label (-1: noise).
"use strict";
const fs = require("fs");
const { DBSCAN } = require("density-clustering");

const [file, dArg, rowsArg, epsArg, minPtsArg] = process.argv.slice(2);
const d = Number(dArg), rows = Number(rowsArg), eps = Number(epsArg), minPts = Number(minPtsArg);
if (!file || !(d > 0) || !(rows > 0) || !(eps > 0) || !(minPts > 0)) {
  console.error("usage: node scripts/dbscan_npm_peer.js FILE D ROWS EPS MIN_PTS");
  process.exit(2);
}
const buf = fs.readFileSync(file);
const all = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
if (all.length < rows * d) {
  console.error(`${file} holds ${all.length / d} rows of ${d} values, fewer than ${rows}`);
  process.exit(1);
}
const points = [];
for (let i = 0; i < rows; i++) points.push(Array.from(all.subarray(i * d, i * d + d)));

const start = process.hrtime.bigint();
const db = new DBSCAN();
const clusters = db.run(points, eps, minPts);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const labels = new Array(rows).fill(-1);
clusters.forEach((members, c) => members.forEach((p) => { labels[p] = c; }));
console.log(JSON.stringify({ rows, seconds, clusters: clusters.length, noise: db.noise.length, labels }));
