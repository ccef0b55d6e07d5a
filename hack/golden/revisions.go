package main

// The revisions subcommand reads test vectors (LeaderWorkerSet objects) and prints what upstream's
// revision code makes of each: the ControllerRevision NewRevision builds, its patch bytes and key,
// and, when the vector carries a previously stored revision, how the controller compares them.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/lru"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	kjson "sigs.k8s.io/json"

	leaderworkerset "sigs.k8s.io/lws/api/leaderworkerset/v1"
	revisionutils "sigs.k8s.io/lws/pkg/utils/revision"
)

type revisionInput struct {
	Name string          `json:"name"`
	LWS  json.RawMessage `json:"lws"`
	// Stored is the data of an existing ControllerRevision, as raw bytes (e.g. written by an
	// older controller), to compare with the revision built from LWS.
	Stored *string `json:"stored,omitempty"`
	// RevisionNumber is the revision NewRevision should pick (defaults to 1).
	RevisionNumber int64 `json:"revisionNumber,omitempty"`
}

type revisionOutput struct {
	Name     string                     `json:"name"`
	Key      string                     `json:"key"`
	Patch    string                     `json:"patch"`
	Revision *appsv1.ControllerRevision `json:"revision"`
	// Reapplied is the patch of the set restored from its own revision (ApplyRevision drops
	// what does not survive a decode, e.g. a zero *metav1.Time).
	Reapplied string `json:"reapplied"`
	// Set only with a stored revision.
	Equal        *bool   `json:"equal,omitempty"`
	Matches      *bool   `json:"matches,omitempty"`
	AppliedPatch *string `json:"appliedPatch,omitempty"`
}

func runRevisions() error {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var inputs []revisionInput
	if err := json.Unmarshal(raw, &inputs); err != nil {
		return err
	}
	out := make([]revisionOutput, 0, len(inputs))
	for _, in := range inputs {
		o, err := revisionVector(in)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		out = append(out, o)
	}
	return writeLines(os.Stdout, out)
}

func revisionVector(in revisionInput) (revisionOutput, error) {
	lws, err := decodeLikeController(in.LWS)
	if err != nil {
		return revisionOutput{}, err
	}
	ctx := context.Background()
	c := fake.NewClientBuilder().Build()
	for n := int64(1); n < in.RevisionNumber; n++ {
		older := &appsv1.ControllerRevision{Revision: n}
		older.Name, older.Namespace = fmt.Sprintf("older-%d", n), lws.Namespace
		older.Labels = map[string]string{leaderworkerset.SetNameLabelKey: lws.Name}
		if err := c.Create(ctx, older); err != nil {
			return revisionOutput{}, err
		}
	}
	cr, err := revisionutils.NewRevision(ctx, c, lws, "")
	if err != nil {
		return revisionOutput{}, err
	}
	o := revisionOutput{Name: in.Name, Key: revisionutils.GetRevisionKey(cr), Patch: string(cr.Data.Raw), Revision: cr}
	if o.Reapplied, err = reappliedPatch(lws, cr); err != nil {
		return revisionOutput{}, err
	}
	if in.Stored == nil {
		return o, nil
	}
	stored := cr.DeepCopy()
	stored.Data = runtime.RawExtension{Raw: []byte(*in.Stored)}
	equal := revisionutils.EqualRevision(cr, stored)
	matches := revisionutils.SetMatchesRevision(lws, cr, stored, lru.New(10))
	patch, err := reappliedPatch(lws, stored)
	if err != nil {
		return revisionOutput{}, err
	}
	o.Equal, o.Matches, o.AppliedPatch = &equal, &matches, &patch
	return o, nil
}

// reappliedPatch is the patch of lws once cr is applied to it.
func reappliedPatch(lws *leaderworkerset.LeaderWorkerSet, cr *appsv1.ControllerRevision) (string, error) {
	applied, err := revisionutils.ApplyRevision(lws, cr)
	if err != nil {
		return "", err
	}
	again, err := revisionutils.NewRevision(context.Background(), fake.NewClientBuilder().Build(), applied, "")
	if err != nil {
		return "", err
	}
	return string(again.Data.Raw), nil
}

// decodeLikeController turns vector JSON into the typed object the controller would hold: the
// apiserver stores a CR as generic JSON (integers kept, other numbers as float64, re-encoded by
// encoding/json), and client-go decodes it case-sensitively into the Go struct.
func decodeLikeController(raw []byte) (*leaderworkerset.LeaderWorkerSet, error) {
	var generic any
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, &generic); err != nil {
		return nil, err
	}
	stored, err := json.Marshal(generic)
	if err != nil {
		return nil, err
	}
	lws := &leaderworkerset.LeaderWorkerSet{}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(stored, lws); err != nil {
		return nil, err
	}
	return lws, nil
}

// writeLines prints a JSON array one element per line, so regenerated files diff well.
func writeLines[T any](w io.Writer, items []T) error {
	if _, err := fmt.Fprintln(w, "["); err != nil {
		return err
	}
	for i, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return err
		}
		sep := ","
		if i == len(items)-1 {
			sep = ""
		}
		if _, err := fmt.Fprintf(w, "%s%s\n", b, sep); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, "]")
	return err
}
