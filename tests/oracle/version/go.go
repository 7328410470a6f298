// go.go - oracle for the "go" and "gostd" schemes: govulncheck's own
// version handling, from Debian's golang-golang-x-mod-dev and
// golang-golang-x-vuln-dev (built by tests/oracle/version.sh in GOPATH
// mode, placed under golang.org/x/vuln/ so that it may import x/vuln's
// internal/semver package).
//
// Reads "A\tB" lines on stdin (split on '\n' only) and prints, per line,
// -1, 0 or 1 from golang.org/x/mod/semver.Compare after the conversion
// govulncheck applies, or E when a converted version is not valid semver
// (semver.Compare would rank it below every valid one; customs reports it).
//
//   go:    CanonicalizeSemverPrefix (a "v", "go" or no prefix: "1.2.3",
//          "v1.2.3"), as govulncheck does to module versions and to the
//          versions of OSV ranges before semver.Compare.
//   gostd: a Go release tag ("go1.21rc2", "go1.20", "go1.19.8 X:boringcrypto")
//          through GoTagToSemver, as govulncheck does to the Go version of
//          a binary for the "stdlib" module; anything else as for "go" (the
//          OSV side: "1.21.0-rc.2").
//
// Usage: oracle go|gostd < pairs > answers
package main

import (
	"bufio"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/semver"
	isem "golang.org/x/vuln/internal/semver"
)

func convert(mode, s string) string {
	if mode == "gostd" && strings.HasPrefix(s, "go") {
		return isem.GoTagToSemver(s)
	}
	return isem.CanonicalizeSemverPrefix(s)
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "go" && os.Args[1] != "gostd") {
		os.Stderr.WriteString("usage: oracle go|gostd < pairs\n")
		os.Exit(2)
	}
	mode := os.Args[1]
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	lines := strings.Split(string(raw), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	w := bufio.NewWriter(os.Stdout)
	for _, line := range lines {
		a, b, _ := strings.Cut(line, "\t")
		ca, cb := convert(mode, a), convert(mode, b)
		if !semver.IsValid(ca) || !semver.IsValid(cb) {
			w.WriteString("E\n")
			continue
		}
		switch semver.Compare(ca, cb) {
		case -1:
			w.WriteString("-1\n")
		case 0:
			w.WriteString("0\n")
		default:
			w.WriteString("1\n")
		}
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
}
