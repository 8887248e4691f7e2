// Command kiosque runs a reader-funded newsroom's website: see README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kiosque/kiosque/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
