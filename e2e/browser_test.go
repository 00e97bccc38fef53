package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserTimeout bounds each test's browser: when it passes, the browser
// stops and every action still running fails.
const browserTimeout = 60 * time.Second

// chromium returns the browser binary to drive, or "" when there is none.
// COLMENA_CHROMIUM, when set, must name one.
func chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("COLMENA_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("COLMENA_CHROMIUM=%s: %v", p, err)
		}
		return path
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// requireChromium returns the browser binary, skipping the test when there
// is none, except in CI, where a missing browser is a failure.
func requireChromium(t testing.TB) string {
	t.Helper()
	path := chromium(t)
	if path != "" {
		return path
	}
	const msg = "no Chromium: set COLMENA_CHROMIUM, or install chromium (or chromium-browser, google-chrome) on PATH"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true, so browser tests may not skip)")
	}
	t.Skip(msg)
	return ""
}

// artifacts is where one test's screenshots go, made on first use.
type artifacts struct {
	t    testing.TB
	once sync.Once
	dir  string
	err  error
}

type artifactsKey struct{}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (a *artifacts) path(name string) (string, error) {
	a.once.Do(func() {
		test := unsafeName.ReplaceAllString(a.t.Name(), "_")
		if root := os.Getenv("COLMENA_ARTIFACTS"); root != "" {
			a.dir = filepath.Join(root, test)
			a.err = os.MkdirAll(a.dir, 0o755)
		} else {
			a.dir, a.err = os.MkdirTemp("", "colmena-e2e-"+test+"-")
		}
		if a.err == nil {
			a.t.Logf("screenshots of %s go to %s", a.t.Name(), a.dir)
		}
	})
	if a.err != nil {
		return "", a.err
	}
	return filepath.Join(a.dir, unsafeName.ReplaceAllString(name, "_")+".png"), nil
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// chromedp context on its first tab. The browser stops when the test ends
// or after browserTimeout, whichever comes first.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	return newBrowserFor(t, browserTimeout)
}

// newBrowserFor is newBrowser for a test that needs the browser longer
// than browserTimeout, such as one that visits every page.
func newBrowserFor(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	exe := requireChromium(t)
	profile, err := os.MkdirTemp("", "colmena-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })

	base, cancelBase := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(base,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx = context.WithValue(ctx, artifactsKey{}, &artifacts{t: t})
	t.Cleanup(func() {
		// Close the browser gracefully, but do not wait long for it.
		closing, cancelClosing := context.WithTimeout(ctx, 5*time.Second)
		if err := chromedp.Cancel(closing); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			t.Logf("closing the browser: %v", err)
		}
		cancelClosing()
		cancelCtx()
		cancelAlloc()
		cancelBase()
	})
	// Start the browser now, so that a browser that cannot start fails
	// here rather than in the test's first step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return ctx
}

// screenshot saves a full-page PNG of the tab as name.png among the
// test's artifacts.
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	a, _ := ctx.Value(artifactsKey{}).(*artifacts)
	if a == nil {
		t.Fatal("screenshot needs a context from newBrowser")
	}
	path, err := a.path(name)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
}
