package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/internal/edgebuild"
	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/internal/workerd"
)

// runLoadTest builds the edge worker for a k-means model of
// Mall_Customers.csv, serves it with the pinned workerd on 127.0.0.1 and
// sends it real customers: latency at concurrency 1 and 4, requests per
// second, and workerd's memory over a long run. A minimal JavaScript
// worker (the runtime's floor: it reads the body and answers a constant)
// runs the same load in the same run, as the peer. Results go to
// bench-out/edge-loadtest.txt.
func runLoadTest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	n1 := fs.Int("c1", 5000, "requests of the concurrency-1 latency run")
	n4 := fs.Int("c4", 10000, "requests of the concurrency-4 run")
	nmem := fs.Int("memory", 50000, "requests of the memory run (concurrency 4), RSS sampled every tenth")
	warm := fs.Int("warmup", 1000, "requests before anything is measured")
	nShipped := fs.Int("shipped", 500, "requests of each latency run of the baseline: the worker as syumai/workers ships it (a Go runtime per request); 0 skips it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n1 < 100 || *n4 < 100 || *nmem < 10 || *warm < 0 || *nShipped != 0 && *nShipped < 100 {
		return errors.New("loadtest: -c1, -c4 and -shipped need at least 100 requests (-shipped 0 skips the baseline), -memory at least 10")
	}
	if err := ensureNodeModules(ctx); err != nil {
		return err
	}
	bin, err := workerd.Binary(".")
	if err != nil {
		return err
	}
	data, err := shareddata.Locate()
	if err != nil {
		return err
	}
	mall := filepath.Join(data, "Mall_Customers.csv")
	tmp, err := os.MkdirTemp("", "segkit-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	modelPath := filepath.Join(tmp, "mall-k5.json")
	if err := step(ctx, "model: k-means, k 5, on Mall_Customers.csv", nil, "go", "run", "./cmd/segkit", "cluster", mall,
		"--k", "5", "--model", modelPath, "--labels-only", "--out", filepath.Join(tmp, "labels.txt")); err != nil {
		return err
	}
	fmt.Println("==> worker: build")
	res, err := edgebuild.Build(ctx, edgebuild.Options{Model: modelPath, Out: filepath.Join(tmp, "worker")})
	if err != nil {
		return err
	}
	runs := []edgeLoadRun{
		{"segkit worker", filepath.Join(res.Dir, "workerd.capnp"), loadPlan{*warm, *n1, *n4, *nmem}},
	}
	if *nShipped > 0 {
		fmt.Println("==> worker: build as syumai/workers ships it (baseline)")
		shipped, err := edgebuild.Build(ctx, edgebuild.Options{Model: modelPath, Out: filepath.Join(tmp, "shipped"), Shipped: true})
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(shipped.Dir, "workerd.capnp"), []byte(edgebuild.WorkerdConfig(edgebuild.LocalAddr, nil)), 0o644); err != nil {
			return err
		}
		runs = append(runs, edgeLoadRun{"baseline: syumai/workers as shipped (a Go runtime per request)", filepath.Join(shipped.Dir, "workerd.capnp"),
			loadPlan{min(*warm, 50), *nShipped, *nShipped, 0}})
	}
	peerDir := filepath.Join(tmp, "peer")
	if err := writePeer(peerDir); err != nil {
		return err
	}
	recs, err := dataset.ReadRecordsFile(mall, dataset.Options{})
	if err != nil {
		return err
	}
	bodies := make([][]byte, len(recs))
	for i, r := range recs {
		if bodies[i], err = json.Marshal(map[string]any{"customer": r}); err != nil {
			return err
		}
	}
	var report strings.Builder
	fmt.Fprintf(&report, "edge worker load test, %s, workerd from node_modules, 127.0.0.1, Mall_Customers.csv rows (%d, cycled) as POST /v1/assign\n",
		time.Now().UTC().Format("2006-01-02"), len(bodies))
	fmt.Fprintf(&report, "model %s (k-means, k 5); app.wasm %d bytes, %d gzipped (-9)\n", res.ModelID, res.WasmBytes, res.WasmGzip)
	runs = append(runs, edgeLoadRun{"peer: minimal JS worker", filepath.Join(peerDir, "workerd.capnp"), loadPlan{*warm, *n1, *n4, *nmem}})
	for _, w := range runs {
		fmt.Printf("==> loadtest: %s\n", w.name)
		if err := loadOne(ctx, &report, w.name, bin, w.config, bodies, w.plan); err != nil {
			return err
		}
	}
	if err := os.MkdirAll("bench-out", 0o755); err != nil {
		return err
	}
	out := filepath.Join("bench-out", "edge-loadtest.txt")
	if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
		return err
	}
	fmt.Print(report.String())
	fmt.Println("<== loadtest: written to", out)
	return nil
}

