// Command oracle is the Go side of the differential tests of our admission webhooks (see
// docs/differential.md). It runs upstream's own webhook code, sigs.k8s.io/lws v0.10.0
// pkg/webhooks, the way a running upstream manager does: through controller-runtime's
// admission.WithDefaulter / admission.WithValidator handlers (typed decode, patch computation,
// panic recovery), with the CRD's structural schema defaults applied first as the apiserver does.
//
// The DisaggregatedSet validating webhook (pkg/webhooks/disaggregatedset, admission.WithValidator) is run the
// same way, after the apiserver's pruning and defaulting with upstream's DisaggregatedSet CRD.
//
// Input (stdin): one case per line, {"id", "kind": "lws"|"pod"|"ds", "operation", "mutate", "object", "old"}.
// Output (stdout): one result per line, in input order; see the result type.
//
// Test oracle only: nothing here ships, and no upstream code is copied.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"github.com/go-logr/logr"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	jsonpatch "github.com/evanphx/json-patch/v5"
	disaggv1 "sigs.k8s.io/lws/api/disaggregatedset/v1"
	leaderworkerset "sigs.k8s.io/lws/api/leaderworkerset/v1"
	"sigs.k8s.io/lws/pkg/webhooks"
	dswebhook "sigs.k8s.io/lws/pkg/webhooks/disaggregatedset"
)

type spec struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Operation of the LWS request: CREATE (default) or UPDATE. Pods are always CREATE.
	Operation string `json:"operation,omitempty"`
	// Mutate (LWS, default true) runs the mutating webhook before the validating one, as the
	// apiserver does when both are registered; false validates the CRD-defaulted object directly.
	Mutate *bool           `json:"mutate,omitempty"`
	Object json.RawMessage `json:"object"`
	// Old (LWS UPDATE) is the previous object as a user wrote it; it is stored the way the
	// apiserver would have stored it: CRD defaults, then the mutating webhook on CREATE.
	Old json.RawMessage `json:"old,omitempty"`
}

