// Package engine is segkit's core behind a message protocol (package
// protocol): load a file in chunks, inspect it, segment it, and hand back the
// labelled rows and the model. It is pure Go with no syscall/js, so it is
// tested natively; the js/wasm main in ./worker runs it inside a dedicated
// Web Worker, so heavy work never runs on the page's thread.
//
// A Handler holds one file and its last segmentation. Requests are served
// one at a time, except OpCancel, which cancels a running request through its
// context (k-means checks it between iterations). OpAssign needs no file:
// it assigns records with a saved model (core/model), for the JavaScript
// API.
package engine
