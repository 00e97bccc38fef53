//go:build race

package main

// raceEnabled tells TestMain to build the binary under test with the race
// detector, as this test binary was.
const raceEnabled = true
