package server

import (
	"os"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}
