package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// userCommand runs `colmena admin user list|disable|enable|reset`; ok is
// false for another subcommand.
func userCommand(ctx context.Context, sub string, args []string, stdout io.Writer, getenv func(string) string) (ok bool, err error) {
	switch sub {
	case "list":
		return true, userList(ctx, args, stdout, getenv)
	case "disable", "enable":
		return true, userSetDisabled(ctx, sub, args, stdout, getenv)
	case "reset":
		return true, userReset(ctx, args, stdout, getenv)
	}
	return false, nil
}

// userService opens the store of an existing node and a service whose
// links are under pub (--public-url or its variable), else the public
// URL the node recorded when it served, else fallback.
func userService(ctx context.Context, db, pub, fallback string) (*directory.Service, func(), error) {
	store, err := openExisting(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	links, err := adminLinks(ctx, store, pub, fallback)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return directory.NewService(store, links, time.Now), func() { store.Close() }, nil
}

// userList prints every account: e-mail, role, co-op, state and last
// sign-in, one a line under a header.
func userList(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := flagSet("admin user list")
	db := databaseFlag(fs, getenv)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	svc, done, err := userService(ctx, *db, "", "http://localhost")
	if err != nil {
		return err
	}
	defer done()
	users, err := svc.Users(ctx, directory.Principal{Admin: true})
	if err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "E-MAIL\tROLE\tCO-OP\tSTATE\tLAST SIGN-IN")
	for _, u := range users {
		role, coop, last := "member", u.CoopHandle, "-"
		if u.Admin {
			role = "admin"
		}
		if coop == "" {
			coop = "-"
		}
		if !u.LastLoginAt.IsZero() {
			last = u.LastLoginAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, role, coop, u.State(), last)
	}
	return tw.Flush()
}

// parseEmail parses a command line of flags and one e-mail address, the
// address before or after the flags.
func parseEmail(fs *flag.FlagSet, args []string, stdout io.Writer) (string, error) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) || err != nil {
		return "", parse(fs, args, stdout)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return "", usageError{msg: fmt.Sprintf("colmena %s: the account's e-mail is required: colmena %s EMAIL", fs.Name(), fs.Name())}
	}
	return rest[0], parse(fs, rest[1:], stdout)
}

// userSetDisabled disables (sub "disable") or enables an account. A
// disabled account's sessions end at once and its API tokens are refused.
func userSetDisabled(ctx context.Context, sub string, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := flagSet("admin user " + sub)
	db := databaseFlag(fs, getenv)
	email, err := parseEmail(fs, args, stdout)
	if err != nil {
		return err
	}
	svc, done, err := userService(ctx, *db, "", "http://localhost")
	if err != nil {
		return err
	}
	defer done()
	admin := directory.Principal{Admin: true}
	u, err := svc.FindUser(ctx, admin, email)
	if err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	if u, err = svc.SetDisabled(ctx, admin, u.ID, sub == "disable"); err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	if sub == "disable" {
		fmt.Fprintf(stdout, "%s is disabled: its sessions ended and its API tokens no longer work.\n", u.Email)
	} else {
		fmt.Fprintf(stdout, "%s is enabled again.\n", u.Email)
	}
	return nil
}

// userReset prints, as the last line, a new one-time link for an
// account: a password reset link, or a new invitation for one that never
// set a password. Older links of the account stop working.
func userReset(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := flagSet("admin user reset")
	db := databaseFlag(fs, getenv)
	pub := publicURLFlag(fs, getenv)
	email, err := parseEmail(fs, args, stdout)
	if err != nil {
		return err
	}
	svc, done, err := userService(ctx, *db, *pub, "http://localhost:8080")
	if err != nil {
		return err
	}
	defer done()
	admin := directory.Principal{Admin: true}
	u, err := svc.FindUser(ctx, admin, email)
	if err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	u, raw, err := svc.PasswordLink(ctx, admin, u.ID)
	if err != nil {
		return fmt.Errorf("%s", directory.SafeMessage(err))
	}
	what := "a new password"
	if u.State() == directory.StateInvited {
		what = "a password (a new invitation)"
	}
	fmt.Fprintf(stdout, "Send %s this link to set %s; it works once, for %d days, and older links no longer work:\n",
		u.Email, what, int(directory.LinkLifetime.Hours()/24))
	fmt.Fprintln(stdout, svc.Links().Base()+"/password?token="+raw)
	return nil
}
