// Package layout holds the test that keeps the import rules of the design
// (DESIGN.md, section 1): the domain imports nothing of Colmena's, only
// the command picks a store, federation never imports web, and only
// federation speaks go-fed.
package layout

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/colmena-coop/colmena"

type pkg struct {
	ImportPath string
	Imports    []string // of the package's own code, not its tests
}

// packages lists the module's packages with what they import.
func packages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var ps []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if len(ps) < 10 {
		t.Fatalf("go list found %d packages", len(ps))
	}
	return ps
}

// rule says whether package from may import path; ours is path without
// the module prefix ("" for a path outside the module).
type rule struct {
	name  string
	check func(from, ours, path string) bool
}

func rel(path string) string {
	if path == module {
		return "."
	}
	if r, ok := strings.CutPrefix(path, module+"/"); ok {
		return r
	}
	return ""
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

func isStore(p string) bool {
	return p == "directory/sqlite" || p == "directory/postgres" || p == "directory/sqlstore"
}

func rules() []rule {
	return []rule{
		{"the domain (directory) imports nothing of Colmena's", func(from, ours, _ string) bool {
			return from != "directory" || ours == ""
		}},
		{"only cmd and the test helpers pick a store; the engines build on sqlstore", func(from, ours, _ string) bool {
			return !isStore(ours) || under(from, "cmd") || under(from, "internal") ||
				(isStore(from) && ours == "directory/sqlstore")
		}},
		{"sqlstore imports only the domain", func(from, ours, _ string) bool {
			return from != "directory/sqlstore" || ours == "" || ours == "directory"
		}},
		{"federation never imports web", func(from, ours, _ string) bool {
			return !under(from, "federation") || !under(ours, "web")
		}},
		{"web does not import a store", func(from, ours, _ string) bool {
			return !under(from, "web") || !isStore(ours)
		}},
		{"only federation imports go-fed", func(from, _, path string) bool {
			return !strings.HasPrefix(path, "github.com/go-fed/") || under(from, "federation")
		}},
	}
}

// TestImportRules fails when a package's own code breaks a rule.
func TestImportRules(t *testing.T) {
	for _, p := range packages(t) {
		from := rel(p.ImportPath)
		for _, imp := range p.Imports {
			for _, r := range rules() {
				if !r.check(from, rel(imp), imp) {
					t.Errorf("%s imports %s: %s", from, imp, r.name)
				}
			}
		}
	}
}

// TestRulesCatchBreaks checks each rule against an import it must refuse,
// so that a rule that can no longer fail is noticed.
func TestRulesCatchBreaks(t *testing.T) {
	breaks := []struct{ from, imp string }{
		{"directory", module + "/web"},
		{"web", module + "/directory/sqlite"},
		{"federation", module + "/directory/postgres"},
		{"directory/sqlstore", module + "/federation"},
		{"federation", module + "/web"},
		{"web", "github.com/go-fed/httpsig"},
	}
	for _, b := range breaks {
		refused := false
		for _, r := range rules() {
			if !r.check(b.from, rel(b.imp), b.imp) {
				refused = true
			}
		}
		if !refused {
			t.Errorf("no rule refuses %s importing %s", b.from, b.imp)
		}
	}
}
