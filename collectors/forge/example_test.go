package forge_test

import (
	"context"
	"fmt"
	"os"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/config"
)

// The collector is safe to register whether or not the user enabled it:
// off, it asks nothing and records why.
func Example() {
	cfg := config.RepoOnline{Provider: "github", Repository: "example-org/pedigree-demo", TokenEnv: "GITHUB_TOKEN"}
	c, err := forge.New(cfg, os.Getenv(forge.TokenEnv(cfg)), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "forge-example")
	defer os.RemoveAll(dir)
	t, _ := collectors.OpenTarget("demo", dir)
	defer t.Close()
	ev, _ := c.Collect(context.Background(), t)
	s := ev[0].Payload.(*forge.Settings)
	fmt.Println(ev[0].Kind, ev[0].Subject.Ref)
	fmt.Println(s.State+":", s.Reason)
	// Output:
	// forge.settings https://github.com/example-org/pedigree-demo
	// disabled: online collector not enabled (repo.online / --online)
}
