package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
)

// readyWriter collects what the demo prints and calls ready once it says
// it is ready.
type readyWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready func()
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), "Ready in") && w.ready != nil {
		w.ready()
		w.ready = nil
	}
	return len(p), nil
}

// BenchmarkDemoReady runs a fresh `colmena demo` in process until it says
// it is ready, so that a CPU profile (-cpuprofile) shows what getting
// there costs; scripts/demobench.sh measures the command itself.
func BenchmarkDemoReady(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		w := &readyWriter{ready: cancel}
		ports := freePort(b) + "," + freePort(b) + "," + freePort(b)
		if err := runDemo(ctx, []string{"--dir", dir + "/data", "--ports", ports}, w, w, func(string) string { return "" }); err != nil {
			b.Fatal(err)
		}
		cancel()
		if !strings.Contains(w.buf.String(), "Ready in") {
			b.Fatalf("not ready:\n%s", w.buf.String())
		}
	}
}
