package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/internal/certs"
	"github.com/colmena-coop/colmena/mail"
)

// config is a node's configuration, from flags and COLMENA_* variables.
type config struct {
	listen              string
	publicURL           string
	database            string
	name                string
	handle              string
	allowPrivateNetwork bool
	logFormat           string
	trustedProxies      []netip.Prefix
	// currency is the node's own, the one pay is shown in by default.
	currency string
	// ratesURL serves a rates document the node fetches daily.
	ratesURL string
	// smtp is where mail goes; nil sends none.
	smtp *mail.SMTP
	// publicURLGiven says --public-url or its variable was set.
	publicURLGiven bool
	tls            tlsConfig
	// health adds details to /healthz (how the certificates stand).
	health func() map[string]any
	// searchLimit and searchIdle bound the search actors.
	searchLimit int
	searchIdle  time.Duration
}

// tlsConfig says how a node serves HTTPS itself; none of it is set when
// a reverse proxy does.
type tlsConfig struct {
	// domains get certificates by ACME from acmeDirectory.
	domains       []string
	acmeDirectory string
	acmeEmail     string
	// acmeCARoot is a PEM file of roots trusted for a private CA's ACME
	// directory.
	acmeCARoot string
	// certFile and keyFile are a certificate the operator keeps.
	certFile, keyFile string
	// httpListen answers http-01 challenges and redirects to HTTPS;
	// empty when switched off.
	httpListen string
}

func (t tlsConfig) on() bool { return len(t.domains) > 0 || t.certFile != "" }

const defaultDatabase = "sqlite:colmena-data/colmena.db"

// flagSet makes a command's flag set whose defaults come from the
// environment, so that flags win over variables.
func flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string) (bool, error) {
	v := getenv(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, usageError{msg: fmt.Sprintf("colmena: %s=%q must be true or false", key, v)}
	}
	return b, nil
}

// parse parses args, turning the flag package's errors into one line.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage of colmena %s:\n", fs.Name())
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return usageError{help: true}
	}
	if err != nil {
		return usageError{msg: fmt.Sprintf("colmena %s: %v (run \"colmena %s -h\")", fs.Name(), err, fs.Name())}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("colmena %s: unexpected argument %q (run \"colmena %s -h\")", fs.Name(), fs.Arg(0), fs.Name())}
	}
	return nil
}

func databaseFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("database", envOr(getenv, "COLMENA_DATABASE", defaultDatabase), "sqlite:PATH or postgres://... (env COLMENA_DATABASE)")
}

func publicURLFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("public-url", getenv("COLMENA_PUBLIC_URL"), "scheme, host and port the world sees (env COLMENA_PUBLIC_URL; default http://localhost:PORT, or https://DOMAIN with --tls-domain; for admin commands the URL the node last served under)")
}

