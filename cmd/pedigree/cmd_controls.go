package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/catalogs/compdef"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/cmmc"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "controls",
			Short: "List and show SP 800-53 Rev 5 controls and the check-to-control mapping",
		}
		cmd.AddCommand(newControlsListCmd(), newControlsShowCmd(), newControlsMappingCmd())
		return cmd
	})
}

// controlIndex is the embedded index, overlaid with --catalog when given.
func controlIndex(catalogFile string) (*catalogs.Index, error) {
	idx, err := catalogs.Default()
	if err != nil {
		return nil, err
	}
	if catalogFile == "" {
		return idx, nil
	}
	idx, err = idx.WithCatalog(catalogFile)
	if err != nil {
		return nil, usageError(err)
	}
	return idx, nil
}

// checkMapping is the embedded check-to-control mapping, overridden with
// --mapping, with its control ids validated against idx.
func checkMapping(file string, idx *catalogs.Index) (*controls.Mapping, error) {
	m, err := controls.DefaultMapping()
	if err != nil {
		return nil, err
	}
	if file != "" {
		if err := m.Override(file); err != nil {
			return nil, usageError(err)
		}
	}
	// Check ids are validated by assess, which knows the registered checks;
	// here only the control ids are.
	known := map[string]bool{}
	for id := range m.Entries {
		known[id] = true
	}
	if err := m.Validate(idx, known); err != nil {
		return nil, usageError(err)
	}
	return m, nil
}

// controlRow is one line of `controls list`.
type controlRow struct {
	ID        string   `json:"id"`
	Label     string   `json:"label"`
	Title     string   `json:"title"`
	Family    string   `json:"family"`
	Baselines []string `json:"baselines"`
	CSCRM     bool     `json:"cscrm"`
	Withdrawn bool     `json:"withdrawn,omitempty"`
	Checks    []string `json:"checks"`
}

