package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/demo"
	"github.com/colmena-coop/colmena/directory"
)

// demoNode is one of the demo's three nodes.
type demoNode struct {
	seed   demo.Federation
	port   string
	cfg    *config
	node   *node
	ln     net.Listener
	log    *slog.Logger
	closer io.Closer
}

func (d *demoNode) base() string { return "http://" + d.cfg.listen }
func (d *demoNode) acct() string { return d.seed.Handle + "@" + d.cfg.listen }

// runDemo runs SoberaniaX, EthiX and Astrateq, each a node with its own
// embedded store, seeded on first run, each following the other two.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flagSet("demo")
	dir := fs.String("dir", "colmena-demo", "where the three nodes keep their data")
	reset := fs.Bool("reset", false, "delete the demo's data first and seed afresh")
	portList := fs.String("ports", "8081,8082,8083", "ports of SoberaniaX, EthiX and Astrateq on 127.0.0.1")
	scale := fs.Float64("scale", 1, "fraction of the federations' real size to seed, from 0.05 to 1")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	ports := strings.Split(*portList, ",")
	if len(ports) != 3 || ports[0] == ports[1] || ports[1] == ports[2] || ports[0] == ports[2] {
		return usageError{msg: "colmena demo: --ports must be three different ports, such as 8081,8082,8083"}
	}
	for _, p := range ports {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return usageError{msg: fmt.Sprintf("colmena demo: --ports: %q is not a port number", p)}
		}
	}
	if *scale < 0.05 || *scale > 1 {
		return usageError{msg: "colmena demo: --scale must be from 0.05 to 1"}
	}
	if *reset {
		if err := os.RemoveAll(*dir); err != nil {
			return fmt.Errorf("removing %s: %w", *dir, err)
		}
	}
	started := time.Now()
	seeds := demo.Federations(*scale)
	nodes := make([]*demoNode, len(seeds))
	defer func() {
		for _, d := range nodes {
			if d != nil {
				d.close()
			}
		}
	}()
	// The three nodes open (and seed) side by side.
	openErrs := make([]error, len(seeds))
	var opening sync.WaitGroup
	for i, f := range seeds {
		opening.Go(func() { nodes[i], openErrs[i] = openDemoNode(ctx, *dir, f, ports[i]) })
	}
	opening.Wait()
	if err := errors.Join(openErrs...); err != nil {
		return err
	}
	// Listen on all three before any of them federates.
	for _, d := range nodes {
		ln, err := net.Listen("tcp", d.cfg.listen)
		if err != nil {
			return fmt.Errorf("cannot listen on %s (is another demo running? choose others with --ports): %w", d.cfg.listen, err)
		}
		d.ln = ln
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, len(nodes))
	for _, d := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := serveOn(sctx, d.ln, d.node, d.log); err != nil {
				errs <- fmt.Errorf("%s: %w", d.seed.Name, err)
				stop()
			}
		}()
	}
	err := connectDemo(sctx, nodes)
	var held []holdings
	if err == nil {
		held, err = demoHoldings(sctx, nodes)
	}
	if err == nil {
		printDemo(stdout, *dir, nodes, held)
		err = awaitDemo(sctx, nodes, held, stdout, started)
	}
	if err != nil && sctx.Err() == nil {
		stop()
		wg.Wait()
		return err
	}
	<-sctx.Done()
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo stopped; its data stays in "+*dir+" (--reset starts afresh).")
	return nil
}

