package edgebuild

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildRefusesBadModels: a bad model file is a clear error before
// anything is built, and the output folder is not created.
func TestBuildRefusesBadModels(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, model, want string
	}{
		{"missing file", filepath.Join(dir, "nope.json"), "no such file"},
		{"not JSON", write("text.json", "segments: 3\n"), "text.json"},
		{"not a model", write("other.json", `{"format": "something-else", "version": 1}`), "other.json"},
		{"truncated", write("cut.json", `{"format": "segkit-model", "version": 1, "pipeline": {`), "cut.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "-"))
			_, err := Build(context.Background(), Options{Model: c.model, Out: out, Root: "../.."})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "edgebuild: ") {
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("%s exists after a failed build", out)
			}
			if entries, _ := filepath.Glob(filepath.Join(dir, ".out-*")); len(entries) > 0 {
				t.Fatalf("temporary folders left: %q", entries)
			}
		})
	}
}

// TestReplaceable: the output folder may be absent, empty or an earlier
// build; anything else is refused, so a build never deletes a user's files.
func TestReplaceable(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, files ...string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(p, f), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dir string
		ok        bool
	}{
		{"absent", filepath.Join(dir, "absent"), true},
		{"empty", mk("empty"), true},
		{"earlier build", mk("earlier", marker, "wrangler.toml"), true},
		{"someone's folder", mk("docs", "notes.txt"), false},
		{"a file", file, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := replaceable(c.dir); (err == nil) != c.ok {
				t.Fatalf("replaceable(%s) = %v, want ok %v", c.dir, err, c.ok)
			}
		})
	}
}

// TestInstall: a finished build replaces an earlier one whole (no old file
// survives) and fills an empty or absent folder.
func TestInstall(t *testing.T) {
	for _, existing := range []string{"absent", "empty", "earlier"} {
		t.Run(existing, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "worker")
			switch existing {
			case "empty":
				os.Mkdir(out, 0o755)
			case "earlier":
				os.Mkdir(out, 0o755)
				os.WriteFile(filepath.Join(out, "stale.txt"), []byte("old"), 0o644)
			}
			tmp := filepath.Join(dir, ".worker.tmp-1")
			os.Mkdir(tmp, 0o755)
			os.WriteFile(filepath.Join(tmp, "wrangler.toml"), []byte("new"), 0o644)
			if err := install(tmp, out); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(out)
			if err != nil || len(entries) != 1 || entries[0].Name() != "wrangler.toml" {
				t.Fatalf("%s holds %v (%v), want only wrangler.toml", out, entries, err)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".worker*")); len(left) > 0 {
				t.Fatalf("left behind: %q", left)
			}
		})
	}
}

// TestWorkerdConfig: settings become text bindings, quoted, in name order;
// the modules are the four files of build/.
func TestWorkerdConfig(t *testing.T) {
	cases := []struct {
		name string
		vars map[string]string
		want []string
	}{
		{"none", nil, []string{"bindings = [\n  ],"}},
		{"both", map[string]string{EnvBearerToken: `to"ken`, EnvAllowedOrigins: "https://a.example,https://b.example"},
			[]string{"bindings = [\n    (name = \"SEGKIT_ALLOWED_ORIGINS\", text = \"https://a.example,https://b.example\"),\n    (name = \"SEGKIT_BEARER_TOKEN\", text = \"to\\\"ken\")\n  ],"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := WorkerdConfig("127.0.0.1:9999", c.vars)
			want := append(c.want, `address = "127.0.0.1:9999"`, `esModule = embed "build/worker.mjs"`,
				`esModule = embed "build/runtime.mjs"`, `esModule = embed "build/wasm_exec.js"`, `wasm = embed "build/app.wasm"`,
				`compatibilityDate = "`+CompatibilityDate+`"`)
			for _, w := range want {
				if !strings.Contains(cfg, w) {
					t.Errorf("config lacks %q:\n%s", w, cfg)
				}
			}
		})
	}
}
