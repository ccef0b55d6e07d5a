package main

// What the apiserver does to a LeaderWorkerSet request body before any webhook sees it, using the
// apiextensions-apiserver packages it runs: unknown fields pruned, nulls of non-nullable fields
// dropped, then the structural schema's defaults applied (customresource_handler.go:
// unstructuredSchemaCoercer.apply, then unstructuredDefaulter.Default). The same happens again to
// the object a mutating webhook returns.

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"
)

type crdSchema struct {
	structural *structuralschema.Structural
}

func loadCRDSchema(path string) (*crdSchema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name != "v1" || v.Schema == nil {
			continue
		}
		internal := &apiextensions.JSONSchemaProps{}
		if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, internal, nil); err != nil {
			return nil, err
		}
		s, err := structuralschema.NewStructural(internal)
		if err != nil {
			return nil, err
		}
		return &crdSchema{structural: s}, nil
	}
	return nil, fmt.Errorf("%s: no v1 schema", path)
}

// decode returns body as the apiserver hands it on: pruned and defaulted, re-encoded as JSON.
func (c *crdSchema) decode(body []byte) ([]byte, error) {
	var obj map[string]any
	// The unstructured JSON decoding of the apiserver: integers become int64.
	if err := utiljson.Unmarshal(body, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, fmt.Errorf("the object is not a JSON object")
	}
	structuralpruning.PruneWithOptions(obj, c.structural, true, structuralschema.UnknownFieldPathOptions{})
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, c.structural)
	structuraldefaulting.Default(obj, c.structural)
	return json.Marshal(obj)
}