// answer is one webhook's AdmissionResponse, reduced to what the apiserver acts on.
type answer struct {
	Allowed bool `json:"allowed"`
	// Code, Reason and Message of the response status, for a refusal (an allowed response
	// always carries code 200 and no message).
	Code    int32  `json:"code,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// Warnings of the response (allowed or not).
	Warnings []string `json:"warnings,omitempty"`
	// Object (mutating webhooks, allowed) is the request object with the response's JSON
	// patch applied: what the apiserver continues with.
	Object json.RawMessage `json:"object,omitempty"`
}

type fieldError struct {
	Type     string          `json:"type"`
	Field    string          `json:"field"`
	BadValue json.RawMessage `json:"badValue"`
	Detail   string          `json:"detail"`
}

type validation struct {
	answer
	// Object is what the validating webhook was given.
	Object json.RawMessage `json:"object"`
	// Errors is the field.ErrorList ValidateCreate/ValidateUpdate returned (as aggregated).
	Errors []fieldError `json:"errors,omitempty"`
	// Panic is the value a direct call of the validator panicked with.
	Panic string `json:"panic,omitempty"`
}

type result struct {
	ID string `json:"id"`
	// Crd (LWS) is the request object after the apiserver's schema pruning and defaulting.
	Crd json.RawMessage `json:"crd,omitempty"`
	// Old (LWS UPDATE) is the stored previous object.
	Old      json.RawMessage `json:"old,omitempty"`
	Mutate   *answer         `json:"mutate,omitempty"`
	Validate *validation     `json:"validate,omitempty"`
	// NonCanonical (pods) reports an input that differs from the apiserver's own serialisation
	// of the pod (e.g. a container without "resources": {}); upstream's patch would then also
	// rewrite those parts, so generated inputs must not do that.
	NonCanonical string `json:"nonCanonical,omitempty"`
	// Error means the oracle could not run the case at all (a malformed spec).
	Error string `json:"error,omitempty"`
}

type oracle struct {
	scheme      *runtime.Scheme
	decoder     admission.Decoder
	crd         *crdSchema
	lwsDefault  *admission.Webhook
	lwsValidate *admission.Webhook
	podDefault  *admission.Webhook
	dsCrd       *crdSchema
	dsValidate  *admission.Webhook
}

func newOracle(crdPath, dsCrdPath string) (*oracle, error) {
	crd, err := loadCRDSchema(crdPath)
	if err != nil {
		return nil, err
	}
	dsCrd, err := loadCRDSchema(dsCrdPath)
	if err != nil {
		return nil, err
	}
	// The scheme of upstream's manager, as far as these webhooks decode with it.
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(leaderworkerset.AddToScheme(scheme))
	utilruntime.Must(disaggv1.AddToScheme(scheme))
	// What ctrl.NewWebhookManagedBy(mgr, obj).WithDefaulter(w).WithValidator(w).Complete()
	// registers (no RecoverPanic option: controller-runtime then recovers panics).
	lwsWebhook := &webhooks.LeaderWorkerSetWebhook{}
	return &oracle{
		scheme:      scheme,
		decoder:     admission.NewDecoder(scheme),
		crd:         crd,
		lwsDefault:  admission.WithDefaulter[*leaderworkerset.LeaderWorkerSet](scheme, lwsWebhook),
		lwsValidate: admission.WithValidator[*leaderworkerset.LeaderWorkerSet](scheme, lwsWebhook),
		podDefault:  admission.WithDefaulter[*corev1.Pod](scheme, webhooks.NewPodWebhook(nil)),
		dsCrd:       dsCrd,
		// What dswebhook.SetupDisaggregatedSetWebhook registers: WithValidator only.
		dsValidate: admission.WithValidator[*disaggv1.DisaggregatedSet](scheme, &dswebhook.DisaggregatedSetWebhook{}),
	}, nil
}

func request(op admissionv1.Operation, object, old []byte, namespace string) admission.Request {
	return admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
		UID:       "differential",
		Operation: op,
		Namespace: namespace,
		Object:    runtime.RawExtension{Raw: object},
		OldObject: runtime.RawExtension{Raw: old},
	}}
}

// call runs one webhook on a request; for an allowed mutating response, the patched object.
func call(wh *admission.Webhook, req admission.Request) (answer, error) {
	resp := wh.Handle(context.Background(), req)
	a := answer{Allowed: resp.Allowed, Warnings: resp.Warnings}
	if !resp.Allowed {
		if resp.Result != nil {
			a.Code, a.Reason, a.Message = resp.Result.Code, string(resp.Result.Reason), resp.Result.Message
		}
		return a, nil
	}
	if len(resp.Patch) == 0 {
		a.Object = req.Object.Raw
		return a, nil
	}
	patch, err := jsonpatch.DecodePatch(resp.Patch)
	if err != nil {
		return a, err
	}
	patched, err := patch.Apply(req.Object.Raw)
	if err != nil {
		return a, fmt.Errorf("applying the webhook's patch: %w", err)
	}
	a.Object = patched
	return a, nil
}

func (o *oracle) run(s spec) result {
	r := result{ID: s.ID}
	var err error
	switch s.Kind {
	case "lws":
		err = o.runLWS(s, &r)
	case "pod":
		err = o.runPod(s, &r)
	case "ds":
		err = o.runDS(s, &r)
	default:
		err = fmt.Errorf("unknown kind %q", s.Kind)
	}
	if err != nil {
		r = result{ID: s.ID, Error: err.Error()}
	}
	return r
}

func (o *oracle) runLWS(s spec, r *result) error {
	op := admissionv1.Operation(s.Operation)
	if op == "" {
		op = admissionv1.Create
	}
	if op != admissionv1.Create && op != admissionv1.Update {
		return fmt.Errorf("unsupported operation %q", op)
	}
	raw, err := o.crd.decode(s.Object)
	if err != nil {
		return err
	}
	r.Crd = raw
	var old []byte
	if op == admissionv1.Update {
		if old, err = o.stored(s.Old); err != nil {
			return fmt.Errorf("old: %w", err)
		}
		r.Old = old
	}
	validated := raw
	if s.Mutate == nil || *s.Mutate {
		a, err := call(o.lwsDefault, request(op, raw, old, ""))
		if err != nil {
			return err
		}
		r.Mutate = &a
		if !a.Allowed {
			return nil
		}
		// The apiserver decodes the patched object again (pruning, schema defaults), then its
		// strategy keeps status out of writes to the main resource.
		if validated, err = o.crd.decode(a.Object); err != nil {
			return err
		}
		if validated, err = keepStatus(validated, old); err != nil {
			return err
		}
	}
	a, err := call(o.lwsValidate, request(op, validated, old, ""))
	if err != nil {
		return err
	}
	v := &validation{answer: a, Object: validated}
	v.Errors, v.Panic, err = o.fieldErrors(op, validated, old)
	if err != nil {
		return err
	}
	r.Validate = v
	return nil
}

// stored is the object the apiserver would have stored for a CREATE of obj, with the status obj
// carries (as if the controller had written it through the status subresource since).
func (o *oracle) stored(obj []byte) ([]byte, error) {
	raw, err := o.crd.decode(obj)
	if err != nil {
		return nil, err
	}
	a, err := call(o.lwsDefault, request(admissionv1.Create, raw, nil, ""))
	if err != nil || !a.Allowed {
		return raw, err
	}
	created, err := o.crd.decode(a.Object)
	if err != nil {
		return nil, err
	}
	return keepStatus(created, raw)
}

// keepStatus is the custom-resource strategy of a resource with a status subresource
// (PrepareForCreate, PrepareForUpdate): a create drops status, an update keeps the stored one.
// It runs before validating admission.
func keepStatus(obj, old []byte) ([]byte, error) {
	var o, prev map[string]any
	// Integers stay integers (int64), as in the apiserver's unstructured objects.
	if err := utiljson.Unmarshal(obj, &o); err != nil {
		return nil, err
	}
	delete(o, "status")
	if old != nil {
		if err := utiljson.Unmarshal(old, &prev); err != nil {
			return nil, err
		}
		if status, ok := prev["status"]; ok {
			o["status"] = status
		}
	}
	return json.Marshal(o)
}

// fieldErrors calls the validator directly for the structured list behind its message.
func (o *oracle) fieldErrors(op admissionv1.Operation, obj, old []byte) (list []fieldError, panicked string, err error) {
	lws, oldLws := &leaderworkerset.LeaderWorkerSet{}, &leaderworkerset.LeaderWorkerSet{}
	if err := o.decoder.DecodeRaw(runtime.RawExtension{Raw: obj}, lws); err != nil {
		return nil, "", nil // the handler already answered 400
	}
	if op == admissionv1.Update {
		if err := o.decoder.DecodeRaw(runtime.RawExtension{Raw: old}, oldLws); err != nil {
			return nil, "", nil
		}
	}
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprint(p)
		}
	}()
	w := &webhooks.LeaderWorkerSetWebhook{}
	var verr error
	if op == admissionv1.Create {
		_, verr = w.ValidateCreate(context.Background(), lws)
	} else {
		_, verr = w.ValidateUpdate(context.Background(), oldLws, lws)
	}
	list, err = aggregateErrors(verr)
	return list, "", err
}

// aggregateErrors is the field.ErrorList behind a validator's ToAggregate() error.
func aggregateErrors(verr error) (list []fieldError, err error) {
	var agg utilerrors.Aggregate
	if verr == nil {
		return nil, nil
	}
	if !errors.As(verr, &agg) {
		return nil, fmt.Errorf("validator returned %T, not a field.ErrorList aggregate", verr)
	}
	for _, e := range agg.Errors() {
		var fe *field.Error
		if !errors.As(e, &fe) {
			return nil, fmt.Errorf("aggregate holds %T", e)
		}
		bad, err := json.Marshal(fe.BadValue)
		if err != nil {
			return nil, err
		}
		list = append(list, fieldError{Type: string(fe.Type), Field: fe.Field, BadValue: bad, Detail: fe.Detail})
	}
	return list, nil
}

// runDS: the apiserver's decoding with the DisaggregatedSet CRD, its status-subresource strategy, then the
// validating webhook (there is no mutating one); for an update the stored object is the CRD-decoded old one
// with the status it carries.
func (o *oracle) runDS(s spec, r *result) error {
	op := admissionv1.Operation(s.Operation)
	if op == "" {
		op = admissionv1.Create
	}
	if op != admissionv1.Create && op != admissionv1.Update {
		return fmt.Errorf("unsupported operation %q", op)
	}
	raw, err := o.dsCrd.decode(s.Object)
	if err != nil {
		return err
	}
	r.Crd = raw
	var old []byte
	if op == admissionv1.Update {
		if old, err = o.dsCrd.decode(s.Old); err != nil {
			return fmt.Errorf("old: %w", err)
		}
		r.Old = old
	}
	validated, err := keepStatus(raw, old)
	if err != nil {
		return err
	}
	a, err := call(o.dsValidate, request(op, validated, old, ""))
	if err != nil {
		return err
	}
	v := &validation{answer: a, Object: validated}
	v.Errors, v.Panic, err = o.dsFieldErrors(op, validated, old)
	if err != nil {
		return err
	}
	r.Validate = v
	return nil
}

func (o *oracle) dsFieldErrors(op admissionv1.Operation, obj, old []byte) (list []fieldError, panicked string, err error) {
	ds, oldDs := &disaggv1.DisaggregatedSet{}, &disaggv1.DisaggregatedSet{}
	if err := o.decoder.DecodeRaw(runtime.RawExtension{Raw: obj}, ds); err != nil {
		return nil, "", nil
	}
	if op == admissionv1.Update {
		if err := o.decoder.DecodeRaw(runtime.RawExtension{Raw: old}, oldDs); err != nil {
			return nil, "", nil
		}
	}
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprint(p)
		}
	}()
	w := &dswebhook.DisaggregatedSetWebhook{}
	var verr error
	if op == admissionv1.Create {
		_, verr = w.ValidateCreate(context.Background(), ds)
	} else {
		_, verr = w.ValidateUpdate(context.Background(), oldDs, ds)
	}
	list, err = aggregateErrors(verr)
	return list, "", err
}

func (o *oracle) runPod(s spec, r *result) error {
	var meta struct {
		Metadata struct {
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(s.Object, &meta); err != nil {
		return err
	}
	if msg, err := o.canonicalPod(s.Object); err != nil {
		return err
	} else if msg != "" {
		r.NonCanonical = msg
	}
	a, err := call(o.podDefault, request(admissionv1.Create, s.Object, nil, meta.Metadata.Namespace))
	if err != nil {
		return err
	}
	r.Mutate = &a
	return nil
}

// canonicalPod compares raw with the JSON of its typed decode, as the apiserver would send it.
func (o *oracle) canonicalPod(raw []byte) (string, error) {
	pod := &corev1.Pod{}
	if err := o.decoder.DecodeRaw(runtime.RawExtension{Raw: raw}, pod); err != nil {
		return "", nil // the webhook answers this itself
	}
	typed, err := json.Marshal(pod)
	if err != nil {
		return "", err
	}
	var a, b any
	if err := json.Unmarshal(raw, &a); err != nil {
		return "", err
	}
	if err := json.Unmarshal(typed, &b); err != nil {
		return "", err
	}
	if reflect.DeepEqual(a, b) {
		return "", nil
	}
	return "the apiserver would send " + string(typed), nil
}

func main() {
	crdPath := flag.String("crd", "", "upstream's LeaderWorkerSet CRD (config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml of sigs.k8s.io/lws v0.10.0)")
	dsCrdPath := flag.String("ds-crd", "", "upstream's DisaggregatedSet CRD (default: disaggregatedset.x-k8s.io_disaggregatedsets.yaml next to -crd)")
	flag.Parse()
	if *crdPath == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: oracle -crd <upstream CRD yaml> <cases.jsonl >results.jsonl")
		os.Exit(2)
	}
	// controller-runtime logs through logf and reports recovered panics through these handlers;
	// both only log, so silence them.
	logf.SetLogger(logr.Discard())
	utilruntime.PanicHandlers = nil
	if *dsCrdPath == "" {
		*dsCrdPath = filepath.Join(filepath.Dir(*crdPath), "disaggregatedset.x-k8s.io_disaggregatedsets.yaml")
	}
	o, err := newOracle(*crdPath, *dsCrdPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		line, err := in.ReadBytes('\n')
		if line = bytes.TrimSpace(line); len(line) > 0 {
			var s spec
			var r result
			if err := json.Unmarshal(line, &s); err != nil {
				r = result{ID: s.ID, Error: "bad spec: " + err.Error()}
			} else {
				r = o.run(s)
			}
			b, err := json.Marshal(r)
			if err != nil {
				b, _ = json.Marshal(result{ID: s.ID, Error: err.Error()})
			}
			out.Write(b)
			out.WriteByte('\n')
			// One answer per question: a caller may wait for it before sending more.
			if in.Buffered() == 0 {
				out.Flush()
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
