// Package site serves the built page (dist/) the way it must be served: with
// the Content-Security-Policy and the other security headers on every file
// (a dedicated Web Worker takes its policy from its own response, not from
// the page's meta tag), the right Content-Type for WebAssembly, and the
// precompressed .br or .gz files when the browser accepts brotli or gzip. `go run ./cmd/build
// serve` and the e2e tests use the same Handler, and `dist` writes the same
// headers into _headers for static hosts.
package site

import (
	"fmt"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// CSP is the page's Content-Security-Policy. Each directive is there for a
// reason:
//
//   - default-src 'self': anything not named below comes from this origin only.
//   - script-src 'self' 'wasm-unsafe-eval': scripts are files of this origin
//     (no inline script, no eval — Vugu's one eval is answered by segkit.js,
//     see there); 'wasm-unsafe-eval' lets WebAssembly.instantiate compile
//     segkit.wasm, and allows nothing for JavaScript.
//   - connect-src 'self': fetch reaches this origin only — the wasm files and
//     the sample; the worker has no network API at all once started.
//   - img-src 'self' blob:: the favicon, and the PNG download of a chart,
//     which draws the chart's SVG through an Image from a blob: URL made in
//     the page (a blob: URL names memory of this page, not a place on the
//     network); no image comes from elsewhere.
//   - style-src 'self': segkit.css; no inline style is used (Vugu components
//     here use classes only), so 'unsafe-inline' is not needed.
//   - worker-src 'self': the engine worker is engine-worker.js of this origin.
//   - object-src 'none', base-uri 'none', form-action 'none': no plugins, no
//     <base> rewriting of URLs, no form posts anywhere.
//   - frame-ancestors 'self': other sites cannot frame the page (clickjacking);
//     only honoured in a header, so MetaCSP leaves it out.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' blob:; " +
	"style-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// Framable are the files any site may put in a frame: the widget
// (embed.js's iframe) and the JavaScript API's engine frame. They are sent
// with FrameCSP; every other file keeps frame-ancestors 'self'.
var Framable = []string{"/widget.html", "/bridge.html"}

// FrameCSP is CSP with frame-ancestors * instead of 'self', for Framable.
// The framed files get nothing from the embedding page but what it posts to
// them (checked there), and post results back only to the page that sent
// the options or the port; a site that wants to allow only its own pages
// narrows frame-ancestors in _headers.
var FrameCSP = strings.Replace(CSP, "frame-ancestors 'self'", "frame-ancestors *", 1)

// MetaCSP is CSP as index.html's meta tag carries it: without
// frame-ancestors, which browsers ignore (with a warning) in a meta tag.
func MetaCSP() string {
	var keep []string
	for _, d := range strings.Split(CSP, "; ") {
		if !strings.HasPrefix(d, "frame-ancestors ") {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, "; ")
}

// Headers are sent with every file.
var Headers = map[string]string{
	"Content-Security-Policy":    CSP,
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "no-referrer",
	"Cross-Origin-Opener-Policy": "same-origin",
	"Permissions-Policy":         "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

// HeadersFile returns the _headers file for static hosts (Cloudflare Pages,
// Netlify): the same headers on every path, and the wasm Content-Type.
// Those hosts compress on the fly, so the .gz files are only for Handler.
func HeadersFile() string {
	var b strings.Builder
	b.WriteString("/*\n")
	keys := make([]string, 0, len(Headers))
	for k := range Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s: %s\n", k, Headers[k])
	}
	b.WriteString("/*.wasm\n  Content-Type: application/wasm\n")
	// Cloudflare Pages joins two values of one header with a comma (two
	// policies, both enforced), so the framable files first detach the
	// policy of /* ("! Name") and then set their own.
	for _, p := range Framable {
		fmt.Fprintf(&b, "%s\n  ! Content-Security-Policy\n  Content-Security-Policy: %s\n", p, FrameCSP)
	}
	return b.String()
}

// contentTypes are set explicitly, not left to the system's MIME tables.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".csv":  "text/csv; charset=utf-8",
	".json": "application/json",
	".ts":   "text/plain; charset=utf-8", // segkit.d.ts (the system table says MPEG transport stream)
}

// Handler serves the files of dir. Only GET and HEAD are allowed; "/" is
// index.html; hidden files, folders and the .br and .gz copies themselves
// are not served; a file with a .br (brotli) or .gz copy beside it is sent
// compressed to a browser that accepts that encoding, brotli first (a
// quarter smaller for the wasm).
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range Headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := path.Clean("/" + r.URL.Path)
		if name == "/" {
			name = "/index.html"
		}
		if slices.Contains(Framable, name) {
			w.Header().Set("Content-Security-Policy", FrameCSP)
		}
		base := path.Base(name)
		if strings.HasPrefix(base, ".") || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			http.NotFound(w, r)
			return
		}
		file := filepath.Join(dir, filepath.FromSlash(name))
		fi, err := os.Stat(file)
		if err != nil || !fi.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		ext := path.Ext(name)
		ct := contentTypes[ext]
		if ct == "" {
			ct = mime.TypeByExtension(ext)
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Add("Vary", "Accept-Encoding")
		for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !accepts(r, enc.name) {
				continue
			}
			if c, err := os.Open(file + enc.ext); err == nil {
				defer c.Close()
				if cfi, err := c.Stat(); err == nil {
					w.Header().Set("Content-Encoding", enc.name)
					http.ServeContent(w, r, name, cfi.ModTime(), c)
					return
				}
			}
		}
		f, err := os.Open(file)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, name, fi.ModTime(), f)
	})
}

// accepts reports whether the request's Accept-Encoding lists encoding
// (without q=0).
func accepts(r *http.Request, encoding string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == encoding && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
