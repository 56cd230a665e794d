// Package shareddata locates the public data sets that tests and benchmarks
// read in place (customer files and the labelled clustering benchmarks).
//
// The location is one setting: the SEGKIT_DATA environment variable, or by
// default the folder shared/data beside the repository (../shared/data from the
// repository root). Only the UCI files may be copied into this repository; the
// rest are read from there.
package shareddata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that points at the data folder.
const EnvVar = "SEGKIT_DATA"

// ErrMissing reports that the data folder could not be found.
var ErrMissing = errors.New("shareddata: data folder not found")

// Locate returns the data folder, or ErrMissing with a message saying how to
// provide it.
func Locate() (string, error) {
	if dir := os.Getenv(EnvVar); dir != "" {
		if isDir(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("%w: %s=%q is not a folder", ErrMissing, EnvVar, dir)
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "..", "shared", "data")
	if isDir(dir) {
		return filepath.Clean(dir), nil
	}
	return "", fmt.Errorf("%w: looked in %s; set %s to the folder holding the shared data sets "+
		"(Mall_Customers.csv, bench/index.csv, ...)", ErrMissing, filepath.Clean(dir), EnvVar)
}

// Dir returns the data folder for a test or benchmark. When it is missing the
// test fails under CI=true (CI must have the data) and is skipped elsewhere,
// with a message saying how to get the data.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := Locate()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%v", err)
		}
		tb.Skipf("skipping: %v", err)
	}
	return dir
}

// Path returns the path of a file inside the data folder (see Dir).
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// RepoRoot returns the repository's root: the first folder holding go.mod
// at or above the working directory (a test's package folder).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod above the working directory; set %s", ErrMissing, EnvVar)
		}
		dir = parent
	}
}
