// Command segkit segments customers from the command line with the same core
// that runs in the browser.
//
//	segkit inspect FILE [--json]
//	segkit cluster FILE [--algo A] [--k N] [--seed S] [--n-init N] [--cols a,b] [--drop a,b]
//	               [--scale standard|minmax|robust|none] [--labels-only] [--out FILE]
//	               [--model FILE] [--json] [--profile] [--explain]
//	segkit suggest FILE [--algo kmeans] [--cols a,b] [--kmin 2 --kmax 10] [--json]
//	segkit profile FILE --labels FILE [--cols a,b] [--json | --csv]
//	segkit group FILE --by COL[,COL] [--prefix COL=N] [--bands COL=e1;e2] [--labels-only] [--json] [--profile]
//	segkit explain FILE --labels FILE [--cols a,b] [--depth N] [--json]
//	segkit assign --model FILE DATAFILE [--labels-only] [--out FILE]
//	segkit rfm FILE --customer COL --date COL (--amount COL | --quantity COL --price COL) [--invoice COL] [--json]
//
// Exit status: 0 on success, 1 on bad input (one clear line on stderr), 2 on
// bad usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// Exit statuses.
const (
	exitOK    = 0
	exitInput = 1 // the data or a file could not be used
	exitUsage = 2 // the command line is wrong
)

// usageError marks a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

const usageText = `usage:
  segkit inspect FILE [--json]
  segkit cluster FILE [--algo A] [--k N] [--seed S] [--n-init N] [--cols a,b] [--drop a,b]
                 [--scale standard|minmax|robust|none] [--impute median|mean|drop]
                 [--labels-only] [--out FILE] [--model FILE] [--json] [--profile] [--explain]
  segkit suggest FILE [--algo kmeans] [--cols a,b] [--kmin 2 --kmax 10] [--json]
  segkit profile FILE --labels FILE [--cols a,b] [--json | --csv]
  segkit group FILE --by COL[,COL] [--prefix COL=N] [--bands COL=e1;e2] [--labels-only] [--json] [--profile]
  segkit explain FILE --labels FILE [--cols a,b] [--depth N] [--json]
  segkit assign --model FILE DATAFILE [--labels-only] [--out FILE]
  segkit rfm FILE --customer COL --date COL (--amount COL | --quantity COL --price COL)
             [--invoice COL] [--reference YYYY-MM-DD] [--cancellations netoff|ignore] [--json] [--out FILE]
Run 'segkit COMMAND --help' for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one segkit command and returns its exit status. It is the
// whole program but for the process boundary, so tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "inspect":
		err = runInspect(args[1:], stdout, stderr)
	case "cluster":
		err = runCluster(ctx, args[1:], stdout, stderr)
	case "assign":
		err = runAssign(args[1:], stdout, stderr)
	case "rfm":
		err = runRFM(args[1:], stdout, stderr)
	case "suggest":
		err = runSuggest(ctx, args[1:], stdout, stderr)
	case "profile":
		err = runProfile(args[1:], stdout, stderr)
	case "group":
		err = runGroup(args[1:], stdout, stderr)
	case "explain":
		err = runExplain(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		fmt.Fprintf(stdout, "\nalgorithms of segkit cluster --algo:\n%s", describeAlgorithms())
		return exitOK
	default:
		err = usagef("unknown command %q", args[0])
	}
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "segkit: %v\n", err)
		fmt.Fprint(stderr, usageText)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "segkit: %v\n", err)
		return exitInput
	}
}
