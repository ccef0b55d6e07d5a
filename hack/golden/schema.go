package main

// The schema subcommand walks, by reflection, every Go type reachable from the two parts of a
// LeaderWorkerSet that the revision hash covers, and from the whole LeaderWorkerSet (whose
// encoding the LWS defaulting webhook's patch carries), and prints what encoding/json needs to
// know about each struct field: its JSON name, omitempty/omitzero, and the kind of its value. The
// TS serializer (src/k8s/go/gojson.ts) replays encoding/json from this data.

import (
	"encoding"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	leaderworkerset "sigs.k8s.io/lws/api/leaderworkerset/v1"
)

// Types whose JSON form comes from their own MarshalJSON/UnmarshalJSON, implemented by hand in TS.
var special = map[reflect.Type]string{
	reflect.TypeFor[resource.Quantity]():    "quantity",
	reflect.TypeFor[intstr.IntOrString]():   "intstr",
	reflect.TypeFor[metav1.Time]():          "time",
	reflect.TypeFor[metav1.MicroTime]():     "microtime",
	reflect.TypeFor[metav1.FieldsV1]():      "raw",
	reflect.TypeFor[runtime.RawExtension](): "raw",
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	unmarshalerType   = reflect.TypeFor[json.Unmarshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshalType = reflect.TypeFor[encoding.TextUnmarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
)

type field struct {
	name  string
	ref   string
	flags string
	depth int
	tag   bool
}

type walker struct {
	structs map[string][][3]string
	names   map[string]reflect.Type
}

func runSchema() error {
	w := &walker{structs: map[string][][3]string{}, names: map[string]reflect.Type{}}
	roots := map[string]string{
		"LeaderWorkerTemplate": w.ref(reflect.TypeFor[leaderworkerset.LeaderWorkerTemplate]()),
		"NetworkConfig":        w.ref(reflect.TypeFor[leaderworkerset.NetworkConfig]()),
		// The whole object, for the LWS defaulting webhook's response (src/lws/webhooks/lws-defaulting-patch.ts).
		"LeaderWorkerSet": w.ref(reflect.TypeFor[leaderworkerset.LeaderWorkerSet]()),
	}
	return writeSchema(os.Stdout, roots, w.structs)
}

// ref names a type in the schema's small type language: "*T", "[]T", "{}T" (map with string
// keys), a scalar kind, a special kind, or a struct name (whose fields are then recorded).
func (w *walker) ref(t reflect.Type) string {
	if s, ok := special[t]; ok {
		return s
	}
	if t.Kind() == reflect.Pointer {
		return "*" + w.ref(t.Elem())
	}
	if isCustom(t) {
		panic(fmt.Sprintf("%v has its own JSON or text (un)marshaler; teach the TS serializer", t))
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int"
	case reflect.Float32:
		return "float32"
	case reflect.Float64:
		return "float64"
	case reflect.Interface:
		return "any"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
		return "[]" + w.ref(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String || isCustom(t.Key()) {
			panic(fmt.Sprintf("map key %v is not a plain string", t.Key()))
		}
		return "{}" + w.ref(t.Elem())
	case reflect.Struct:
		return w.structRef(t)
	}
	panic(fmt.Sprintf("unsupported kind %v (%v)", t.Kind(), t))
}

func (w *walker) structRef(t reflect.Type) string {
	parts := strings.Split(t.PkgPath(), "/")
	name := strings.Join(parts[max(0, len(parts)-2):], "/") + "." + t.Name()
	if prev, ok := w.names[name]; ok {
		if prev != t {
			panic(fmt.Sprintf("schema name %s is ambiguous", name))
		}
		return name
	}
	w.names[name] = t
	w.structs[name] = nil // reserve: recursive types end here
	var out [][3]string
	for _, f := range w.fields(t, 0) {
		out = append(out, [3]string{f.name, f.ref, f.flags})
	}
	w.structs[name] = out
	return name
}

// fields lists the JSON fields of t as encoding/json sees them, with embedded structs promoted
// and the usual dominance rule (shallowest wins; a tie is broken by a tag, else both vanish).
func (w *walker) fields(t reflect.Type, depth int) []field {
	var all []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				panic(fmt.Sprintf("%v embeds pointer %v", t, ft))
			}
			if ft.Kind() == reflect.Struct {
				all = append(all, w.fields(ft, depth+1)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		f := field{name: name, depth: depth, tag: name != ""}
		if name == "" {
			f.name = sf.Name
		}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				f.flags += "e"
			case "omitzero":
				if hasIsZero(sf.Type) {
					f.flags += "Z"
				} else {
					f.flags += "z"
				}
			case "string":
				panic(fmt.Sprintf("%v.%s uses the ,string option", t, sf.Name))
			}
		}
		f.ref = w.ref(sf.Type)
		all = append(all, f)
	}
	if depth > 0 {
		return all
	}
	return dominant(all)
}

func dominant(all []field) []field {
	byName := map[string][]field{}
	var order []string
	for _, f := range all {
		if _, ok := byName[f.name]; !ok {
			order = append(order, f.name)
		}
		byName[f.name] = append(byName[f.name], f)
	}
	var out []field
	for _, n := range order {
		fs := byName[n]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].depth < fs[j].depth })
		win := fs[:1]
		for _, f := range fs[1:] {
			if f.depth == fs[0].depth {
				win = append(win, f)
			}
		}
		if len(win) > 1 {
			var tagged []field
			for _, f := range win {
				if f.tag {
					tagged = append(tagged, f)
				}
			}
			if len(tagged) != 1 {
				continue
			}
			win = tagged
		}
		out = append(out, win[0])
	}
	return out
}

func isCustom(t reflect.Type) bool {
	for _, x := range []reflect.Type{t, reflect.PointerTo(t)} {
		if x.Implements(marshalerType) || x.Implements(unmarshalerType) ||
			x.Implements(textMarshalerType) || x.Implements(textUnmarshalType) {
			return true
		}
	}
	return false
}

// hasIsZero mirrors encoding/json: omitzero calls an IsZero method when the type (or a pointer
// to it) has one, and otherwise uses reflect.Value.IsZero.
func hasIsZero(t reflect.Type) bool {
	return t.Implements(isZeroerType) || reflect.PointerTo(t).Implements(isZeroerType)
}

// writeSchema prints one struct per line so diffs stay readable.
func writeSchema(f *os.File, roots map[string]string, structs map[string][][3]string) error {
	names := make([]string, 0, len(structs))
	for n := range structs {
		names = append(names, n)
	}
	sort.Strings(names)
	r, err := json.Marshal(roots)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "{\n\"roots\": %s,\n\"structs\": {\n", r)
	for i, n := range names {
		b, err := json.Marshal(structs[n])
		if err != nil {
			return err
		}
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(f, "%q: %s%s\n", n, b, sep)
	}
	_, err = fmt.Fprint(f, "}\n}\n")
	return err
}
