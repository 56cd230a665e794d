package site

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", "<!doctype html>")
	write("gzonly.wasm", "\x00asm plain")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\x00asm plain"))
	zw.Close()
	write("gzonly.wasm.gz", gz.String())
	write("segkit.wasm", "\x00asm segkit")
	write("segkit.wasm.gz", gz.String())
	write("segkit.wasm.br", "brotli bytes")
	write(".secret", "no")
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)

	h := Handler(dir)
	tests := []struct {
		method, path, accept string
		status               int
		ctype, encoding      string
	}{
		{"GET", "/", "", 200, "text/html; charset=utf-8", ""},
		{"GET", "/gzonly.wasm", "", 200, "application/wasm", ""},
		{"GET", "/gzonly.wasm", "gzip, deflate, br", 200, "application/wasm", "gzip"},
		{"GET", "/gzonly.wasm", "gzip;q=0", 200, "application/wasm", ""},
		{"HEAD", "/gzonly.wasm", "", 200, "application/wasm", ""},
		{"GET", "/gzonly.wasm", "br", 200, "application/wasm", ""}, // no .br copy: as it is
		{"GET", "/segkit.wasm", "gzip, deflate, br, zstd", 200, "application/wasm", "br"},
		{"GET", "/segkit.wasm", "gzip, br;q=0", 200, "application/wasm", "gzip"},
		{"GET", "/segkit.wasm", "gzip", 200, "application/wasm", "gzip"},
		{"GET", "/gzonly.wasm.gz", "", 404, "", ""},
		{"GET", "/segkit.wasm.br", "br", 404, "", ""},
		{"GET", "/.secret", "", 404, "", ""},
		{"GET", "/sub", "", 404, "", ""},
		{"GET", "/../etc/passwd", "", 404, "", ""},
		{"GET", "/missing.js", "", 404, "", ""},
		{"POST", "/", "", 405, "", ""},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
			continue
		}
		if got := res.Header.Get("Content-Security-Policy"); got != CSP {
			t.Errorf("%s %s: CSP %q", tt.method, tt.path, got)
		}
		if tt.status != 200 {
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tt.ctype {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, got, tt.ctype)
		}
		if got := res.Header.Get("Content-Encoding"); got != tt.encoding {
			t.Errorf("%s %s (%s): Content-Encoding %q, want %q", tt.method, tt.path, tt.accept, got, tt.encoding)
		}
		if tt.encoding == "br" {
			if b, _ := io.ReadAll(res.Body); string(b) != "brotli bytes" {
				t.Errorf("%s (%s): body %q, want the .br copy", tt.path, tt.accept, b)
			}
		}
		if tt.path == "/gzonly.wasm" && tt.method == "GET" {
			body := io.Reader(res.Body)
			if tt.encoding == "gzip" {
				zr, err := gzip.NewReader(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			b, _ := io.ReadAll(body)
			if string(b) != "\x00asm plain" {
				t.Errorf("body %q", b)
			}
		}
	}
}

func TestMetaCSP(t *testing.T) {
	m := MetaCSP()
	if strings.Contains(m, "frame-ancestors") || !strings.Contains(m, "connect-src 'self'") {
		t.Fatalf("MetaCSP() = %q", m)
	}
	if !strings.Contains(HeadersFile(), "Content-Security-Policy: "+CSP+"\n") {
		t.Fatalf("_headers:\n%s", HeadersFile())
	}
}

// TestFramable: the widget and the API's engine frame may be framed by any
// site; every other file only by the site itself. The policies differ in
// frame-ancestors only.
func TestFramable(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"index.html", "widget.html", "bridge.html", "embed.js"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path, ancestors string
	}{
		{"/", "frame-ancestors 'self'"},
		{"/index.html", "frame-ancestors 'self'"},
		{"/embed.js", "frame-ancestors 'self'"},
		{"/widget.html", "frame-ancestors *"},
		{"/bridge.html", "frame-ancestors *"},
		{"/./widget.html", "frame-ancestors *"},
	}
	h := Handler(dir)
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		csp := rec.Result().Header.Get("Content-Security-Policy")
		if !strings.HasSuffix(csp, "; "+tt.ancestors) || strings.Count(csp, "frame-ancestors") != 1 {
			t.Errorf("%s: CSP %q, want it to end in %q", tt.path, csp, tt.ancestors)
		}
		if strings.Replace(csp, tt.ancestors, "", 1) != strings.Replace(CSP, "frame-ancestors 'self'", "", 1) {
			t.Errorf("%s: CSP %q differs from the page's in more than frame-ancestors", tt.path, csp)
		}
	}
	hf := HeadersFile()
	for _, p := range Framable {
		want := p + "\n  ! Content-Security-Policy\n  Content-Security-Policy: " + FrameCSP + "\n"
		if !strings.Contains(hf, want) {
			t.Errorf("_headers lacks\n%s\nin\n%s", want, hf)
		}
	}
}
