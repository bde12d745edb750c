package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func toolVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func init() {
	addCommand(func() *cobra.Command {
		return &cobra.Command{
			Use:   "version",
			Short: "Print pedigree's version",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				bi, _ := debug.ReadBuildInfo()
				goVersion := ""
				if bi != nil {
					goVersion = bi.GoVersion
				}
				fmt.Fprintf(cmd.OutOrStdout(), "pedigree %s (%s)\n", toolVersion(), goVersion)
				return nil
			},
		}
	})
}
