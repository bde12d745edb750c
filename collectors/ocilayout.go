package collectors

import (
	"path"
	"strings"
)

// OCILayouts lists the folders of the target that hold an OCI image layout
// (an oci-layout file beside index.json and blobs/).
func (t *Target) OCILayouts() []string {
	var out []string
	for _, f := range t.Files {
		if path.Base(f.Path) == "oci-layout" {
			out = append(out, path.Dir(f.Path))
		}
	}
	return out
}

// OCIBlobFilter says whether a file is a blob of one of the target's OCI
// layouts. Blobs are content-addressed parts of images, which the
// distribution collector judges with the image they belong to (an
// attestation blob is about the image digest, not about the manifest file
// it happens to hash to), so the other collectors leave them alone.
func (t *Target) OCIBlobFilter() func(p string) bool {
	layouts := t.OCILayouts()
	if len(layouts) == 0 {
		return func(string) bool { return false }
	}
	prefixes := make([]string, len(layouts))
	for i, l := range layouts {
		prefixes[i] = "blobs/"
		if l != "." {
			prefixes[i] = l + "/blobs/"
		}
	}
	return func(p string) bool {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, pre) {
				return true
			}
		}
		return false
	}
}
