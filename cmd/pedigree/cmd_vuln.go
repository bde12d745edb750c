package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "vuln",
			Short: "Match SBOM components against an offline OSV database, CISA KEV and VEX",
		}
		cmd.AddCommand(newVulnMatchCmd())
		return cmd
	})
}

func newVulnMatchCmd() *cobra.Command {
	var (
		osv, vex        []string
		kev, cacheDir   string
		noCache, asJSON bool
		failOn          string
	)
	cmd := &cobra.Command{
		Use:   "match SBOM... --osv PATH",
		Short: "List the vulnerabilities of every component of the SBOMs",
		Long: `Match the components of one or more SBOMs (CycloneDX or SPDX) against an OSV
database given as folders of OSV JSON records and/or all.zip exports. Nothing
is fetched. --kev marks known-exploited vulnerabilities, --vex applies
OpenVEX, CycloneDX VEX or CSAF VEX statements (a not_affected statement
suppresses a match only with a justification).

Exit status: 0, or 1 when --fail-on is given and an unsuppressed match is
at or above that severity (or known-exploited), 2 for usage errors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(osv) == 0 {
				return usageError(errors.New("--osv is required: a folder of OSV records or an all.zip export"))
			}
			var threshold evidence.Severity
			if failOn != "" {
				sev, ok := evidence.ParseSeverity(failOn)
				if !ok {
					return usageError(fmt.Errorf("--fail-on %q is not one of critical, high, medium, low", failOn))
				}
				threshold = sev
			}
			o := vuln.LoadOptions{CacheDir: cacheDir}
			if o.CacheDir == "" && !noCache {
				if dir, err := os.UserCacheDir(); err == nil {
					o.CacheDir = filepath.Join(dir, "pedigree", "osv")
				}
			}
			if noCache {
				o.CacheDir = ""
			}
			db, err := vuln.LoadDatabase(cmd.Context(), osv, o)
			if err != nil {
				return usageError(err)
			}
			if len(db.Problems) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "pedigree: %d OSV records skipped (first: %s: %s)\n", len(db.Problems)+db.ProblemsTruncated, db.Problems[0].Where(), db.Problems[0].Error)
			}
			var kevCat *vuln.KEV
			if kev != "" {
				b, err := readlimit.File(kev, readlimit.Data)
				if err != nil {
					return usageError(err)
				}
				if kevCat, err = vuln.ParseKEV(kev, b); err != nil {
					return usageError(err)
				}
			}
			var vexIn []vuln.VEXInput
			for _, p := range vex {
				b, err := readlimit.File(p, readlimit.Data)
				if err != nil {
					return usageError(err)
				}
				d, err := vuln.ParseVEX(p, vuln.DetectVEX(b), b)
				if err != nil {
					return usageError(err)
				}
				vexIn = append(vexIn, vuln.VEXInput{Doc: d, Evidence: p})
			}
			out := cmd.OutOrStdout()
			tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
			if !asJSON {
				fmt.Fprintln(tw, "SBOM\tCOMPONENT\tADVISORY\tSEVERITY\tCVSS\tFIXED\tKEV\tVEX")
			}
			tripped := false
			for _, file := range args {
				b, err := readlimit.File(file, sbom.DefaultMaxSize)
				if err != nil {
					return usageError(err)
				}
				doc, err := sbom.Parse(file, b)
				if err != nil {
					return usageError(fmt.Errorf("%s: %w", file, err))
				}
				if doc.Error != "" {
					return usageError(fmt.Errorf("%s: %s", file, doc.Error))
				}
				for _, r := range vuln.MatchDocument(db.Index, kevCat, vexIn, doc) {
					for _, m := range r.Matches {
						if !m.Suppressed && threshold != "" && (m.KEV != nil || m.Severity.Rank() >= threshold.Rank()) {
							tripped = true
						}
					}
					if asJSON {
						line, _ := json.Marshal(struct {
							SBOM string `json:"sbom"`
							vuln.Result
						}{file, r})
						fmt.Fprintln(out, string(line))
						continue
					}
					for _, m := range r.Matches {
						cvss, vexs := "-", "-"
						if m.Score != nil && m.Score.Base >= 0 {
							cvss = fmt.Sprintf("%.1f (v%s)", m.Score.Base, m.Score.Version)
						}
						if m.VEX != nil {
							vexs = m.VEX.Status
							if m.Suppressed {
								vexs += " (suppressed)"
							}
						}
						kevs := "no"
						if m.KEV != nil {
							kevs = "yes"
						}
						fmt.Fprintf(tw, "%s\t%s@%s\t%s\t%s\t%s\t%s\t%s\t%s\n", file, r.Component.Name, r.Component.Version,
							strings.Join(append([]string{m.ID}, m.Aliases...), " "), vulnDash(string(m.Severity)), cvss, vulnDash(m.Fixed), kevs, vexs)
					}
				}
			}
			if !asJSON {
				tw.Flush()
			}
			if tripped {
				return withCode(exitFindings, nil)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&osv, "osv", nil, "OSV database: a folder of OSV JSON records or an all.zip export (repeatable)")
	f.StringVar(&kev, "kev", "", "CISA Known Exploited Vulnerabilities catalog JSON file")
	f.StringArrayVar(&vex, "vex", nil, "VEX document: OpenVEX, CycloneDX VEX or CSAF 2.0 VEX (repeatable)")
	f.StringVar(&cacheDir, "cache-dir", "", "index cache folder (default: the user cache folder)")
	f.BoolVar(&noCache, "no-cache", false, "build the index in memory only")
	f.BoolVar(&asJSON, "json", false, "one JSON object per component")
	f.StringVar(&failOn, "fail-on", "", "exit 1 on an unsuppressed match at or above this severity, or known-exploited")
	return cmd
}

func vulnDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
