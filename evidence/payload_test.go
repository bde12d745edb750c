package evidence

import (
	"encoding/json"
	"testing"
)

type probe struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func TestPayloadAs(t *testing.T) {
	direct := Evidence{Payload: &probe{Name: "a", N: 1}}
	if p, ok := PayloadAs[probe](&direct); !ok || p.Name != "a" {
		t.Fatalf("direct: %v %v", p, ok)
	}
	// After pedigree.json the payload is a generic map.
	b, _ := json.Marshal(direct)
	var round Evidence
	json.Unmarshal(b, &round)
	if p, ok := PayloadAs[probe](&round); !ok || p.N != 1 {
		t.Fatalf("round trip: %v %v", p, ok)
	}
	var none Evidence
	if _, ok := PayloadAs[probe](&none); ok {
		t.Fatal("nil payload decoded")
	}
	wrong := Evidence{Payload: "text"}
	if _, ok := PayloadAs[probe](&wrong); ok {
		t.Fatal("a string decoded as a struct")
	}
	type other struct{ Kind string }
	typed := Evidence{Payload: &other{Kind: "x"}}
	if _, ok := PayloadAs[probe](&typed); ok {
		t.Fatal("another collector's typed payload decoded as a probe")
	}
}
