package evidence

import "encoding/json"

// PayloadAs returns the evidence payload as *T: directly when the collector
// put a *T there, or decoded from the generic JSON a pedigree.json round
// trip leaves behind.
func PayloadAs[T any](e *Evidence) (*T, bool) {
	if p, ok := e.Payload.(*T); ok {
		return p, p != nil
	}
	switch e.Payload.(type) {
	case map[string]any, json.RawMessage:
		// generic JSON: decode below
	default:
		// nil, or a collector's payload of another type: a JSON round trip
		// would "succeed" with zero fields, so it is not a T.
		return nil, false
	}
	b, err := json.Marshal(e.Payload)
	if err != nil {
		return nil, false
	}
	var t T
	if json.Unmarshal(b, &t) != nil {
		return nil, false
	}
	return &t, true
}

// Compacter is a payload holding detail that only checks and inventories
// read and that its JSON form leaves out (a large SBOM's component list:
// pedigree.json names the file by its SHA-256 instead). The engine calls
// Compact once they have run, so that the detail is not held through the
// writing of every report.
type Compacter interface {
	Compact()
}
