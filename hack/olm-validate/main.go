// Command olm-validate validates an OLM bundle directory with the operator-framework's own validation code
// (github.com/operator-framework/api, the library behind `operator-sdk bundle validate`): the default bundle
// validators (CSV, CRDs, bundle) plus the object, good-practices, deprecated-API and OperatorHub v2 validators
// (operator-sdk's `--select-optional suite=operatorframework`). Prints every error and warning; exit 1 on errors.
//
//	go run . ../../bundle
package main

import (
	"fmt"
	"os"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: olm-validate BUNDLE_DIR")
		os.Exit(2)
	}
	bundle, err := manifests.GetBundleFromDir(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot load the bundle %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	validators := validation.DefaultBundleValidators.WithValidators(
		validation.ObjectValidator,
		validation.GoodPracticesValidator,
		validation.AlphaDeprecatedAPIsValidator,
		validation.OperatorHubV2Validator,
	)
	objects := append(bundle.ObjectsToValidate(), map[string]string{"k8s-version": "1.30"})
	errs, warns := 0, 0
	for _, result := range validators.Validate(objects...) {
		for _, e := range result.Errors {
			errs++
			fmt.Printf("ERROR   %s: %s\n", result.Name, e.Error())
		}
		for _, w := range result.Warnings {
			warns++
			fmt.Printf("WARNING %s: %s\n", result.Name, w.Error())
		}
	}
	fmt.Printf("bundle %s (CSV %s, %d CRDs, %d other objects): %d errors, %d warnings\n",
		os.Args[1], bundle.CSV.GetName(), len(bundle.V1CRDs), len(bundle.Objects), errs, warns)
	if errs > 0 {
		os.Exit(1)
	}
}
