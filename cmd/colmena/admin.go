package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/mail"
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
	if len(args) >= 2 && args[0] == "user" && args[1] == "create" {
		return userCreate(ctx, args[2:], stdout, stderr, getenv)
	}
	if len(args) >= 2 && args[0] == "user" {
		if ok, err := userCommand(ctx, args[1], args[2:], stdout, getenv); ok {
			return err
		}
	}
	return usageError{msg: "colmena admin: usage: colmena admin token create [--coop HANDLE] | colmena admin user create --email E [--admin] [--coop HANDLE] | colmena admin user list | colmena admin user disable|enable|reset EMAIL"}
}

// userCreate makes an account and prints, as the last line, the one-time
// link where its owner sets a password.
func userCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flagSet("admin user create")
	db := databaseFlag(fs, getenv)
	pub := publicURLFlag(fs, getenv)
	email := fs.String("email", "", "the person's e-mail address (required)")
	isAdmin := fs.Bool("admin", false, "make a node admin")
	coop := fs.String("coop", "", "make a member of this local co-op")
	smtp := mailFlags(fs, getenv)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	smtpCfg, err := smtp()
	if err != nil {
		return err
	}
	if *email == "" {
		return usageError{msg: "colmena admin user create: --email is required"}
	}
	if *isAdmin == (*coop != "") {
		return usageError{msg: "colmena admin user create: give either --admin or --coop HANDLE"}
	}
	store, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	links, err := adminLinks(ctx, store, *pub, "http://localhost:8080")
	if err != nil {
		return err
	}
	svc := directory.NewService(store, links, time.Now)
	var outbox *mail.Outbox
	if smtpCfg != nil {
		name := "Colmena"
		if f, err := store.LocalFederation(ctx); err == nil {
			name = f.Name
		}
		outbox = newOutbox(smtpCfg, store, links, name, newLogger("text", stderr))
		svc.SetMailer(outbox)
	}
	u, raw, err := svc.InviteUser(ctx, directory.Principal{Admin: true}, *email, *isAdmin, *coop)
	if err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	if outbox != nil {
		// Sent at once when no node has taken it; a running node that
		// has sends it, and a failure leaves it to the node's retries.
		if outbox.SendQueued(ctx) == 1 {
			fmt.Fprintf(stdout, "Mailed the link to %s.\n", u.Email)
		} else {
			fmt.Fprintf(stdout, "The mail to %s waits in the mail outbox: the node sends it, and retries, while it runs.\n", u.Email)
		}
	}
	role := "node admin"
	if !u.Admin {
		role = "member of " + *coop
	}
	fmt.Fprintf(stdout, "Account for %s (%s). Send them this link to set a password; it works once, for %d days:\n",
		u.Email, role, int(directory.LinkLifetime.Hours()/24))
	fmt.Fprintln(stdout, links.Base()+"/password?token="+raw)
	return nil
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
	store, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	links, err := adminLinks(ctx, store, *pub, "http://localhost")
	if err != nil {
		return err
	}
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
