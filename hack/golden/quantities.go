package main

// The quantities subcommand reads a JSON array of quantity strings and prints, for each, what
// resource.Quantity makes of it when decoded from JSON and encoded again (or the parse error).

import (
	"encoding/json"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/api/resource"
)

type quantityVector struct {
	In    string `json:"in"`
	Out   string `json:"out,omitempty"`
	Error bool   `json:"error,omitempty"`
}

func runQuantities() error {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var inputs []string
	if err := json.Unmarshal(raw, &inputs); err != nil {
		return err
	}
	out := make([]quantityVector, 0, len(inputs))
	for _, in := range inputs {
		v := quantityVector{In: in}
		var q resource.Quantity
		quoted, _ := json.Marshal(in)
		if err := json.Unmarshal(quoted, &q); err != nil {
			v.Error = true
		} else {
			b, err := json.Marshal(q)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(b, &v.Out); err != nil {
				return err
			}
		}
		out = append(out, v)
	}
	return writeLines(os.Stdout, out)
}
