// Package jsonval reads JSON into Go values and writes JSON strings and
// numbers, without reflection, exactly as encoding/json does for the values
// it handles. The edge worker (wasm/edge) uses it so that encoding/json —
// about 160 KB of the worker's gzipped binary — is not linked into it.
//
// Decode reads one JSON value into the values encoding/json's Decoder with
// UseNumber makes of it for an `any`: map[string]any, []any, string,
// json.Number (the literal's text, unrounded), bool and nil. It is strict
// as encoding/json is: one value with optional whitespace around it, the
// JSON grammar for numbers, literals and escapes, no control character in
// a string, at most MaxDepth nested arrays and objects. As encoding/json, it
// replaces each byte of invalid UTF-8 in a string, and each \u escape of a
// lone surrogate, with U+FFFD, and the last of duplicate keys wins. Errors
// say what went wrong and where: ErrEmpty (nothing but whitespace),
// ErrTruncated (the input ends inside the value), ErrTrailing (something
// after the value) or a *SyntaxError with the byte offset.
//
// AppendString and AppendFloat write a string and a float64 byte for byte
// as encoding/json's Marshal writes them: strings HTML-safe (<, >, & as
// \u003c, \u003e, \u0026), U+2028 and U+2029 escaped, invalid UTF-8 as
// \ufffd; floats in the shortest form that reads back to the same value,
// with an exponent only below 1e-6 or from 1e21 on.
package jsonval
