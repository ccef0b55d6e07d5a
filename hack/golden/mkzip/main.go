// Command mkzip builds a Go module proxy entry for sigs.k8s.io/lws from an exported source tree of a tag,
// for machines where the public proxy will not serve the module zip. The go.sum hash still
// verifies it, so a wrong tree is rejected.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: mkzip <source-dir> <tag> <commit-time RFC3339> <proxy-dir>")
		os.Exit(2)
	}
	src, tag, when, out := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	m := module.Version{Path: "sigs.k8s.io/lws", Version: tag}
	dir := filepath.Join(out, "sigs.k8s.io", "lws", "@v")
	must(os.MkdirAll(dir, 0o755))
	f, err := os.Create(filepath.Join(dir, tag+".zip"))
	must(err)
	must(zip.CreateFromDir(f, m, src))
	must(f.Close())
	mod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	must(err)
	must(os.WriteFile(filepath.Join(dir, tag+".mod"), mod, 0o644))
	info := fmt.Sprintf("{\"Version\":%q,\"Time\":%q}\n", tag, when)
	must(os.WriteFile(filepath.Join(dir, tag+".info"), []byte(info), 0o644))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
