// Package worker runs the engine inside a dedicated Web Worker (js/wasm
// only): segkit.wasm, the page's one binary, calls Run when it starts in a
// worker instead of a window. engine-worker.js starts it, after disabling
// the worker's network APIs, and Run answers the page's messages with
// engine.Handler.
//
// Messages in are {json: "<protocol.Request>", file?: Blob}; a load with a
// Blob is read here in chunks (FileReaderSync) and fed to the handler as
// chunked load requests, reporting progress. Messages out are
// {json: "<protocol.Response>", data?: Uint8Array}, where data carries a
// download (transferred, not copied).
//
// Long fits yield to the worker's event loop at each progress report, so a
// cancel message is read between k-means iterations. The page may also
// simply terminate the worker, which stops it at once.
package worker
