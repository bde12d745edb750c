//go:build deps

// Package deps pins the project's chosen third-party modules (see DESIGN in the
// README) while the packages that use them are being written, so that a
// `go mod tidy` never drops a pinned version. It is never built.
package deps

import (
	_ "github.com/CycloneDX/cyclonedx-go"
	_ "github.com/ProtonMail/go-crypto/openpgp"
	_ "github.com/chromedp/chromedp"
	_ "github.com/cloudflare/circl/sign/mldsa/mldsa65"
	_ "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	_ "github.com/go-git/go-git/v5"
	_ "github.com/goccy/go-json"
	_ "github.com/google/go-containerregistry/pkg/v1/layout"
	_ "github.com/google/go-github/v81/github"
	_ "github.com/google/osv-scalibr/semantic"
	_ "github.com/google/uuid"
	_ "github.com/hiddeco/sshsig"
	_ "github.com/in-toto/attestation/go/v1"
	_ "github.com/in-toto/in-toto-golang/in_toto"
	_ "github.com/ossf/osv-schema/bindings/go/osvschema"
	_ "github.com/owenrumney/go-sarif/v3/pkg/report"
	_ "github.com/package-url/packageurl-go"
	_ "github.com/pandatix/go-cvss/31"
	_ "github.com/pandatix/go-cvss/40"
	_ "github.com/rhysd/actionlint"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/secure-systems-lab/go-securesystemslib/dsse"
	_ "github.com/sigstore/sigstore-go/pkg/verify"
	_ "github.com/spdx/tools-golang/spdx"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
	_ "github.com/theupdateframework/go-tuf/v2/metadata"
	_ "github.com/xuri/excelize/v2"
	_ "gitlab.com/gitlab-org/api/client-go"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/crypto/cryptobyte"
	_ "modernc.org/sqlite"
)
