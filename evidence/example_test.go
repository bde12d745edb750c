package evidence_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/evidence"
)

// StableUUID gives the same UUIDv5 for the same parts in every run (and in
// every release: the value below is part of the contract), and joins the
// parts unambiguously: ("a", "bc") and ("ab", "c") differ.
func ExampleStableUUID() {
	for range 2 {
		fmt.Println(evidence.StableUUID("poam", "sr-4.3"))
	}
	fmt.Println(evidence.StableUUID("a", "bc") == evidence.StableUUID("ab", "c"))
	// Output:
	// 79b25435-daf7-5cdf-a756-8b685288e012
	// 79b25435-daf7-5cdf-a756-8b685288e012
	// false
}

// A finding's id depends on what it is about, not on how the message is
// worded, so the next run's finding about the same line is the same finding.
func ExampleFinding_Identify() {
	first := evidence.Finding{
		CheckID: "FILES-CHECKSUM-MISMATCH", Status: evidence.Fail,
		Message:  "sha256 digest of app.tar.gz does not match",
		Subjects: []evidence.Subject{{Type: "artifact", Ref: "app.tar.gz"}},
		Location: &evidence.Location{Path: "SHA256SUMS", Line: 3},
	}
	next := first
	next.Message = "SHA256SUMS:3: sha256 digest of app.tar.gz does not match (listed 00…, computed ff…)"
	moved := first
	moved.Location = &evidence.Location{Path: "SHA256SUMS", Line: 4}
	for _, f := range []*evidence.Finding{&first, &next, &moved} {
		f.Identify()
	}
	fmt.Println("reworded, same id:", first.ID == next.ID)
	fmt.Println("other line, same id:", first.ID == moved.ID)
	// Output:
	// reworded, same id: true
	// other line, same id: false
}

type checksumList struct {
	Path    string `json:"path"`
	Entries int    `json:"entries"`
}

// PayloadAs reads a typed payload both from a live run and from evidence
// decoded back out of pedigree.json, where it is generic JSON.
func ExamplePayloadAs() {
	live := evidence.Evidence{ID: "e1", Kind: "demo.checksums", Payload: &checksumList{Path: "SHA256SUMS", Entries: 4}}
	raw, err := json.Marshal(live)
	if err != nil {
		log.Fatal(err)
	}
	var stored evidence.Evidence
	if err := json.Unmarshal(raw, &stored); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stored payload is a %T\n", stored.Payload)
	for _, e := range []*evidence.Evidence{&live, &stored} {
		p, ok := evidence.PayloadAs[checksumList](e)
		fmt.Println(ok, p.Path, p.Entries)
	}
	// Output:
	// stored payload is a map[string]interface {}
	// true SHA256SUMS 4
	// true SHA256SUMS 4
}
