package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flagSet("migrate")
	db := databaseFlag(fs, getenv)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

func admin(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) >= 2 && args[0] == "token" && args[1] == "create" {
		return tokenCreate(ctx, args[2:], stdout, getenv)
	}
	return usageError{msg: "colmena admin: usage: colmena admin token create [--coop HANDLE] [--database URL]"}
}

func tokenCreate(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := flagSet("admin token create")
	db := databaseFlag(fs, getenv)
	pub := publicURLFlag(fs, getenv)
	coop := fs.String("coop", "", "make a token that acts for this local co-op only")
	label := fs.String("label", "", "a note saying what the token is for")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	base := *pub
	if base == "" {
		base = "http://localhost"
	}
	links, err := directory.NewLinks(base)
	if err != nil {
		return usageError{msg: "colmena: --" + directory.SafeMessage(err)}
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := directory.NewService(store, links, time.Now)
	tok, err := svc.CreateToken(ctx, *coop, *label)
	if err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	if *coop != "" {
		fmt.Fprintf(stdout, "API token for the co-op %q (shown once; keep it secret):\n", *coop)
	} else {
		fmt.Fprintln(stdout, "Node-admin API token (shown once; keep it secret):")
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
