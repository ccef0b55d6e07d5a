module lws-ts/hack/upstream-manager

go 1.26.0

require sigs.k8s.io/lws v0.10.0
