package main

// The dsrevisions subcommand reads test vectors (the spec.roles of a DisaggregatedSet, as the apiserver
// would hand them to the controller) and prints upstream's ComputeRevision for each, with the exact bytes
// that were hashed so a mismatch in the TypeScript encoder is easy to locate.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	kjson "sigs.k8s.io/json"

	disaggregatedsetv1 "sigs.k8s.io/lws/api/disaggregatedset/v1"
	leaderworkerset "sigs.k8s.io/lws/api/leaderworkerset/v1"
	dsutils "sigs.k8s.io/lws/pkg/utils/disaggregatedset"
)

type dsRevisionInput struct {
	Name  string          `json:"name"`
	Roles json.RawMessage `json:"roles"`
}

type dsRevisionOutput struct {
	Name     string `json:"name"`
	Revision string `json:"revision"`
	// Hashed is the json.Marshal input of ComputeRevision, rebuilt here with the same struct shape; its
	// SHA-256 prefix is checked against Revision before it is printed.
	Hashed string `json:"hashed"`
}

func runDSRevisions() error {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var inputs []dsRevisionInput
	if err := json.Unmarshal(raw, &inputs); err != nil {
		return err
	}
	out := make([]dsRevisionOutput, 0, len(inputs))
	for _, in := range inputs {
		var generic any
		if err := kjson.UnmarshalCaseSensitivePreserveInts(in.Roles, &generic); err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		stored, err := json.Marshal(generic)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		var roles []disaggregatedsetv1.DisaggregatedRoleSpec
		if err := kjson.UnmarshalCaseSensitivePreserveInts(stored, &roles); err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		if roles == nil {
			roles = []disaggregatedsetv1.DisaggregatedRoleSpec{}
		}
		type roleTemplate struct {
			Name     string                               `json:"name"`
			Template leaderworkerset.LeaderWorkerTemplate `json:"template"`
		}
		templates := make([]roleTemplate, 0, len(roles))
		for _, r := range roles {
			templates = append(templates, roleTemplate{Name: r.Name, Template: r.Spec.LeaderWorkerTemplate})
		}
		hashed, err := json.Marshal(templates)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		revision := dsutils.ComputeRevision(roles)
		sum := sha256.Sum256(hashed)
		if hex.EncodeToString(sum[:])[:len(revision)] != revision {
			return fmt.Errorf("%s: rebuilt hash input does not match ComputeRevision %s", in.Name, revision)
		}
		out = append(out, dsRevisionOutput{Name: in.Name, Revision: revision, Hashed: string(hashed)})
	}
	return writeLines(os.Stdout, out)
}
