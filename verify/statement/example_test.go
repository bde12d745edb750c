package statement_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/verify/statement"
)

// Parse validates an in-toto Statement and Match finds the subjects that an
// artifact's digests agree with.
func ExampleStatement_Match() {
	linux := sha256.Sum256([]byte("linux build"))
	st, err := statement.Parse([]byte(`{
	  "_type": "https://in-toto.io/Statement/v1",
	  "subject": [
	    {"name": "app-linux.tar.gz", "digest": {"sha256": "` + hex.EncodeToString(linux[:]) + `"}},
	    {"name": "app-darwin.tar.gz", "digest": {"sha256": "0000000000000000000000000000000000000000000000000000000000000000"}}
	  ],
	  "predicateType": "https://slsa.dev/provenance/v1",
	  "predicate": {"buildDefinition": {}}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Version(), st.PredicateType)

	for _, artifact := range []string{"linux build", "tampered build"} {
		sum := sha256.Sum256([]byte(artifact))
		var names []string
		for _, s := range st.Match(statement.Digests{"sha256": hex.EncodeToString(sum[:])}) {
			names = append(names, s.Name)
		}
		fmt.Printf("%q matches %v\n", artifact, names)
	}

	_, err = statement.Parse([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x","digest":{"sha256":"abc"}}],"predicateType":"p","predicate":{}}`))
	fmt.Println("short digest:", errors.Is(err, statement.ErrInvalid))
	// Output:
	// v1 https://slsa.dev/provenance/v1
	// "linux build" matches [app-linux.tar.gz]
	// "tampered build" matches []
	// short digest: true
}
