// Package e2e drives the built page (dist/) in Debian's headless Chromium
// with chromedp: the whole journey on a real customer file, bad files,
// cancelling a long run, and a complete network log of the session.
//
// One browser serves the whole test binary (TestMain) and each test has its
// own tab. The site is served from ../dist by web/site.Handler, the handler
// `go run ./cmd/build serve` uses. The browser is told to send every request
// — the page's, the workers', its own, loopback included — through a proxy
// that is that same server, so the server sees and records each one; a
// request for any other origin is recorded and refused. Screenshots and the
// network log are written to e2e/artifacts/ (ignored by git).
//
// The edge worker's tests (edge_test.go) build the worker for a model of
// Mall_Customers.csv as `go run ./cmd/build worker` does, run it in the
// pinned workerd from node_modules on 127.0.0.1, and send it real requests.
//
// Build the site first: `go run ./cmd/build dist` (`go run ./cmd/build test`
// does it before it runs these tests).
package e2e
