// Package worldmap holds a small world map: one simplified SVG path per
// country, keyed by ISO 3166-1 alpha-2 code, in the Natural Earth
// projection. The paths are made once from world-atlas (Natural Earth
// data, public domain; see LICENSE) by gen/ and embedded, so that a page
// only has to choose each country's shade.
package worldmap

//go:generate sh gen/fetch.sh

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed countries.txt
var data string

// Attribution is the credit a page showing the map gives.
const Attribution = "Natural Earth; world-atlas (ISC)"

// Country is one country's shape.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code; empty for land that has none
	// of its own (disputed areas), drawn but never shaded.
	Code string
	Path string // SVG path data in the map's user units
}

// Map is the whole world, countries in code order.
type Map struct {
	Width, Height int
	Countries     []Country
	index         map[string]int
}

// Load parses the embedded map.
func Load() (*Map, error) {
	m := &Map{index: map[string]int{}}
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			if _, err := fmt.Sscanf(line[strings.Index(line, ", ")+2:], "%d×%d", &m.Width, &m.Height); err != nil {
				return nil, fmt.Errorf("worldmap: header %q: %w", line, err)
			}
			continue
		}
		code, path, ok := strings.Cut(line, " ")
		if !ok || len(code) != 2 || path == "" {
			return nil, fmt.Errorf("worldmap: bad line %.40q", line)
		}
		if code == "--" {
			code = ""
		} else {
			m.index[code] = len(m.Countries)
		}
		m.Countries = append(m.Countries, Country{Code: code, Path: path})
	}
	if m.Width == 0 || len(m.Countries) == 0 {
		return nil, fmt.Errorf("worldmap: empty map")
	}
	return m, sc.Err()
}

// Has tells whether the map has a shape for the country code.
func (m *Map) Has(code string) bool {
	_, ok := m.index[code]
	return ok
}
