package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/segkit/segkit/web/site"
)

// runServe builds dist/ and serves it with the page's security headers.
func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	noBuild := fs.Bool("no-build", false, "serve dist/ as it is, without building it first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*noBuild {
		if err := buildDist(ctx, distDir); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: site.Handler(distDir), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("serve: segkit is at http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