// openDemoNode opens (and on first run seeds) one node; its log goes to a
// file beside its database.
func openDemoNode(ctx context.Context, dir string, f demo.Federation, port string) (*demoNode, error) {
	home := filepath.Join(dir, f.Handle)
	if err := os.MkdirAll(home, 0o750); err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(filepath.Join(home, "colmena.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	log := newLogger("text", logFile)
	listen := "127.0.0.1:" + port
	c := &config{listen: listen, publicURL: "http://" + listen, database: "sqlite:" + filepath.Join(home, "colmena.db"),
		name: f.Name, handle: f.Handle, allowPrivateNetwork: true, logFormat: "text", currency: f.Currency}
	n, err := openNode(ctx, c, log)
	if err != nil {
		logFile.Close()
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	d := &demoNode{seed: f, port: port, cfg: c, node: n, log: log, closer: logFile}
	if n.fed, err = n.svc.Init(ctx, directory.FederationSettings{Name: f.Name, Handle: f.Handle, Summary: f.Summary}); err != nil {
		d.close()
		return nil, err
	}
	page, err := n.svc.ListCoops(ctx, directory.CoopQuery{Federations: []string{n.fed.APID}, Limit: 1})
	if err != nil {
		d.close()
		return nil, err
	}
	if page.Total == 0 {
		// Publication dates spread over the last four weeks.
		clock := demo.NewClock(time.Now().Add(-28 * 24 * time.Hour))
		seeder := directory.NewService(n.store, n.svc.Links(), clock.Now)
		if err := demo.Seed(ctx, seeder, &f, clock); err != nil {
			d.close()
			return nil, fmt.Errorf("seeding %s: %w", f.Name, err)
		}
	}
	if err := demo.SeedRates(ctx, n.store); err != nil {
		d.close()
		return nil, fmt.Errorf("seeding %s's exchange rates: %w", f.Name, err)
	}
	return d, nil
}

func (d *demoNode) close() {
	d.node.store.Close()
	d.closer.Close()
}

// connectDemo has each node follow the other two federations, and
// Astrateq take its members hosted on the other nodes; what is done
// already is left as it is.
func connectDemo(ctx context.Context, nodes []*demoNode) error {
	cli := directory.Principal{Admin: true}
	byHandle := map[string]*demoNode{}
	for _, d := range nodes {
		byHandle[d.seed.Handle] = d
	}
	for _, d := range nodes {
		follows, err := d.node.ap.Follows(ctx, cli)
		if err != nil {
			return err
		}
		following := map[string]bool{}
		for _, f := range follows {
			following[f.Target] = true
		}
		for _, other := range nodes {
			if other == d || following[other.node.svc.Links().Federation()] {
				continue
			}
			if _, err := d.node.ap.Follow(ctx, cli, other.acct()); err != nil {
				return fmt.Errorf("%s following %s: %w", d.seed.Name, other.seed.Name, err)
			}
		}
		for _, g := range d.seed.Guests {
			host := byHandle[g.Host]
			if host == nil {
				continue
			}
			acct := g.Coop + "@" + host.cfg.listen
			if c, err := d.node.svc.FindCoop(ctx, acct); err == nil && memberOf(c, d.node.fed.APID) {
				continue // a member already
			}
			if _, err := d.node.ap.AddMember(ctx, cli, acct); err != nil && directory.KindOf(err) != directory.KindConflict {
				return fmt.Errorf("%s adding %s: %w", d.seed.Name, acct, err)
			}
		}
	}
	return nil
}

func memberOf(c *directory.Coop, fedID string) bool {
	for _, f := range c.Federations {
		if f.APID == fedID {
			return true
		}
	}
	return false
}

// demoSearch is the search the demo suggests first: remote Go jobs open
// to a person in Rosario, Argentina (to Argentina, a region around it or
// anywhere) with at least 4 hours of overlap with a working day in Buenos
// Aires, best paid first in US dollars a month.
const demoSearch = "skill=go&live_in=AR&city=Rosario&tz=America/Argentina/Buenos_Aires&overlap=4&remote=remote&sort=salary&view_currency=USD"

// holdings are what one node hosts: its own co-ops and their open jobs.
type holdings struct{ coops, jobs int }

// demoHoldings counts what each node hosts now, which on a later run is
// what the seeding made and everything done since (co-ops added, jobs
// published or closed), not the seeding's figures.
func demoHoldings(ctx context.Context, nodes []*demoNode) ([]holdings, error) {
	held := make([]holdings, len(nodes))
	for i, d := range nodes {
		var local []string
		q := directory.CoopQuery{Limit: 100}
		for range 10000 { // bounded: far more pages than a demo holds
			page, err := d.node.svc.ListCoops(ctx, q)
			if err != nil {
				return nil, err
			}
			for _, c := range page.Items {
				if c.Local {
					local = append(local, c.APID)
				}
			}
			if page.Next == nil {
				break
			}
			q.After = page.Next
		}
		held[i].coops = len(local)
		if len(local) == 0 {
			continue
		}
		j, err := d.node.svc.SearchJobs(ctx, directory.JobQuery{Coops: local, Limit: 1})
		if err != nil {
			return nil, err
		}
		held[i].jobs = j.Total
	}
	return held, nil
}

// printDemo says where the nodes are, what each hosts (held) and what to
// try.
func printDemo(w io.Writer, dir string, nodes []*demoNode, held []holdings) {
	fmt.Fprintf(w, "Colmena demo: three federations of tech worker co-ops, each on its own node (data in %s/)\n\n", dir)
	for i, d := range nodes {
		fmt.Fprintf(w, "  %-11s %-24s @%s   %d co-ops, %d jobs\n", d.seed.Name, d.base(), d.acct(), held[i].coops, held[i].jobs)
	}
	sob, ast := nodes[0], nodes[2]
	fmt.Fprintf(w, "\nTry:\n")
	fmt.Fprintf(w, "  %s/?%s\n      remote Go jobs a person in Rosario, Argentina, can take, best paid first in USD a month, from every federation\n", sob.base(), demoSearch)
	fmt.Fprintf(w, "  curl '%s/api/v1/jobs?%s'   the same search through the API\n", ast.base(), demoSearch)
	fmt.Fprintf(w, "  %s/stats   co-ops, workers and jobs per federation and country\n", nodes[1].base())
	fmt.Fprintf(w, "  %s/coops   the co-op directory, in Spanish with ?lang=es or the header switch\n", ast.base())
	if len(sob.seed.Coops) > 0 {
		fmt.Fprintf(w, "  follow from a fediverse account: @%s@%s (a co-op), @%s (a federation)\n",
			sob.seed.Coops[0].Handle, sob.cfg.listen, ast.acct())
	}
	fmt.Fprintf(w, "\nLogs: %s/*/colmena.log. Ctrl-C stops.\n", dir)
}

// awaitDemo waits until every node lists every co-op and job the nodes
// host (held), and says so.
func awaitDemo(ctx context.Context, nodes []*demoNode, held []holdings, w io.Writer, started time.Time) error {
	coops, jobs := 0, 0
	for _, h := range held {
		coops += h.coops
		jobs += h.jobs
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		done := true
		for _, d := range nodes {
			j, err := d.node.svc.SearchJobs(ctx, directory.JobQuery{Limit: 1})
			if err != nil {
				return err
			}
			c, err := d.node.svc.ListCoops(ctx, directory.CoopQuery{Limit: 1})
			if err != nil {
				return err
			}
			done = done && j.Total >= jobs && c.Total >= coops
		}
		if done {
			fmt.Fprintf(w, "\nReady in %.1f s: every node lists all %d co-ops and %d jobs.\n", time.Since(started).Seconds(), coops, jobs)
			return nil
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(w, "\nThe nodes are still exchanging their data; the pages fill in as it arrives.")
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(250 * time.Millisecond):
		}
	}
}
