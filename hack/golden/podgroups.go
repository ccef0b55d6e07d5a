package main

// The podgroups subcommand reads gang-scheduling vectors (a LeaderWorkerSet and a pod) and prints what
// upstream's Volcano provider makes of them: the annotations InjectPodGroupMetadata puts on the pod, and
// the PodGroup CreatePodGroupIfNotExists creates for it as a leader (through a fake client).

import (
	"context"
	"encoding/json"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	volcanov1beta1 "volcano.sh/apis/pkg/apis/scheduling/v1beta1"

	leaderworkerset "sigs.k8s.io/lws/api/leaderworkerset/v1"
	"sigs.k8s.io/lws/pkg/schedulerprovider"
)

type podGroupInput struct {
	Name string          `json:"name"`
	LWS  json.RawMessage `json:"lws"`
	Pod  json.RawMessage `json:"pod"`
}

type podGroupOutput struct {
	Name           string            `json:"name"`
	PodAnnotations map[string]string `json:"podAnnotations"`
	PodGroup       json.RawMessage   `json:"podGroup"`
}

func runPodGroups() error {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var inputs []podGroupInput
	if err := json.Unmarshal(raw, &inputs); err != nil {
		return err
	}
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, leaderworkerset.AddToScheme, volcanov1beta1.AddToScheme} {
		if err := add(scheme); err != nil {
			return err
		}
	}
	out := make([]podGroupOutput, 0, len(inputs))
	for _, in := range inputs {
		var lws leaderworkerset.LeaderWorkerSet
		if err := json.Unmarshal(in.LWS, &lws); err != nil {
			return err
		}
		var pod corev1.Pod
		if err := json.Unmarshal(in.Pod, &pod); err != nil {
			return err
		}
		if pod.Annotations == nil {
			pod.Annotations = map[string]string{}
		}
		c := fake.NewClientBuilder().WithScheme(scheme).Build()
		provider, err := schedulerprovider.NewSchedulerProvider(schedulerprovider.Volcano, c)
		if err != nil {
			return err
		}
		if err := provider.InjectPodGroupMetadata(&pod); err != nil {
			return err
		}
		if err := provider.CreatePodGroupIfNotExists(context.Background(), &lws, &pod); err != nil {
			return err
		}
		var list volcanov1beta1.PodGroupList
		if err := c.List(context.Background(), &list); err != nil {
			return err
		}
		o := podGroupOutput{Name: in.Name, PodAnnotations: pod.Annotations}
		if len(list.Items) == 1 {
			pg := list.Items[0]
			// What the controller sent, without what the fake apiserver added.
			pg.ResourceVersion = ""
			pg.TypeMeta.APIVersion = volcanov1beta1.SchemeGroupVersion.String()
			pg.TypeMeta.Kind = "PodGroup"
			b, err := json.Marshal(pg)
			if err != nil {
				return err
			}
			o.PodGroup = b
		}
		out = append(out, o)
	}
	return writeLines(os.Stdout, out)
}
