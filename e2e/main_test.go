package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/web/site"
)

const (
	distDir      = "../dist"
	artifactsDir = "artifacts"
)

var (
	siteURL  string // http://127.0.0.1:port
	siteHost string // 127.0.0.1:port
	// hostURL and hostHost are a second origin, another port: the pages of
	// e2e/testdata/host that embed the widget and use the JavaScript API
	// (widget_test.go).
	hostURL    string
	hostHost   string
	hostServer http.Handler
	// offlineHost is a third origin serving the site while offlineUp is
	// set; then the proxy drops its requests as a gone server would
	// (offline_test.go).
	offlineHost string
	offlineUp   atomic.Bool
	browserCtx  context.Context
	netlog      = &requestLog{}
	// atExit are run after the last test: they remove what tests built
	// once for all of them (the edge worker's folder).
	atExit []func()
)

// request is one request the browser sent through the proxy.
type request struct {
	Time   time.Time
	Method string
	URI    string // as sent: absolute-form through the proxy
	Host   string
	Fetch  string // Sec-Fetch-Mode: set by the browser on every request a page or worker makes
	Status int
}

// requestLog records every request that reaches the server.
type requestLog struct {
	mu   sync.Mutex
	reqs []request
}

func (l *requestLog) add(r request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r)
	l.mu.Unlock()
}

// since returns the requests from index i on.
func (l *requestLog) since(i int) []request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]request(nil), l.reqs[min(i, len(l.reqs)):]...)
}

func (l *requestLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// proxy is the test server: the site for its own origin, reached directly or
// as a proxy (absolute-form requests), and a recorded refusal for every
// other origin (including CONNECT tunnels for https).
func proxy(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			netlog.add(request{Time: time.Now(), Method: r.Method, URI: r.RequestURI, Host: r.Host,
				Fetch: r.Header.Get("Sec-Fetch-Mode"), Status: sw.status})
		}()
		if r.Method != http.MethodConnect && r.Host == hostHost {
			hostServer.ServeHTTP(sw, r)
			return
		}
		if r.Method != http.MethodConnect && r.Host == offlineHost {
			if !offlineUp.Load() {
				sw.status = 0 // no answer at all
				panic(http.ErrAbortHandler)
			}
			h.ServeHTTP(sw, r)
			return
		}
		if r.Method == http.MethodConnect || r.Host != siteHost {
			http.Error(sw, "segkit e2e: only the site's own origin may be reached", http.StatusForbidden)
			return
		}
		h.ServeHTTP(sw, r)
	})
}

// chromiumServices are the hosts Chromium contacts on its own even with every
// background service switched off that a flag can switch off (sign-in cookie
// checks, the component updater). Requests to them are written to the log
// but not counted against the page when they are not web requests: a plain
// HTTP one without Sec-Fetch-Mode, which every request of a page or worker
// carries, or an HTTPS tunnel (CONNECT), whose headers the proxy cannot see.
// The page could not reach them anyway: its CSP allows connect-src 'self'
// only, and TestNetworkLog also checks the page's own requests through the
// DevTools protocol.
var chromiumServices = map[string]bool{
	"accounts.google.com": true, "update.googleapis.com": true, "clients2.google.com": true,
	"optimizationguide-pa.googleapis.com": true,
}

func chromiumService(r request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return chromiumServices[host] && r.Fetch == ""
}

// sameOriginAsset reports why r is not a same-origin GET of a file of dist/,
// or "" when it is one.
func sameOriginAsset(r request) string {
	if r.Method != http.MethodGet {
		return "method " + r.Method
	}
	if r.Host != siteHost && r.Host != offlineHost {
		return "another origin: " + r.Host
	}
	path := r.URI
	if strings.HasPrefix(path, "http://") {
		path = strings.TrimPrefix(path, "http://"+r.Host)
	}
	if strings.ContainsAny(path, "?#") {
		return "a query string (data could ride on it)"
	}
	if path == "/" {
		return ""
	}
	fi, err := os.Stat(filepath.Join(distDir, filepath.FromSlash(path)))
	if err != nil || !fi.Mode().IsRegular() {
		return "not a file of the site"
	}
	return ""
}

