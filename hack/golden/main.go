// Command golden is a test oracle for the TypeScript port: it prints facts computed by upstream
// Go code (sigs.k8s.io/lws v0.10.0, k8s.io/apimachinery) for the TS tests to compare against.
// Nothing here ships; see generate.sh.
package main

import (
	"fmt"
	"os"
)

func main() {
	cmds := map[string]func() error{
		"schema":      runSchema,
		"revisions":   runRevisions,
		"quantities":  runQuantities,
		"dsrevisions": runDSRevisions,
		"podgroups":   runPodGroups,
	}
	if len(os.Args) != 2 || cmds[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: golden schema|revisions|quantities|dsrevisions|podgroups  (input on stdin, output on stdout)")
		os.Exit(2)
	}
	if err := cmds[os.Args[1]](); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
