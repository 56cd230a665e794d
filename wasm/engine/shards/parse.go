package shards

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/segkit/segkit/core/dataset"
)

// Parse message types (see the package documentation).
const (
	msgParse  = 'P'
	msgParsed = 'D'
)

// Helpers returns the number of helper workers the client can use.
func (c *Client) Helpers() int { return c.helpers }

// Parts returns a dataset.PartParser that parses a file's parts on the
// helpers, one part each, for dataset.ReadSplit; waiting for them ends with
// ctx.
func (c *Client) Parts(ctx context.Context) dataset.PartParser {
	return partParser{c, ctx}
}

type partParser struct {
	c   *Client
	ctx context.Context
}

// Start sends job i to helper i and returns the wait for their parts. A
// message is the job's Head with its length, then its Data (sent from the
// file's own bytes, not copied into the message first).
func (p partParser) Start(jobs []dataset.PartJob) (func() ([][]byte, error), error) {
	c := p.c
	if len(jobs) > c.helpers {
		return nil, fmt.Errorf("shards: %d parts for %d helpers", len(jobs), c.helpers)
	}
	c.seq++
	c.used, c.local = len(jobs), nil
	for h, job := range jobs {
		head := append(binary.AppendUvarint(c.header(msgParse), uint64(len(job.Head))), job.Head...)
		if err := c.t.Send(h, head, job.Data); err != nil {
			return nil, fmt.Errorf("helper %d: %w", h+1, err)
		}
	}
	return func() ([][]byte, error) { return c.collect(p.ctx, msgParsed) }, nil
}

// parse answers a parse message: the part parsed (dataset.ParsePart).
func (s *Server) parse(job []byte) (typ byte, body []byte) {
	n, k := binary.Uvarint(job)
	if k <= 0 || n > uint64(len(job)-k) {
		return msgError, []byte("a malformed parse message")
	}
	out, err := dataset.ParsePart(job[k:k+int(n)], job[k+int(n):])
	if err != nil {
		return msgError, []byte(err.Error())
	}
	return msgParsed, out
}
