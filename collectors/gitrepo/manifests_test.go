package gitrepo

import (
	"strings"
	"testing"
)

func TestDeclaredGoModules(t *testing.T) {
	mod := `module example.org/x

go 1.26

require github.com/a/b v1.0.0

require (
	github.com/c/d v0.2.0 // indirect
	go.yaml.in/yaml/v4 v4.0.0-rc.4
	example.org/local v0.0.0
)

replace go.yaml.in/yaml/v4 => go.yaml.in/yaml/v4 v4.0.0-rc.3

replace example.org/local => ../local
`
	got := strings.Join(declared("go.mod", []byte(mod)), ",")
	want := "github.com/a/b v1.0.0,github.com/c/d v0.2.0,go.yaml.in/yaml/v4 v4.0.0-rc.3"
	if got != want {
		t.Errorf("declared = %s, want %s", got, want)
	}
}

func TestDeclaredCargo(t *testing.T) {
	toml := "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\nrand = { version = \"0.8\" }\n\n[dependencies.tokio]\nversion = \"1\"\n\n[dev-dependencies]\nproptest = \"1\"\n"
	if got := strings.Join(declared("Cargo.toml", []byte(toml)), ","); got != "proptest,rand,serde" {
		t.Errorf("declared = %s", got)
	}
}
