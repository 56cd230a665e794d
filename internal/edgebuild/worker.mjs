// segkit's worker entry point; `go run ./cmd/build worker` writes it in
// place of the worker.mjs that `workers-assets-gen -mode=go` generates
// (github.com/syumai/workers v0.33.0), and keeps that tool's wasm_exec.js
// and runtime.mjs.
//
// The generated entry point starts a new Go runtime for every request
// (~9 ms each). This one starts one per isolate and serves every request
// from it: the Go side (wasm/edge/worker) calls workers.ServeNonBlock and
// workers.Ready and then stays alive. If that runtime ever exits (a fatal
// error), requests in flight get a 500 JSON answer and the next request
// starts a new one.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

// The library's Go side calls this to catch JavaScript exceptions.
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

// The Go runtime of this isolate: { go, ready: Promise<binding>, pending }.
let current;

function start(env, ctx) {
  const go = new Go();
  const binding = {};
  let ready;
  const readyPromise = new Promise((resolve) => {
    ready = resolve;
  });
  // pending holds a function per request in flight that answers it with a
  // 500 if the runtime exits first. (Racing each request against one
  // never-settling "exited" promise would leak: every race leaves a
  // reaction on that promise that holds the request's answer.)
  const app = { go, pending: new Set() };
  app.ready = (async () => {
    const instance = new WebAssembly.Instance(await loadModule(), {
      ...go.importObject,
      workers: { ready: () => ready() },
    });
    // The runtime context (env, ctx) is the first request's: the Go side
    // reads only env, once, when it starts, and env is the same for every
    // request of an isolate.
    const exited = go.run(instance, createRuntimeContext({ env, ctx, binding })).then(() => {
      for (const fail of app.pending) {
        fail();
      }
      app.pending.clear();
    });
    await Promise.race([readyPromise, exited]);
    if (go.exited) {
      throw new Error("the Go runtime exited while starting (see the log)");
    }
    return binding;
  })();
  // A runtime that cannot start is dropped, so the next request tries again.
  app.ready.catch(() => {
    if (current === app) {
      current = undefined;
    }
  });
  return app;
}

function internalError() {
  return new Response('{"error":{"code":"internal","message":"internal error"}}\n', {
    status: 500,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function fetch(req, env, ctx) {
  if (current === undefined || current.go.exited) {
    current = start(env, ctx);
  }
  const app = current;
  try {
    const binding = await app.ready;
    // A runtime that dies while serving never settles its promises: such a
    // request is answered 500 instead of hanging.
    return await new Promise((resolve, reject) => {
      const fail = () => resolve(internalError());
      app.pending.add(fail);
      binding
        .handleRequest(req)
        .then(resolve, reject)
        .finally(() => app.pending.delete(fail));
    });
  } catch (e) {
    console.error("segkit edge:", e);
    return internalError();
  }
}

export default { fetch };
