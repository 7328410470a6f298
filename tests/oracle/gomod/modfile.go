// modfile.go - oracle for the gomod cataloger's go.mod reader: the go
// command's own parser, golang.org/x/mod/modfile from Debian's
// golang-golang-x-mod-dev (built by tests/oracle/gomod.sh in GOPATH mode,
// no network).
//
// For each file named on the command line it prints "== NAME", then
// either "E" and modfile.Parse's error, or the directives the gomod
// cataloger reads, one per line, in file order:
//
//	module PATH
//	go VERSION
//	require PATH VERSION direct|indirect
//	replace OLDPATH OLDVERSION|- => NEWPATH NEWVERSION|-
//	excludes COUNT (when there are any)
//
// Debian's x/mod (0.7) predates the toolchain directive and go versions
// other than 1.N: the test leaves those out of what it compares.
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/modfile"
)

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func main() {
	for _, name := range os.Args[1:] {
		fmt.Printf("== %s\n", name)
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Printf("E %v\n", err)
			continue
		}
		f, err := modfile.Parse(name, data, nil)
		if err != nil {
			fmt.Printf("E %q\n", err.Error())
			continue
		}
		if f.Module != nil {
			fmt.Printf("module %q\n", f.Module.Mod.Path)
		}
		if f.Go != nil {
			fmt.Printf("go %s\n", f.Go.Version)
		}
		for _, r := range f.Require {
			kind := "direct"
			if r.Indirect {
				kind = "indirect"
			}
			fmt.Printf("require %q %q %s\n", r.Mod.Path, r.Mod.Version, kind)
		}
		for _, r := range f.Replace {
			fmt.Printf("replace %q %q => %q %q\n", r.Old.Path, dash(r.Old.Version), r.New.Path, dash(r.New.Version))
		}
		if len(f.Exclude) > 0 {
			fmt.Printf("excludes %d\n", len(f.Exclude))
		}
	}
}