func newControlsListCmd() *cobra.Command {
	var baseline, family, profile, catalogFile, format, mappingFile string
	var withdrawn bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List controls, optionally of a baseline, a family or a profile",
		Example: `  pedigree controls list --baseline moderate --family SR
  pedigree controls list --baseline cscrm --format csv
  pedigree controls list --profile FedRAMP_rev5_HIGH-baseline_profile.json --catalog NIST_SP-800-53_rev5_catalog.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if baseline != "" && profile != "" {
				return usageError(errors.New("--baseline and --profile are exclusive"))
			}
			idx, err := controlIndex(catalogFile)
			if err != nil {
				return err
			}
			m, err := checkMapping(mappingFile, idx)
			if err != nil {
				return err
			}
			var ids []string
			titles := map[string]string{}
			switch {
			case profile != "":
				res, err := catalogs.ResolveProfile(profile, catalogs.ResolveOptions{Catalog: catalogFile})
				if err != nil {
					return usageError(err)
				}
				ids = res.ControlIDs
				titles = resolvedTitles(res)
			case cmmc.LevelOf(baseline) > 0:
				p, err := cmmc.NewPlan(cmmc.LevelOf(baseline), idx, nil)
				if err != nil {
					return err
				}
				ids = p.Scope()
			case baseline != "":
				if ids, err = idx.Baseline(baseline); err != nil {
					return usageError(err)
				}
			default:
				for _, c := range idx.Controls() {
					if withdrawn || !c.Withdrawn {
						ids = append(ids, c.ID)
					}
				}
			}
			if family != "" {
				f, ok := idx.Family(family)
				if !ok {
					return usageError(fmt.Errorf("unknown family %q (want one of %s)", family, familyIDs(idx)))
				}
				var keep []string
				for _, id := range ids {
					if fam, _, _ := strings.Cut(id, "-"); fam == f.ID {
						keep = append(keep, id)
					}
				}
				ids = keep
			}
			rows := make([]controlRow, 0, len(ids))
			for _, id := range ids {
				r := controlRow{ID: id, Label: catalogs.Label(id), Title: titles[id], Baselines: []string{}, Checks: []string{}}
				r.Family, _, _ = strings.Cut(id, "-")
				if c, ok := idx.Control(id); ok {
					r.Label, r.Family, r.CSCRM, r.Withdrawn = c.Label, c.Family, c.CSCRM, c.Withdrawn
					if r.Title == "" {
						r.Title = c.Title
					}
					r.Baselines = append(r.Baselines, c.Baselines...)
				}
				for chk := range m.ChecksOf(id) {
					r.Checks = append(r.Checks, chk)
				}
				sort.Strings(r.Checks)
				rows = append(rows, r)
			}
			return writeControlRows(cmd.OutOrStdout(), format, rows)
		},
	}
	f := cmd.Flags()
	f.StringVar(&baseline, "baseline", "", "low, moderate, high, privacy (SP 800-53B), cscrm (SP 800-161 Rev 1), or cmmc-l1, cmmc-l2 (the controls CMMC practices map to)")
	f.StringVar(&family, "family", "", "only this family (SR, ac, ...)")
	f.StringVar(&profile, "profile", "", "an OSCAL profile (JSON or YAML) choosing the controls")
	f.StringVar(&catalogFile, "catalog", "", "an official SP 800-53 OSCAL catalog: control text, and the catalog a profile's remote import names")
	f.StringVar(&format, "format", "table", "table, json or csv")
	f.StringVar(&mappingFile, "mapping", "", "a check-to-control mapping file overriding the embedded one")
	f.BoolVar(&withdrawn, "withdrawn", false, "include withdrawn controls (when listing the whole catalog)")
	return cmd
}

func resolvedTitles(res *catalogs.Resolved) map[string]string {
	titles := map[string]string{}
	for _, id := range res.AllIDs {
		titles[id] = ""
	}
	catalogs.WalkControls(res.Catalog, func(_ *oscalGroup, _, c *oscalControl) { titles[c.ID] = c.Title })
	return titles
}

func familyIDs(idx *catalogs.Index) string {
	var ids []string
	for _, f := range idx.Families() {
		ids = append(ids, strings.ToUpper(f.ID))
	}
	return strings.Join(ids, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func writeControlRows(w io.Writer, format string, rows []controlRow) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"id", "label", "title", "family", "baselines", "cscrm", "checks"})
		for _, r := range rows {
			_ = cw.Write([]string{r.ID, r.Label, r.Title, strings.ToUpper(r.Family), strings.Join(r.Baselines, ";"), yesNo(r.CSCRM), strings.Join(r.Checks, ";")})
		}
		cw.Flush()
		return cw.Error()
	case "table", "":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CONTROL\tTITLE\tFAMILY\tBASELINES\tC-SCRM\tCHECKS")
		for _, r := range rows {
			title := r.Title
			if r.Withdrawn {
				title = "[withdrawn] " + title
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Label, title, strings.ToUpper(r.Family),
				dash(strings.Join(r.Baselines, ",")), yesNo(r.CSCRM), dash(strings.Join(r.Checks, ",")))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "%d controls\n", len(rows))
		return err
	}
	return usageError(fmt.Errorf("unknown --format %q (want table, json or csv)", format))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// controlDetail is `controls show --json`.
type controlDetail struct {
	*catalogs.Control
	Release171 []*catalogs.Requirement171 `json:"sp800171r3,omitempty"`
	SSDF       []*catalogs.SSDFTask       `json:"ssdf,omitempty"`
	CMMC       []*catalogs.CMMCPractice   `json:"cmmc,omitempty"`
	// CMMCDerived says the CMMC mapping is derived, not DoD's.
	CMMCDerived bool         `json:"cmmcDerived"`
	Checks      []checkRef   `json:"checks"`
	Enhancement []enhancment `json:"enhancements,omitempty"`
}

type checkRef struct {
	Check     string `json:"check"`
	Rationale string `json:"rationale"`
}

type enhancment struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Title     string `json:"title"`
	Withdrawn bool   `json:"withdrawn,omitempty"`
}

func newControlsShowCmd() *cobra.Command {
	var catalogFile, mappingFile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "show CONTROL",
		Short:   "Show one control: statement, parameters, baselines, C-SCRM scope, cross-references and the checks that assess it",
		Example: `  pedigree controls show "SR-4(3)"` + "\n" + `  pedigree controls show sr-11 --json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			idx, err := controlIndex(catalogFile)
			if err != nil {
				return err
			}
			ctl, err := idx.Lookup(args[0])
			if err != nil {
				return usageError(err)
			}
			m, err := checkMapping(mappingFile, idx)
			if err != nil {
				return err
			}
			d := controlDetail{Control: ctl, CMMCDerived: true, Checks: []checkRef{}}
			for _, id := range idx.SSDFFor(ctl.ID) {
				t, _ := idx.SSDFTask(id)
				d.SSDF = append(d.SSDF, t)
			}
			for _, id := range idx.CMMCFor(ctl.ID) {
				p, _ := idx.CMMCPractice(id)
				d.CMMC = append(d.CMMC, p)
			}
			for _, id := range idx.Requirements171For(ctl.ID) {
				r, _ := idx.Requirement171(id)
				d.Release171 = append(d.Release171, r)
			}
			checks := m.ChecksOf(ctl.ID)
			for c, why := range checks {
				d.Checks = append(d.Checks, checkRef{Check: c, Rationale: why})
			}
			sort.Slice(d.Checks, func(i, j int) bool { return d.Checks[i].Check < d.Checks[j].Check })
			for _, c := range idx.Controls() {
				if c.Parent == ctl.ID {
					d.Enhancement = append(d.Enhancement, enhancment{ID: c.ID, Label: c.Label, Title: c.Title, Withdrawn: c.Withdrawn})
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(d)
			}
			return writeControlText(cmd.OutOrStdout(), idx, d)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.StringVar(&catalogFile, "catalog", "", "an official SP 800-53 OSCAL catalog to take the control text from")
	f.StringVar(&mappingFile, "mapping", "", "a check-to-control mapping file overriding the embedded one")
	return cmd
}

func writeControlText(w io.Writer, idx *catalogs.Index, d controlDetail) error {
	c := d.Control
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", c.Label, c.Title)
	fmt.Fprintf(&b, "  Family:      %s %s\n", strings.ToUpper(c.Family), c.FamilyTitle)
	if c.Parent != "" {
		title := ""
		if p, ok := idx.Control(c.Parent); ok {
			title = " " + p.Title
		}
		fmt.Fprintf(&b, "  Enhancement of: %s%s\n", catalogs.Label(c.Parent), title)
	}
	fmt.Fprintf(&b, "  Text from:   SP 800-53 Rev 5 release %s\n", c.Release)
	if c.Withdrawn {
		to := append(append([]string{}, c.IncorporatedInto...), c.MovedTo...)
		verb := "incorporated into"
		if len(c.MovedTo) > 0 {
			verb = "moved to"
		}
		labels := make([]string, len(to))
		for i, x := range to {
			labels[i] = catalogs.Label(x)
		}
		fmt.Fprintf(&b, "  Withdrawn:   %s %s\n", verb, dash(strings.Join(labels, ", ")))
	}
	if len(c.Baselines) > 0 {
		fmt.Fprintf(&b, "  Baselines:   %s (SP 800-53B 5.1.1)\n", strings.ToUpper(strings.Join(c.Baselines, ", ")))
	} else {
		fmt.Fprintf(&b, "  Baselines:   none (in no SP 800-53B baseline)\n")
	}
	if c.CSCRM {
		fmt.Fprintf(&b, "  SP 800-161:  in the C-SCRM control set (SP 800-161 Rev 1 Update 1, Appendix A, as CISA CSET lists it)\n")
	} else {
		fmt.Fprintf(&b, "  SP 800-161:  not in the C-SCRM control set\n")
	}
	if len(c.Methods) > 0 {
		fmt.Fprintf(&b, "  Methods:     %s (SP 800-53A)\n", strings.Join(c.Methods, ", "))
	}
	if c.Statement != "" {
		b.WriteString("\nStatement:\n")
		for _, line := range strings.Split(c.Statement, "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	if len(c.Params) > 0 {
		b.WriteString("\nParameters:\n")
		for _, p := range c.Params {
			var text string
			switch {
			case len(p.Values) > 0:
				text = "= " + strings.Join(p.Values, "; ")
			case len(p.Choice) > 0:
				how := "Selection"
				if p.HowMany == "one-or-more" {
					how = "Selection (one or more)"
				}
				text = "[" + how + ": " + strings.Join(p.Choice, "; ") + "]"
			default:
				l := p.Label
				if !strings.HasPrefix(l, "organization-defined") {
					l = "organization-defined " + l
				}
				text = "[Assignment: " + l + "]"
			}
			if len(p.Aggregates) > 0 {
				text += " (stands for " + strings.Join(p.Aggregates, ", ") + ")"
			}
			fmt.Fprintf(&b, "  %s  %s\n", p.ID, text)
		}
	}
	if len(d.Enhancement) > 0 {
		b.WriteString("\nEnhancements:\n")
		for _, e := range d.Enhancement {
			w := ""
			if e.Withdrawn {
				w = " [withdrawn]"
			}
			fmt.Fprintf(&b, "  %s %s%s\n", e.Label, e.Title, w)
		}
	}
	b.WriteString("\nCross-references:\n")
	var ssdf []string
	for _, t := range d.SSDF {
		ssdf = append(ssdf, t.ID)
	}
	fmt.Fprintf(&b, "  SSDF 1.1 tasks:     %s\n", dash(strings.Join(ssdf, ", ")))
	var r171 []string
	for _, r := range d.Release171 {
		r171 = append(r171, r.ID)
	}
	fmt.Fprintf(&b, "  SP 800-171 Rev 3:   %s\n", dash(strings.Join(r171, ", ")))
	var cmmc []string
	for _, p := range d.CMMC {
		cmmc = append(cmmc, p.ID)
	}
	fmt.Fprintf(&b, "  CMMC 2.0 practices: %s (derived mapping: SP 800-171 Rev 2 Appendix D reconciled to Rev 5; not DoD's)\n", dash(strings.Join(cmmc, ", ")))
	b.WriteString("\nAssessed by pedigree checks:\n")
	if len(d.Checks) == 0 && c.Withdrawn {
		b.WriteString("  none: the control is withdrawn; assess what it was incorporated into\n")
	} else if len(d.Checks) == 0 {
		methods := c.Methods
		if len(methods) == 0 {
			methods = []string{"EXAMINE", "INTERVIEW"}
		}
		fmt.Fprintf(&b, "  none: no automated check assesses this control; it needs %s (or manual evidence)\n", strings.Join(methods, ", "))
	}
	for _, k := range d.Checks {
		fmt.Fprintf(&b, "  %s: %s\n", k.Check, k.Rationale)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func newControlsMappingCmd() *cobra.Command {
	var format, mappingFile, out string
	cmd := &cobra.Command{
		Use:   "mapping",
		Short: "Print the check-to-control mapping as YAML or as an OSCAL component-definition",
		Example: `  pedigree controls mapping --format yaml
  pedigree controls mapping --format oscal-component-definition -o pedigree-component.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			idx, err := controlIndex("")
			if err != nil {
				return err
			}
			m, err := checkMapping(mappingFile, idx)
			if err != nil {
				return err
			}
			var data []byte
			switch format {
			case "yaml", "":
				if data, err = m.YAML(); err != nil {
					return err
				}
			case "oscal-component-definition":
				cd, err := compdef.Build(m, idx, compdef.Options{Version: toolVersion()})
				if err != nil {
					return usageError(err)
				}
				if data, err = json.MarshalIndent(oscalDocument{ComponentDefinition: cd}, "", "  "); err != nil {
					return err
				}
				data = append(data, '\n')
				if err := validateOSCAL(data); err != nil {
					return err
				}
			default:
				return usageError(fmt.Errorf("unknown --format %q (want yaml or oscal-component-definition)", format))
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			if err := catalogs.WriteFileAtomic(out, data); err != nil {
				return usageError(err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "yaml", "yaml or oscal-component-definition")
	f.StringVar(&mappingFile, "mapping", "", "a check-to-control mapping file overriding the embedded one")
	f.StringVarP(&out, "output", "o", "", "write to this file instead of stdout")
	return cmd
}