// nodeFlags declares the flags of commands that run or describe a node.
func nodeFlags(fs *flag.FlagSet, getenv func(string) string) (*config, func() error) {
	c := &config{}
	fs.StringVar(&c.listen, "listen", getenv("COLMENA_LISTEN"), "address to serve on (env COLMENA_LISTEN; default 127.0.0.1:8080, or :443 with --tls-domain or --tls-cert)")
	pub := publicURLFlag(fs, getenv)
	db := databaseFlag(fs, getenv)
	fs.StringVar(&c.name, "name", getenv("COLMENA_NAME"), "the federation's display name (env COLMENA_NAME; default: the name set in the admin console, or Colmena)")
	fs.StringVar(&c.handle, "handle", getenv("COLMENA_HANDLE"), "the federation actor's username (env COLMENA_HANDLE; default: the lower-cased name)")
	allow, allowErr := envBool(getenv, "COLMENA_ALLOW_PRIVATE_NETWORK")
	fs.BoolVar(&c.allowPrivateNetwork, "allow-private-network", allow, "allow fetching from and delivering to loopback and private addresses (env COLMENA_ALLOW_PRIVATE_NETWORK)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "COLMENA_LOG_FORMAT", "text"), "log format: text or json (env COLMENA_LOG_FORMAT)")
	fs.StringVar(&c.currency, "currency", envOr(getenv, "COLMENA_CURRENCY", "USD"), "the node's currency (ISO 4217), the one pay is shown in unless a reader picks another (env COLMENA_CURRENCY)")
	fs.StringVar(&c.ratesURL, "rates-url", getenv("COLMENA_RATES_URL"), "http(s) URL of a rates document to fetch daily (env COLMENA_RATES_URL; default none: the admin sets rates)")
	smtp := mailFlags(fs, getenv)
	domains := fs.String("tls-domain", getenv("COLMENA_TLS_DOMAIN"), "comma-separated domain names to get TLS certificates for by ACME and serve HTTPS on --listen (env COLMENA_TLS_DOMAIN; default none: plain HTTP, as behind a reverse proxy)")
	fs.StringVar(&c.tls.acmeDirectory, "acme-directory", envOr(getenv, "COLMENA_ACME_DIRECTORY", certs.LetsEncrypt), "the ACME directory URL of the CA that issues the certificates (env COLMENA_ACME_DIRECTORY)")
	fs.StringVar(&c.tls.acmeEmail, "acme-email", getenv("COLMENA_ACME_EMAIL"), "an e-mail address the CA may write to about the certificates (env COLMENA_ACME_EMAIL; default none)")
	fs.StringVar(&c.tls.acmeCARoot, "acme-ca-root", getenv("COLMENA_ACME_CA_ROOT"), "a PEM file of the root certificates that the ACME directory's own HTTPS is checked against, for a private CA (env COLMENA_ACME_CA_ROOT; default the system's)")
	fs.StringVar(&c.tls.certFile, "tls-cert", getenv("COLMENA_TLS_CERT"), "a PEM certificate (with its chain) to serve HTTPS with on --listen, loaded again when the file changes (env COLMENA_TLS_CERT)")
	fs.StringVar(&c.tls.keyFile, "tls-key", getenv("COLMENA_TLS_KEY"), "the PEM private key of --tls-cert (env COLMENA_TLS_KEY)")
	fs.StringVar(&c.tls.httpListen, "http-listen", getenv("COLMENA_HTTP_LISTEN"), "with TLS, the plain HTTP address that answers ACME http-01 challenges and redirects to HTTPS, or off (env COLMENA_HTTP_LISTEN; default :80)")
	limit := fs.String("search-actors-limit", getenv("COLMENA_SEARCH_ACTORS_LIMIT"), fmt.Sprintf("how many followable search actors the node keeps at most (env COLMENA_SEARCH_ACTORS_LIMIT; default %d)", directory.DefaultSearchLimit))
	idle := fs.String("search-actors-idle", getenv("COLMENA_SEARCH_ACTORS_IDLE"), "how long a search actor nobody follows lives, as a Go duration such as 720h (env COLMENA_SEARCH_ACTORS_IDLE; default 720h)")
	proxies := fs.String("trusted-proxies", getenv("COLMENA_TRUSTED_PROXIES"), "comma-separated addresses or CIDR prefixes of the reverse proxies whose X-Forwarded-For or Forwarded header names the client, such as 127.0.0.1,::1 (env COLMENA_TRUSTED_PROXIES; default none)")
	finish := func() error {
		if allowErr != nil {
			return allowErr
		}
		c.database = *db
		c.publicURL = *pub
		c.publicURLGiven = c.publicURL != ""
		if err := c.tls.finish(*domains); err != nil {
			return err
		}
		if c.listen == "" {
			c.listen = "127.0.0.1:8080"
			if c.tls.on() {
				c.listen = ":443"
			}
		}
		if c.publicURL == "" && len(c.tls.domains) > 0 {
			c.publicURL = "https://" + c.tls.domains[0]
		}
		if c.publicURL == "" {
			_, port, err := net.SplitHostPort(c.listen)
			if err != nil {
				return usageError{msg: fmt.Sprintf("colmena: --listen %q must be host:port, such as 127.0.0.1:8080", c.listen)}
			}
			c.publicURL = "http://localhost:" + port
		}
		if c.handle == "" {
			c.handle = handleFromName(cmp.Or(c.name, "Colmena"))
		}
		if c.logFormat != "text" && c.logFormat != "json" {
			return usageError{msg: fmt.Sprintf("colmena: --log-format %q must be text or json", c.logFormat)}
		}
		var err error
		if c.trustedProxies, err = parseProxies(*proxies); err != nil {
			return err
		}
		if c.smtp, err = smtp(); err != nil {
			return err
		}
		cur, err := directory.NormalizeCurrency("currency", c.currency)
		if err != nil {
			return usageError{msg: fmt.Sprintf("colmena: --currency %q is not an ISO 4217 currency code such as ARS, USD or GBP", c.currency)}
		}
		c.currency = cur
		if *limit != "" {
			if c.searchLimit, err = strconv.Atoi(*limit); err != nil || c.searchLimit < 1 {
				return usageError{msg: fmt.Sprintf("colmena: --search-actors-limit %q must be a whole number of at least 1", *limit)}
			}
		}
		if *idle != "" {
			if c.searchIdle, err = time.ParseDuration(*idle); err != nil || c.searchIdle < time.Minute {
				return usageError{msg: fmt.Sprintf("colmena: --search-actors-idle %q must be a duration of at least 1m, such as 720h", *idle)}
			}
		}
		if c.ratesURL != "" {
			if u, err := url.Parse(c.ratesURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usageError{msg: fmt.Sprintf("colmena: --rates-url %q must be an http or https URL", c.ratesURL)}
			}
		}
		return nil
	}
	return c, finish
}

// finish checks the TLS flags once parsed.
func (t *tlsConfig) finish(domains string) error {
	for d := range strings.SplitSeq(domains, ",") {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			t.domains = append(t.domains, d)
		}
	}
	switch {
	case len(t.domains) > 0 && (t.certFile != "" || t.keyFile != ""):
		return usageError{msg: "colmena: give either --tls-domain (certificates by ACME) or --tls-cert and --tls-key (certificates you have), not both"}
	case (t.certFile == "") != (t.keyFile == ""):
		return usageError{msg: "colmena: --tls-cert and --tls-key go together: give both"}
	case t.acmeCARoot != "" && len(t.domains) == 0:
		return usageError{msg: "colmena: --acme-ca-root is for --tls-domain only"}
	}
	if t.acmeEmail != "" && (len(t.domains) == 0 || !strings.Contains(t.acmeEmail, "@")) {
		return usageError{msg: fmt.Sprintf("colmena: --acme-email %q must be an e-mail address, given with --tls-domain", t.acmeEmail)}
	}
	if len(t.domains) > 0 {
		u, err := url.Parse(t.acmeDirectory)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return usageError{msg: fmt.Sprintf("colmena: --acme-directory %q must be an https URL, such as %s", t.acmeDirectory, certs.LetsEncrypt)}
		}
		for _, d := range t.domains {
			if _, err := certs.NewACME(certs.ACMEConfig{Domains: []string{d}}); err != nil {
				return usageError{msg: "colmena: --tls-domain: " + err.Error()}
			}
		}
	}
	if !t.on() {
		t.httpListen = ""
		return nil
	}
	switch t.httpListen {
	case "":
		t.httpListen = ":80"
	case "off":
		t.httpListen = ""
	default:
		if _, _, err := net.SplitHostPort(t.httpListen); err != nil {
			return usageError{msg: fmt.Sprintf("colmena: --http-listen %q must be host:port, such as :80, or off", t.httpListen)}
		}
	}
	return nil
}