// edgeLoadRun is one worker to load: its name in the report, its workerd
// configuration and how many requests of each kind.
type edgeLoadRun struct {
	name, config string
	plan         loadPlan
}

// loadPlan is the number of requests of each part of a load: warm-up, the
// latency runs at concurrency 1 and 4, the memory run (0: none).
type loadPlan struct{ warm, n1, n4, nmem int }

// loadOne runs a load on one worker in a fresh workerd.
func loadOne(ctx context.Context, report io.Writer, name, bin, config string, bodies [][]byte, p loadPlan) error {
	warm, n1, n4, nmem := p.warm, p.n1, p.n4, p.nmem
	srv, err := workerd.Start(ctx, bin, config)
	if err != nil {
		return err
	}
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 30 * time.Second}
	url := srv.URL + "/v1/assign"
	// workerd.Start waited for the first answer of /health, which also
	// started the worker's Go runtime; this is the first assignment after it.
	first, err := load(client, url, bodies, 1, 1)
	if err != nil {
		return err
	}
	rss0, err := srv.RSS()
	if err != nil {
		return err
	}
	if _, err := load(client, url, bodies, warm, 4); err != nil {
		return err
	}
	fmt.Fprintf(report, "\n%s\n  first answer (/health) %.0f ms after starting workerd; the first assignment after it %.2f ms\n", name, ms(srv.Started), ms(first.p50))
	for _, run := range []struct{ n, c int }{{n1, 1}, {n4, 4}} {
		st, err := load(client, url, bodies, run.n, run.c)
		if err != nil {
			return err
		}
		fmt.Fprintf(report, "  c=%d  %6d requests  p50 %.3f ms  p99 %.3f ms  %6.0f requests/s\n",
			run.c, run.n, ms(st.p50), ms(st.p99), st.rps)
	}
	rss1, err := srv.RSS()
	if err != nil {
		return err
	}
	fmt.Fprintf(report, "  memory (VmRSS): %.1f MB after the first request, %.1f MB after warm-up and the latency runs (%d requests)\n",
		mb(rss0), mb(rss1), 1+warm+n1+n4)
	if nmem == 0 {
		return nil
	}
	fmt.Fprintf(report, "  memory run, c=4, %d requests, VmRSS every %d:", nmem, nmem/10)
	var samples []int64
	for range 10 {
		if _, err := load(client, url, bodies, nmem/10, 4); err != nil {
			return err
		}
		rss, err := srv.RSS()
		if err != nil {
			return err
		}
		samples = append(samples, rss)
		fmt.Fprintf(report, " %.1f", mb(rss))
	}
	fmt.Fprintf(report, " MB\n  from the first to the last sample: %+.1f MB (range %.1f–%.1f MB)\n",
		mb(samples[9]-samples[0]), mb(slices.Min(samples)), mb(slices.Max(samples)))
	return nil
}

// stats are the figures of one run.
type stats struct {
	p50, p99 time.Duration
	rps      float64
}

// load sends n requests with c workers, cycling through bodies, and fails
// on any answer other than 200.
func load(client *http.Client, url string, bodies [][]byte, n, c int) (stats, error) {
	if n <= 0 {
		return stats{}, nil
	}
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, c)
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i%len(bodies)]))
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t)
				if err != nil || resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("request %d: status %d: %s %v", i, resp.StatusCode, b, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return stats{}, err
	}
	slices.Sort(lat)
	return stats{p50: lat[n/2], p99: lat[min(n-1, n*99/100)], rps: float64(n) / elapsed.Seconds()}, nil
}

// writePeer writes the peer: a JavaScript worker that reads the body and
// answers a constant assignment, the floor of what any worker costs here.
func writePeer(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js := `export default {
  async fetch(req) {
    await req.text();
    return new Response('{"segment":0,"name":"Peer","distance":0,"model":"peer","ignored":[]}\n',
      { headers: { "Content-Type": "application/json; charset=utf-8" } });
  },
};
`
	config := `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "peer", worker = (modules = [ (name = "peer.mjs", esModule = embed "peer.mjs") ],
                                        compatibilityDate = "` + edgebuild.CompatibilityDate + `")) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "peer") ],
);
`
	if err := os.WriteFile(filepath.Join(dir, "peer.mjs"), []byte(js), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "workerd.capnp"), []byte(config), 0o644)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mb(b int64) float64 { return float64(b) / 1e6 }
