package main

import (
	"context"
	"errors"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/engine"
)

// writeBundle is replaced when the evidence-bundle writer lands.
var writeBundle = func(ctx context.Context, dst, signKey string, outputs []string, targets []engine.TargetSpec, a *assessment.Assessment) error {
	return usageError(errors.New("--bundle: evidence bundles are not available in this build"))
}