// parseProxies reads --trusted-proxies: addresses and CIDR prefixes
// separated by commas; an address stands for itself alone.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if a, err := netip.ParseAddr(item); err == nil && a.Zone() == "" {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, usageError{msg: fmt.Sprintf("colmena: --trusted-proxies %q is not an address or CIDR prefix such as 127.0.0.1 or 10.0.0.0/8", item)}
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			// Clients' IPv4-mapped addresses are compared as IPv4.
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// handleFromName lower-cases a name into a handle: "EthiX UK" -> "ethix_uk".
func handleFromName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.':
			b.WriteRune('_')
		}
	}
	h := b.String()
	if len(h) > 30 {
		h = h[:30]
	}
	return h
}

// openStore opens the store a --database value names.
func openStore(ctx context.Context, database string) (directory.Store, error) {
	switch {
	case strings.HasPrefix(database, "sqlite:"):
		path := strings.TrimPrefix(database, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		return sqlite.Open(ctx, path)
	case strings.HasPrefix(database, "postgres://"), strings.HasPrefix(database, "postgresql://"):
		return postgres.Open(ctx, database)
	default:
		return nil, usageError{msg: fmt.Sprintf("colmena: --database %q must be sqlite:PATH or postgres://...", database)}
	}
}

// mailFlags declares --smtp-url and --mail-from; the function it returns
// gives the SMTP settings, or nil when no --smtp-url is set.
func mailFlags(fs *flag.FlagSet, getenv func(string) string) func() (*mail.SMTP, error) {
	smtpURL := fs.String("smtp-url", getenv("COLMENA_SMTP_URL"), "send mail through this server: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (TLS) (env COLMENA_SMTP_URL; default none: links are passed on by hand)")
	from := fs.String("mail-from", getenv("COLMENA_MAIL_FROM"), "the sender of the node's mails, such as \"Colmena <colmena@example.org>\" (env COLMENA_MAIL_FROM; needed with --smtp-url)")
	return func() (*mail.SMTP, error) {
		if *smtpURL == "" {
			return nil, nil
		}
		s, err := mail.ParseSMTP(*smtpURL, *from)
		if err != nil {
			return nil, usageError{msg: "colmena: --" + err.Error()}
		}
		return s, nil
	}
}

// openExisting opens the store of a node that exists already, one that
// `colmena migrate` or `colmena serve` made; anything else is refused and
// nothing is created, so that a mistyped --database is not taken for a
// new, empty node.
func openExisting(ctx context.Context, database string) (directory.Store, error) {
	var ok bool
	var err error
	switch {
	case strings.HasPrefix(database, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(database, "sqlite:"), "//")
		ok, err = sqlite.HasSchema(ctx, path)
	case strings.HasPrefix(database, "postgres://"), strings.HasPrefix(database, "postgresql://"):
		ok, err = postgres.HasSchema(ctx, database)
	default:
		return nil, usageError{msg: fmt.Sprintf("colmena: --database %q must be sqlite:PATH or postgres://...", database)}
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("the database %s does not exist or holds no Colmena node: run \"colmena migrate\" or \"colmena serve\" with this --database first", redactDatabase(database))
	}
	return openStore(ctx, database)
}

// redactDatabase hides a PostgreSQL URL's password.
func redactDatabase(database string) string {
	if strings.HasPrefix(database, "sqlite:") {
		return database
	}
	u, err := url.Parse(database)
	if err != nil {
		return "postgres://..."
	}
	return u.Redacted()
}

// adminLinks are the links admin commands print: under --public-url or
// its variable when given, else the URL the node last served under, else
// fallback.
func adminLinks(ctx context.Context, store directory.SettingStore, flagValue, fallback string) (directory.Links, error) {
	base := flagValue
	if base == "" {
		stored, err := store.Setting(ctx, directory.SettingPublicURL)
		switch {
		case err == nil:
			base = stored
		case directory.KindOf(err) == directory.KindNotFound:
			base = fallback
		default:
			return directory.Links{}, err
		}
	}
	links, err := directory.NewLinks(base)
	if err != nil {
		return directory.Links{}, usageError{msg: "colmena: --" + directory.SafeMessage(err)}
	}
	return links, nil
}
