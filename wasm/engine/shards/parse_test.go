package shards

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

// TestParts checks the parse messages: a file read in parts on helpers is
// Read's table, and a malformed job comes back as the helper's error.
func TestParts(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,segment,spend\n")
	for i := range 500_000 { // 9 MB: three parts of at least 2 MiB
		b.WriteString("c")
		b.WriteString(strings.Repeat("7", 1+i%5))
		b.WriteString([]string{",gold,", ",silver,", ",bronze,"}[i%3])
		b.WriteString("12.5\n")
	}
	data := []byte(b.String())
	want, err := dataset.Read(bytes.NewReader(data), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := newGoTransport(2)
	defer tr.close()
	got, joined, err := dataset.ReadSplit(data, dataset.Options{}, 3, tr.client.Parts(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	if joined != 3 {
		t.Errorf("%d parts joined, want 3", joined)
	}
	if tr.sent[msgParse] != 2 {
		t.Errorf("%d parse messages, want 2", tr.sent[msgParse])
	}
	if got.Rows != want.Rows || len(got.Columns) != len(want.Columns) {
		t.Fatalf("%d×%d, want %d×%d", got.Rows, len(got.Columns), want.Rows, len(want.Columns))
	}
	for j, c := range want.Columns {
		g := got.Columns[j]
		if g.Kind != c.Kind || g.Text(0) != c.Text(0) || g.Text(want.Rows-1) != c.Text(want.Rows-1) {
			t.Errorf("%s: %v %q…%q, want %v %q…%q", c.Name, g.Kind, g.Text(0), g.Text(want.Rows-1), c.Kind, c.Text(0), c.Text(want.Rows-1))
		}
	}

	wait, err := tr.client.Parts(context.Background()).Start([]dataset.PartJob{{Head: []byte("not a job"), Data: []byte("a,b\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wait(); err == nil || !strings.Contains(err.Error(), "helper 1: dataset: malformed part job") {
		t.Errorf("a malformed job: %v", err)
	}
	// A message too short for its head's length.
	tr.client.seq++
	if out := tr.servers[0].Handle(append(tr.client.header(msgParse), 200)); out[0] != msgError {
		t.Errorf("a cut parse message answered %q", out[0])
	}
	if _, err := tr.client.Parts(context.Background()).Start(make([]dataset.PartJob, 3)); err == nil {
		t.Error("three parts for two helpers were taken")
	}
}
