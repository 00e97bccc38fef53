// Command gen turns world-atlas's TopoJSON countries (Natural Earth data)
// into countries.txt: one line per country, its ISO 3166-1 alpha-2 code
// and an SVG path in the Natural Earth projection, simplified and rounded
// so that the embedded file stays small. The parent package's generate
// directive fetches world-atlas with npm and runs it:
//
//	go generate ./web/worldmap
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]int `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []geometry `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

type point struct{ x, y float64 }

// The map is width user units wide, points rounded to whole units; the
// latitudes kept run from south to north.
const (
	width     = 2000.0
	tolerance = 0.6 // Douglas–Peucker, in user units
	minArea   = 6.0 // rings smaller than this (square units) are dropped, but a country keeps its largest
	south     = -57.0
	north     = 84.0
)

func main() {
	in := flag.String("in", "countries-50m.json", "world-atlas TopoJSON file")
	out := flag.String("out", "countries.txt", "file to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		slog.Error("gen", "err", err)
		os.Exit(1)
	}
}

// project is the Natural Earth projection (Šavrič, Jenny, Patterson,
// Petrovič and Hurni 2011).
func project(lon, lat float64) (float64, float64) {
	l, p := lon*math.Pi/180, lat*math.Pi/180
	p2 := p * p
	p4 := p2 * p2
	x := l * (0.870700 - p2*(0.131979+p2*(-0.013791+p4*(0.003971*p2-0.001529*p4))))
	y := p * (1.007226 + p2*(0.015085+p4*(-0.044475+0.028874*p2-0.005916*p4)))
	return x, y
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return err
	}
	// Bounds of the projection between the latitudes kept.
	x0, _ := project(-180, 0)
	x1, _ := project(180, 0)
	_, yN := project(0, north)
	_, yS := project(0, south)
	k := width / (x1 - x0)
	height := math.Ceil((yN - yS) * k)
	// Decode, project and simplify every arc once: neighbours share them.
	// Arcs keep longitude and latitude (point.x, point.y) of the points
	// that simplification in the projected plane kept.
	arcs := make([][]point, len(t.Arcs))
	for i, a := range t.Arcs {
		var qx, qy int
		geo := make([]point, 0, len(a))
		pts := make([]point, 0, len(a))
		for _, d := range a {
			qx += d[0]
			qy += d[1]
			lon := float64(qx)*t.Transform.Scale[0] + t.Transform.Translate[0]
			lat := float64(qy)*t.Transform.Scale[1] + t.Transform.Translate[1]
			lat = math.Max(south, math.Min(north, lat))
			x, y := project(lon, lat)
			geo = append(geo, point{lon, lat})
			pts = append(pts, point{x, y})
		}
		for _, j := range simplify(pts, tolerance/k) {
			arcs[i] = append(arcs[i], geo[j])
		}
	}
	// toPlane projects a ring. A ring crossing the antimeridian is made
	// continuous and then cut at ±180° by clamping its longitudes, which
	// draws the part beyond the edge along it.
	toPlane := func(r []point) []point {
		sum := r[0].x
		for i := 1; i < len(r); i++ {
			d := r[i].x - r[i-1].x
			switch {
			case d > 180:
				r[i].x -= 360
			case d < -180:
				r[i].x += 360
			}
			sum += r[i].x
		}
		shift := 0.0
		switch mean := sum / float64(len(r)); {
		case mean > 180:
			shift = -360
		case mean < -180:
			shift = 360
		}
		out := make([]point, len(r))
		for i, p := range r {
			lon := math.Max(-180, math.Min(180, p.x+shift))
			x, y := project(lon, p.y)
			out[i] = point{(x - x0) * k, (yN - y) * k}
		}
		return out
	}
	ring := func(idx []int) []point {
		var r []point
		for _, i := range idx {
			var a []point
			if i >= 0 {
				a = arcs[i]
			} else {
				src := arcs[^i]
				a = make([]point, len(src))
				for j := range src {
					a[j] = src[len(src)-1-j]
				}
			}
			if len(r) > 0 {
				a = a[1:]
			}
			r = append(r, a...)
		}
		return r
	}
	type country struct {
		code string
		path string
	}
	byCode := map[string][]string{}
	for _, g := range t.Objects.Countries.Geometries {
		if g.ID == "010" { // Antarctica: no co-ops, a third of the drawing
			continue
		}
		code := ""
		if g.ID != "" {
			r, err := language.ParseRegion(g.ID)
			if err != nil || !r.IsCountry() {
				slog.Warn("no country for", "id", g.ID, "name", g.Properties.Name)
				continue
			}
			code = r.String()
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return err
			}
		default:
			continue
		}
		var rings [][]point
		for _, p := range polys {
			for _, r := range p {
				rings = append(rings, toPlane(ring(r)))
			}
		}
		byCode[code] = append(byCode[code], draw(rings))
	}
	var cs []country
	for code, paths := range byCode {
		cs = append(cs, country{code, strings.Join(paths, "")})
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].code < cs[j].code })
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# world map: Natural Earth projection, %d×%d, from world-atlas (Natural Earth 1:50m); code, path\n", int(width), int(height))
	for _, c := range cs {
		code := c.code
		if code == "" {
			code = "--" // land without a country code of its own
		}
		fmt.Fprintf(w, "%s %s\n", code, c.path)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// draw writes rings as one SVG path in whole units with relative moves.
// Rings too small to see are dropped; a country whose every ring is that
// small keeps its largest, drawn at least as a dot one can click.
func draw(rings [][]point) string {
	type rr struct {
		pts  [][2]int
		area float64
	}
	var kept []rr
	best := -1
	var all []rr
	for _, r := range rings {
		var q [][2]int
		for _, p := range r {
			c := [2]int{int(math.Round(p.x)), int(math.Round(p.y))}
			if len(q) == 0 || q[len(q)-1] != c {
				q = append(q, c)
			}
		}
		if len(q) > 1 && q[0] == q[len(q)-1] {
			q = q[:len(q)-1]
		}
		a := math.Abs(area(r))
		all = append(all, rr{q, a})
		if best < 0 || a > all[best].area {
			best = len(all) - 1
		}
		if a >= minArea && len(q) >= 3 {
			kept = append(kept, rr{q, a})
		}
	}
	if len(kept) == 0 && best >= 0 {
		// A dot of radius 3 at the ring's first point.
		c := all[best].pts[0]
		return fmt.Sprintf("M%d %dm-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0z", c[0], c[1])
	}
	var b strings.Builder
	cur := [2]int{}
	for _, r := range kept {
		p := r.pts[0]
		if b.Len() == 0 {
			fmt.Fprintf(&b, "M%d %d", p[0], p[1])
		} else {
			b.WriteString("m")
			pair(&b, p[0]-cur[0], p[1]-cur[1])
		}
		b.WriteString("l")
		prev := p
		for i, q := range r.pts[1:] {
			if i > 0 {
				sep(&b, q[0]-prev[0])
			}
			pair(&b, q[0]-prev[0], q[1]-prev[1])
			prev = q
		}
		b.WriteString("z")
		cur = p // after z the current point is the ring's start
	}
	return b.String()
}

// pair writes dx dy, the separator left out before a minus sign.
func pair(b *strings.Builder, dx, dy int) {
	fmt.Fprintf(b, "%d", dx)
	sep(b, dy)
	fmt.Fprintf(b, "%d", dy)
}

func sep(b *strings.Builder, next int) {
	if next >= 0 {
		b.WriteByte(' ')
	}
}

func area(r []point) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return s / 2
}

// simplify is Douglas–Peucker, keeping both ends of the arc: it returns
// the indexes of the points kept.
func simplify(pts []point, tol float64) []int {
	if len(pts) < 3 {
		out := make([]int, len(pts))
		for i := range out {
			out[i] = i
		}
		return out
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var rec func(a, b int)
	rec = func(a, b int) {
		if b <= a+1 {
			return
		}
		maxD, idx := 0.0, -1
		for i := a + 1; i < b; i++ {
			if d := dist(pts[i], pts[a], pts[b]); d > maxD {
				maxD, idx = d, i
			}
		}
		if maxD > tol {
			keep[idx] = true
			rec(a, idx)
			rec(idx, b)
		}
	}
	rec(0, len(pts)-1)
	var out []int
	for i := range pts {
		if keep[i] {
			out = append(out, i)
		}
	}
	return out
}

func dist(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	if dx == 0 && dy == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}
