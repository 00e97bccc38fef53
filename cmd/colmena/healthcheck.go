package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// healthcheck asks a node's /healthz and exits non-zero unless it answers
// 200: for container health checks, where no curl is at hand.
func healthcheck(ctx context.Context, args []string, stdout, _ io.Writer, getenv func(string) string) error {
	fs := flagSet("healthcheck")
	def := "http://127.0.0.1:8080/healthz"
	if l := getenv("COLMENA_LISTEN"); l != "" {
		def = "http://" + loopbackFor(l) + "/healthz"
	}
	// A node serving HTTPS itself answers /healthz on its plain HTTP
	// listener too, where no certificate needs checking.
	if getenv("COLMENA_TLS_DOMAIN") != "" || getenv("COLMENA_TLS_CERT") != "" {
		if l := cmp.Or(getenv("COLMENA_HTTP_LISTEN"), ":80"); l != "off" {
			def = "http://" + loopbackFor(l) + "/healthz"
		}
	}
	u := fs.String("url", def, "the health URL to ask")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *u, nil)
	if err != nil {
		return usageError{msg: "colmena healthcheck: --url: " + err.Error()}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s does not answer: %w", *u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *u, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// loopbackFor turns a listen address such as 0.0.0.0:8080 or :8080 into
// one to call from the same machine.
func loopbackFor(listen string) string {
	host, port := listen, ""
	for i := len(listen) - 1; i >= 0; i-- {
		if listen[i] == ':' {
			host, port = listen[:i], listen[i+1:]
			break
		}
	}
	if host == "" || host == "0.0.0.0" || host == "[::]" || host == "::" {
		host = "127.0.0.1"
	}
	return host + ":" + port
}