// chromiumBinary returns Debian's Chromium binary itself, not its
// /usr/bin/chromium launcher: the launcher exports Google API keys and turns
// on remote extension updates (/etc/chromium.d), which make the browser talk
// to Google's sign-in and update servers on its own, noise in the network log.
func chromiumBinary() (string, error) {
	const debian = "/usr/lib/chromium/chromium"
	if _, err := os.Stat(debian); err == nil {
		return debian, nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", fmt.Errorf("chromium is missing: apt-get install -y chromium (go run ./cmd/build test installs it)")
	}
	return p, nil
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if _, err := os.Stat(filepath.Join(distDir, "index.html")); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: no site in ../dist: build it with `go run ./cmd/build dist` first")
		return 1
	}
	chromium, err := chromiumBinary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if err := os.MkdirAll(artifactsDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	siteHost = ln.Addr().String()
	siteURL = "http://" + siteHost
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: proxy(site.Handler(distDir))}}
	srv.Start()
	defer srv.Close()
	hostSrv := httptest.NewServer(hostPages())
	defer hostSrv.Close()
	hostURL, hostHost, hostServer = hostSrv.URL, hostSrv.Listener.Addr().String(), hostSrv.Config.Handler
	// The offline origin: a loopback port nothing listens on (the proxy
	// answers for it), so the service worker's origin is a secure context.
	off, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	offlineHost = off.Addr().String()
	off.Close()
	offlineUp.Store(true)

	profile, err := os.MkdirTemp("", "segkit-e2e-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		// Keep Chromium's own services quiet, so that the log holds only what
		// the page and its workers asked for: no updater, time, sign-in,
		// optimisation-guide or field-trial traffic.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,OptimizationHints,OptimizationHintsFetching,"+
			"OptimizationGuideModelDownloading,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater,"+
			"NetworkTimeServiceQuerying,AutofillServerCommunication,InterestFeedContentSuggestions,LensOverlay,"+
			"AccountConsistency,ChromeSignin,SigninInterception,PrivacySandboxSettings4,TrustTokens,"+
			"ComponentUpdaterService,SafeBrowsingRealTimeUrlLookup"),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("safebrowsing-disable-download-protection", true),
		chromedp.Flag("disable-signin-promo", true),
		chromedp.Flag("allow-browser-signin", "false"),
		chromedp.Env("GOOGLE_API_KEY=no", "GOOGLE_DEFAULT_CLIENT_ID=no", "GOOGLE_DEFAULT_CLIENT_SECRET=no"),
		chromedp.Flag("disable-field-trial-config", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-component-extensions-with-background-pages", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("no-service-autorun", true),
		// Every request, loopback included, goes through the test server.
		chromedp.Flag("proxy-server", siteURL),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		fmt.Fprintln(os.Stderr, "e2e: chromium did not start:", err)
		return 1
	}
	browserCtx = ctx

	code := m.Run()
	for _, f := range atExit {
		f()
	}

	// The whole run, every test: nothing but same-origin static files.
	var bad []string
	var log strings.Builder
	for _, r := range netlog.since(0) {
		fmt.Fprintf(&log, "%s %s %s (host %s) -> %d\n", r.Time.Format("15:04:05.000"), r.Method, r.URI, r.Host, r.Status)
		if chromiumService(r) {
			fmt.Fprintf(&log, "    (Chromium's own service, not the page: refused)\n")
			continue
		}
		if r.Host == hostHost {
			if why := hostAsset(r); why != "" {
				bad = append(bad, fmt.Sprintf("%s %s: %s", r.Method, r.URI, why))
			}
			continue
		}
		if why := sameOriginAsset(r); why != "" {
			bad = append(bad, fmt.Sprintf("%s %s: %s", r.Method, r.URI, why))
		}
	}
	os.WriteFile(filepath.Join(artifactsDir, "network-log-all.txt"), []byte(log.String()), 0o644)
	if len(bad) > 0 {
		fmt.Fprintf(os.Stderr, "e2e: FAIL: requests other than same-origin static files during the run:\n  %s\n", strings.Join(bad, "\n  "))
		if code == 0 {
			code = 1
		}
	}
	return code
}

// tab opens a new tab for a test, with a deadline; it fails the test at the
// end if the page logged an exception, a Go panic or a Content-Security-Policy
// violation.
func tab(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(browserCtx)
	if err := chromedp.Do(tabCtx); err != nil { // opens the tab
		cancelTab()
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, timeout)
	messages := chromedp.Console(tabCtx)
	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			text := m.Text
			if m.IsException() || strings.Contains(text, "Content Security Policy") || strings.Contains(text, "Content-Security-Policy") ||
				strings.HasPrefix(text, "panic:") || strings.HasPrefix(text, "fatal error:") {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s: %s (%s:%d)", m.Type, text, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		cancelTab()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("console: %s", p)
		}
	})
	return ctx
}

// screenshot saves a full-page screenshot as an artefact.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(artifactsDir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot: e2e/%s", path)
}
