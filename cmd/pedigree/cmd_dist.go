package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/distchecks"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{Use: "dist", Short: "Assess distribution channels: OCI images, TUF and apt repositories, release pages"}
		cmd.AddCommand(newDistScanCmd())
		return cmd
	})
}

// distFinding is one line of `dist scan --json`.
type distFinding struct {
	Path     string   `json:"path"`
	Kind     string   `json:"kind"`
	Check    string   `json:"check"`
	Status   string   `json:"status"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Controls []string `json:"controls"`
	Target   string   `json:"target,omitempty"`
	Subject  string   `json:"subject,omitempty"`
	SHA256   string   `json:"sha256,omitempty"`
	Evidence string   `json:"evidence,omitempty"`
	// At is the instant expiry and validity were judged at.
	At string `json:"at"`
}

func newDistScanCmd() *cobra.Command {
	var asJSON, withoutTlog bool
	var at, tufRoot string
	var keyrings, keys, trustedRoots []string
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Find and judge OCI image layouts and archives, TUF repositories, apt repositories and release pages",
		Long: `Find every distribution artifact under the paths by its content and judge
it offline: OCI layouts and docker save / OCI tarballs (blob integrity,
cosign and referrer signatures, SBOM and provenance attestations, base-image
pins), TUF repositories (root chain, role signatures, expiry, thresholds,
rollback and mix-and-match, targets), apt repositories (Release signature,
Valid-Until, index and package hashes, weak hashes) and release folders
(signed checksum list covering every artifact, provenance and SBOM).

--at judges every expiry and validity window at that instant instead of now.
--key and --without-tlog-unsafe mean what they mean for verify bundle: a
key-signed signature with no transparency-log entry passes only with the
latter. The same options live under distribution: in pedigree.yaml.

Prints a table, or with --json one object per finding (path, kind, check,
status, message, controls). Exits 0 when nothing failed, 1 when a finding
failed, 2 on a usage or input error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			d := &cfg.Distribution
			f := cmd.Flags()
			if f.Changed("at") {
				d.At = at
			}
			if f.Changed("tuf-root") {
				d.TUFRoot = tufRoot
			}
			if f.Changed("keyring") {
				d.Keyrings = keyrings
			}
			if f.Changed("key") {
				d.Keys = keys
			}
			if f.Changed("trusted-root") {
				d.TrustedRoots = trustedRoots
			}
			if f.Changed("without-tlog-unsafe") {
				d.WithoutTlogUnsafe = withoutTlog
			}
			trust, err := distributionTrust(cfg)
			if err != nil {
				return err
			}
			cols, err := distributionCollectors(cfg, trust)
			if err != nil {
				return err
			}
			var ev []evidence.Evidence
			for _, p := range args {
				t, err := collectors.OpenTarget(targetName(p), p)
				if err != nil {
					return usageError(err)
				}
				t.MaxFileSize = cfg.MaxFileSize
				for _, c := range cols {
					e, err := c.Collect(cmd.Context(), t)
					if err != nil {
						t.Close()
						return fmt.Errorf("%s: %s: %w", p, c.Name(), err)
					}
					ev = append(ev, e...)
				}
				t.Close()
			}
			m, err := controls.DefaultMapping()
			if err != nil {
				return err
			}
			if cfg.Mapping != "" {
				if err := m.Override(cfg.Mapping); err != nil {
					return usageError(err)
				}
			}
			byID := map[string]*evidence.Evidence{}
			for i := range ev {
				byID[ev[i].ID] = &ev[i]
			}
			findings := engine.RunChecks(distchecks.All(distchecks.Options{MinThreshold: d.MinThreshold}), ev)
			var rows []distFinding
			failed := false
			for _, fd := range findings {
				failed = failed || fd.Status == evidence.Fail
				row := distFinding{Check: fd.CheckID, Status: string(fd.Status), Severity: string(fd.Severity), Message: fd.Message,
					Controls: []string{}, At: trust.At.Format("2006-01-02T15:04:05Z07:00")}
				for _, id := range m.ControlsOf(fd.CheckID) {
					row.Controls = append(row.Controls, catalogs.Label(id))
				}
				if fd.Location != nil {
					row.Path = fd.Location.Path
				}
				if len(fd.Evidence) > 0 {
					if e := byID[fd.Evidence[0]]; e != nil {
						row.Evidence, row.Target = e.ID, e.Target
						if o, ok := evidence.PayloadAs[distribution.Finding](e); ok {
							row.Path, row.Kind, row.Subject, row.SHA256 = o.Path, o.Channel, o.Subject, o.SHA256
						}
					}
				}
				rows = append(rows, row)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetEscapeHTML(false)
				for _, r := range rows {
					if err := enc.Encode(r); err != nil {
						return err
					}
				}
			} else {
				printDistTable(w, rows, trust)
			}
			if failed {
				return withCode(exitFindings, nil)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "print one JSON object per finding")
	fl.StringVar(&at, "at", "", "judge expiry and validity at this RFC 3339 instant instead of now (2026-08-20T00:00:00Z)")
	fl.StringVar(&tufRoot, "tuf-root", "", "trusted TUF root.json the root chain must start from (else trust on first use, never a pass)")
	fl.StringArrayVar(&keyrings, "keyring", nil, "OpenPGP keyring trusted for apt Release files and checksum lists (repeatable)")
	fl.StringArrayVar(&keys, "key", nil, "public key trusted for image signatures and checksum lists: PEM (cosign), minisign, signify or OpenSSH public keys, or an allowed_signers file (repeatable)")
	fl.BoolVar(&withoutTlog, "without-tlog-unsafe", false, "accept key-signed signatures with no transparency-log entry")
	fl.StringArrayVar(&trustedRoots, "trusted-root", nil, "Sigstore trusted_root.json for keyless signatures and Rekor entries (repeatable)")
	fl.String("config", "", "pedigree.yaml to read the distribution: and policy: sections from")
	return cmd
}

func printDistTable(w interface{ Write([]byte) (int, error) }, rows []distFinding, trust *distribution.Trust) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "no OCI layout, TUF repository, apt repository or signed release found")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tKIND\tCHECK\tPATH\tMESSAGE")
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Status]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Status, r.Kind, r.Check, r.Path, r.Message)
	}
	tw.Flush()
	var parts []string
	for _, s := range []string{"pass", "fail", "not-assessed"} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	instant := "now (" + trust.At.Format("2006-01-02T15:04:05Z") + ")"
	if trust.AtGiven {
		instant = trust.At.Format("2006-01-02T15:04:05Z07:00")
	}
	fmt.Fprintf(w, "\n%d findings: %s; judged at %s\n", len(rows), strings.Join(parts, ", "), instant)
}
