//go:build !race

package main

// raceEnabled is false: the binary under test is built without the race
// detector, which would cost minutes of compiling for nothing.
const raceEnabled = false
