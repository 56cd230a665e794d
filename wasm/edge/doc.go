// Package edge is the edge endpoint: an http.Handler that assigns customers
// to the segments of a saved model (core/model). It has no build tags and
// no syscall/js, so it is tested natively with net/http/httptest; a small
// js/wasm main (wasm/edge/worker) serves it from a Cloudflare Worker.
// Request bodies are decoded by internal/jsonval (strict, and the values
// encoding/json's Decoder with UseNumber gives) and answers are written by
// hand, byte for byte as encoding/json's Marshal writes them, so the
// worker's binary holds no encoding/json.
//
// # API
//
//	POST /v1/assign        {"customer": {"Fresh": "12669", "Milk": 9656, ...}}
//	  → 200 {"segment": 2, "name": "Segment 3", "distance": 0.83,
//	         "probabilities": [...], "model": "<id>", "ignored": ["email"]}
//	POST /v1/assign/batch  {"customers": [{...}, ...]}   (at most Options.MaxBatch)
//	  → 200 {"results": [<the same objects>], "model": "<id>"}
//	GET  /v1/model         → id, format, version, algorithm, k, features,
//	                          input_columns, segments (id, name, size,
//	                          description, features), probabilities (bool)
//	GET  /health           → {"status": "ok", "model": "<id>"}
//
// A customer holds raw fields by column name, as in the original file:
// strings (read like the CSV reader reads a cell: "NA", "?", "NaN", "" and
// the other missing tokens are missing; "Inf", "1e400" and other text
// that is not a finite number is 422 bad_value, as the reader would not
// read it as a number), numbers (decoded as json.Number,
// so large integers and exact decimals reach the pipeline unrounded), bool
// (categorical columns only) and null. The answer is exactly
// model.Predict's on the same record — the answer of `segkit assign` and
// of the page. "probabilities" is present only for models that have them
// (Gaussian mixtures). Segment -1 is noise (name "Noise", density models).
// "ignored" lists, sorted, the fields the model does not read (always an
// array, possibly empty).
//
// Fallback rules (200, no error): a missing field — absent, null or a
// missing token — is filled with the value fitted in training (median or
// mean, most frequent category), unless the model was fitted with
// ImputeDrop, then it is 422 missing_field. A category never seen in
// training gives an all-zero one-hot group (or the "unseen" code for
// code-encoded columns), so the customer goes to the segment nearest on its
// other features. JSON has no NaN or Infinity: the string "NaN" is a
// missing token (imputed, as in a file), a number literal beyond the
// float64 range is 422 not_finite, and a value that becomes infinite in the
// pipeline is 422 not_finite too.
//
// # Errors
//
// Every error is JSON {"error": {"code", "message", "field"}}; field is
// present when one field is at fault, as a path: "customer.Age",
// "customers[3].Age", "customers". Codes and statuses are stable:
//
//	400 bad_json                malformed JSON, empty body, data after the object
//	400 bad_request             body not an object; "customer" missing or not an
//	                            object; "customers" missing or not an array, or an
//	                            element not an object
//	401 unauthorized            missing or wrong bearer token (with WWW-Authenticate)
//	404 not_found               unknown path
//	405 method_not_allowed      wrong method (with Allow)
//	413 too_large               body over Options.MaxBodyBytes
//	413 batch_too_large         more than Options.MaxBatch customers
//	415 unsupported_media_type  Content-Type not application/json (charset utf-8 allowed)
//	422 missing_field           a missing value the model cannot impute (ImputeDrop)
//	422 bad_type                an object or array as a field value; a bool for a
//	                            non-categorical column
//	422 bad_value               a string that is not a number (or date) of its column
//	422 not_finite              a number out of range, or one that becomes non-finite
//	422 invalid_input           the prepared features were refused by the algorithm
//	500 internal                anything else, including a recovered panic
//
// Checks run in this order: path (404), OPTIONS (204), token (401), method
// (405), content type (415), body size (413: the body is read whole
// first), JSON (400), shape (400), then each field in input-column order
// (422).
//
// A batch is all or nothing: the first bad customer fails the whole request
// with its index in the field ("customers[3].Age"), so a client never has to
// match partial results to inputs.
//
// # Limits, authentication, CORS
//
// Bodies are read through http.MaxBytesReader (Options.MaxBodyBytes, 1 MiB
// by default); a batch holds at most Options.MaxBatch customers (1,000).
// With Options.BearerToken set, every /v1/ request must carry
// "Authorization: Bearer <token>" (compared in constant time); /health and
// OPTIONS need none. For an origin in Options.AllowedOrigins (exact match,
// or "*" for any), OPTIONS answers 204 with Access-Control-Allow-Origin,
// -Methods, -Headers (Content-Type, Authorization) and -Max-Age, and other
// answers carry Access-Control-Allow-Origin; with origins configured every
// answer has Vary: Origin. Other origins get no CORS header, so browsers
// block them. A panic in the handler is recovered and answered 500
// internal; it never kills the isolate.
package edge
