// Package e2e holds end-to-end tests: several Colmena nodes run in-process,
// federate with one another over HTTP on 127.0.0.1, and a headless
// Chromium browses their pages.
//
// The browser is found through COLMENA_CHROMIUM, /usr/bin/chromium, or
// chromium, chromium-browser or google-chrome on PATH. Without one the
// browser tests skip, except when CI=true, where they fail. Screenshots go
// to COLMENA_ARTIFACTS when it is set, and otherwise to a temporary
// directory that the tests log and leave behind.
package e2e
