package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkStartup runs the built binary as editors and pre-commit hooks
// do, once per invocation: `version`, and `ci scan` of one small clean
// workflow. Besides wall time per run it reports the process's CPU time
// (user+sys), which a loaded machine inflates less. Target: 20 ms each.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	wf := filepath.Join(dir, "ci.yml")
	if err := os.WriteFile(wf, []byte("on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"ci-scan-one-file", []string{"ci", "scan", wf}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(pedigreeBin, bc.args...)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
						b.Fatalf("%v: %v: %s", bc.args, err, out)
					}
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
