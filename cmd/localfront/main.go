// Command localfront is a self-hostable CloudFront Functions: the CloudFront API for
// functions (so the AWS CLI and SDKs work against it) and the JavaScript runtimes.
//
//	localfront serve     run the server
//	localfront test      run a function against a test event, without a server
//	localfront version   print the version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: localfront <command> [flags]

Commands:
  serve     run the CloudFront Functions API server (localfront serve -h for flags)
  logs      print (or --follow) the console.log lines of a function's runs at the edge
  test      run a function against a test event without a server (localfront test -h)
  version   print the version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a sub-command and returns the exit status. ctx ends on SIGINT/SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		io.WriteString(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], os.Getenv, stdout, stderr)
	case "logs":
		return runLogs(ctx, args[1:], os.Getenv, stdout, stderr)
	case "test":
		return runTestCommand(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "localfront", version())
		return 0
	case "help", "-h", "-help", "--help":
		io.WriteString(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "localfront: unknown command %q\n\n%s", args[0], usage)
	return 2
}
