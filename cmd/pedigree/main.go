// Command pedigree assesses the integrity of a software supply chain against
// NIST SP 800-53 Rev 5 and SP 800-161 Rev 1 and writes OSCAL and reports.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/internal/outfile"
	"github.com/pedigree-dev/pedigree/internal/startup"
)

// Exit codes are a contract scripts rely on.
const (
	exitOK       = 0
	exitFindings = 1 // a gate tripped: a control not satisfied, a verify FAIL
	exitUsage    = 2 // usage or input error

	exitInterrupted = 130 // stopped by SIGINT or SIGTERM
)

// exitError carries an exit code up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so that main exits with code. A nil err with a code is
// a silent exit (the command already printed its verdict).
func withCode(code int, err error) error {
	return &exitError{code: code, err: err}
}

// usageError is an input or usage error: exit 2.
func usageError(err error) error { return withCode(exitUsage, err) }

var subcommands []func() *cobra.Command

// addCommand registers a top-level subcommand; each command's file calls it
// from init.
func addCommand(mk func() *cobra.Command) { subcommands = append(subcommands, mk) }

// interruptGrace is how long a command has to stop after SIGINT/SIGTERM
// before the process exits anyway: one blocked in a read (a named pipe no
// one writes to) never sees its context cancelled.
const interruptGrace = 5 * time.Second

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	go handleSignals(startup.Signals, cancel)
	startup.Done()
	code := run(ctx, os.Args[1:])
	os.Exit(code)
}

// handleSignals cancels the run at the first SIGINT or SIGTERM. A command
// that has not stopped interruptGrace later, or a second signal, ends the
// process at once; both ways every temporary file an output, a bundle or
// the OSV index cache was being written to is removed first.
func handleSignals(sigs <-chan os.Signal, cancel context.CancelFunc) {
	s := <-sigs
	cancel() // commands stop and remove their temporary files
	select {
	case s = <-sigs:
	case <-time.After(interruptGrace):
	}
	outfile.RemoveTemps() // the command may never get to clean up
	fmt.Fprintf(os.Stderr, "pedigree: interrupted (%v)\n", s)
	os.Exit(exitInterrupted)
}

func run(ctx context.Context, args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil && ctx.Err() != nil {
		// A command that made nothing of its cancelled context still
		// stopped short: its output is not a result.
		fmt.Fprintln(os.Stderr, "pedigree: interrupted")
		return exitInterrupted
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "pedigree: "+ee.err.Error())
		}
		if ctx.Err() != nil {
			return exitInterrupted // whatever the command made of its cancelled context
		}
		return ee.code
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "pedigree: interrupted: "+err.Error())
		return exitInterrupted
	}
	fmt.Fprintln(os.Stderr, "pedigree: "+err.Error())
	// cobra's own errors (unknown flag, missing argument) are usage errors.
	return exitUsage
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "pedigree",
		Short:         "Assess software supply-chain integrity against NIST SP 800-53 Rev 5 and SP 800-161",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return applyEnv(cmd)
		},
	}
	root.PersistentFlags().Bool("quiet", false, "no progress output on stderr")
	root.PersistentFlags().String("log-format", "text", "log format on stderr: text or json")
	for _, mk := range subcommands {
		root.AddCommand(mk())
	}
	return root
}
