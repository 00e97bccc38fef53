// Command colmena runs a Colmena node: a federation of tech worker
// co-operatives publishing its co-ops and job openings over ActivityPub.
//
//	colmena serve                     run a node (migrates on start)
//	colmena demo                      run three federating demo nodes
//	colmena migrate                   apply database migrations and exit
//	colmena admin token create        print a new API token
//	colmena version                   print the version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `Colmena runs a node of a federated directory of tech worker co-operatives.

Usage:
  colmena serve [flags]                         run a node (applies migrations first)
  colmena demo [--reset]                        run three federating demo nodes on 127.0.0.1:8081-8083
  colmena migrate [--database URL]              apply database migrations and exit
  colmena admin token create [--coop HANDLE]    print a new API token (admin, or for one co-op)
  colmena admin user create --email E (--admin | --coop HANDLE)
                                                make an account; prints its one-time password link
  colmena healthcheck [--url URL]               exit 0 if the node's /healthz answers 200
  colmena version                               print the version

Run "colmena COMMAND -h" for a command's flags.
`

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr, getenv)
	case "demo":
		err = runDemo(ctx, args[1:], stdout, stderr, getenv)
	case "healthcheck":
		err = healthcheck(ctx, args[1:], stdout, stderr, getenv)
	case "migrate":
		err = migrate(ctx, args[1:], stdout, stderr, getenv)
	case "admin":
		err = admin(ctx, args[1:], stdout, stderr, getenv)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "colmena", version)
		return 0
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "colmena: unknown command %q (run \"colmena help\")\n", args[0])
		return 2
	}
	switch e := err.(type) {
	case nil:
		return 0
	case usageError:
		if e.help {
			return 0
		}
		fmt.Fprintln(stderr, e.Error())
		return 2
	default:
		fmt.Fprintln(stderr, "colmena: "+oneLine(err.Error()))
		return 1
	}
}

// usageError is a mistake in the command line; help means -h was asked.
type usageError struct {
	msg  string
	help bool
}

func (e usageError) Error() string { return e.msg }

func oneLine(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}
