package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/cmmc"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/internal/membudget"
	"github.com/pedigree-dev/pedigree/internal/outfile"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/reports"
)

// defaultFormats are written when neither --format nor the config names any.
var defaultFormats = []string{"oscal-ar", "oscal-ap", "oscal-poam", "json"}

func init() {
	addCommand(newAssessCmd)
}

func newAssessCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assess [PATH...]",
		Short: "Assess targets and write OSCAL and reports",
		Long: `Assess the targets named in the config file (and any PATH given) and write
the assessment as OSCAL assessment results, plan and POA&M, pedigree.json and
any other --format.

Exit codes: 0 every assessed control satisfied; 1 a --fail-on gate tripped
(by default: a control not satisfied); 2 usage or input error.`,
		RunE: runAssess,
	}
	f := cmd.Flags()
	f.StringP("config", "c", "", "config file (default ./pedigree.yaml when present)")
	f.StringP("out", "o", "", "folder the reports are written to (default out)")
	f.StringSlice("format", nil, "report formats, comma-separated (default oscal-ar,oscal-ap,oscal-poam,json)")
	f.String("baseline", "", "baseline in scope: low, moderate, high, privacy (SP 800-53B), cscrm (SP 800-161), or cmmc-l1, cmmc-l2 (CMMC practices and the controls they map to)")
	f.String("profile", "", "OSCAL profile choosing the controls in scope (e.g. FedRAMP, a tailored baseline)")
	f.String("catalog", "", "official SP 800-53 Rev 5 OSCAL catalog for control text and profile imports")
	f.String("mapping", "", "check-to-control mapping file overriding the embedded mapping")
	f.String("manual", "", "manual-evidence file recorded by an assessor")
	f.StringSlice("fail-on", nil, "exit 1 when: status=not-satisfied (default), status=not-assessed, severity>=LEVEL, rule=CHECK-ID, none")
	f.Bool("include-mapped", true, "also assess controls outside the baseline that an automated check evidences")
	f.Int64("max-file-size", collectors.DefaultMaxFileSize, "largest file a collector reads, in bytes")
	f.String("archive-budget", "2GiB", "bytes decompressed over all the release archives of a target to read their build times")
	f.String("title", "", "title of the assessment in reports")
	f.String("bundle", "", "also write an evidence bundle (tar.gz) to this path")
	f.String("sign-key", "", "private key (PEM: ECDSA, Ed25519, ML-DSA) that signs the evidence bundle")
	f.String("role", "", "what each PATH is: release, source, keys, distribution or detected (default)")
	f.StringArray("exclude", nil, "glob of files in each PATH left out of product judgements (repeatable; testdata/, vendor/, node_modules/, ... always unless --no-default-excludes)")
	f.Bool("no-default-excludes", false, "judge test fixtures, vendored and third-party folders as the product too")
	return cmd
}

func runAssess(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	role, _ := cmd.Flags().GetString("role")
	excludes, _ := cmd.Flags().GetStringArray("exclude")
	noDefaults, _ := cmd.Flags().GetBool("no-default-excludes")
	for _, p := range args {
		t := config.Target{Name: targetName(p), Path: p, Role: role, Exclude: excludes}
		if noDefaults {
			t.DefaultExcludes = new(bool)
		}
		cfg.Targets = append(cfg.Targets, t)
	}
	prog := newProgress(cfg.Quiet)
	defer prog.done()
	log, err := newLogger(cfg.LogFormat, cfg.Quiet)
	if err != nil {
		return usageError(err)
	}
	plan, err := planAssessment(cfg)
	if err != nil {
		return err
	}
	bundlePath, _ := cmd.Flags().GetString("bundle")
	signKey, _ := cmd.Flags().GetString("sign-key")
	if bundlePath == "" {
		bundlePath = cfg.Reports.Bundle
	}
	if signKey == "" {
		signKey = cfg.Reports.SignKey
	}
	signer, err := bundleSigner(signKey)
	if err != nil {
		return err
	}
	if bundlePath != "" {
		if err := checkOutputFile("--bundle", bundlePath, plan.out); err != nil {
			return err
		}
	}
	// A report's name in --out that is a link, a socket or a folder is
	// refused now, not after the whole run.
	if st, err := os.Stat(plan.out); err == nil && st.IsDir() {
		for _, w := range plan.writers {
			if err := checkOutputFile("--out", filepath.Join(plan.out, w.Filename()), ""); err != nil {
				return err
			}
		}
	}
	prog.say("assessing %d target(s), %d control(s) in scope", len(plan.opts.Targets), len(plan.opts.Scope.ControlIDs))
	plan.opts.Progress = prog.step
	plan.opts.Logger = log
	// One run per process: its peak memory follows its input.
	plan.opts.Inputs = func(largest int64, files int) { membudget.ForInput(largest, files) }
	a, written, err := runPlan(ctx, plan, prog.done)
	if err != nil {
		if ctx.Err() != nil {
			return withCode(exitInterrupted, fmt.Errorf("interrupted: nothing written"))
		}
		var ee engineError
		if !errors.As(err, &ee) {
			return err
		}
		return usageError(err)
	}
	if bundlePath != "" {
		if err := writeBundle(ctx, bundlePath, signer, written, a); err != nil {
			if ctx.Err() != nil {
				return withCode(exitInterrupted, fmt.Errorf("interrupted: reports written to %s, evidence bundle not written", plan.out))
			}
			return fmt.Errorf("evidence bundle %s: %w", bundlePath, err)
		}
		written = append(written, bundlePath)
	}
	printSummary(cmd, a, written)
	if why, ok := tripped(plan.gates, a); ok {
		return withCode(exitFindings, errors.New(why))
	}
	return nil
}

// runPlan is the assess pipeline itself, the one code path of `pedigree
// assess` and of every run `pedigree serve` schedules: the engine, then
// every report format, all or nothing. afterEngine (if not nil) runs
// between the two.
func runPlan(ctx context.Context, plan *assessPlan, afterEngine func()) (*assessment.Assessment, []string, error) {
	a, err := engine.Run(ctx, plan.opts)
	if err != nil {
		return nil, nil, engineError{err}
	}
	if afterEngine != nil {
		afterEngine()
	}
	written, err := writeReports(ctx, plan.out, plan.writers, a)
	if err != nil {
		return nil, nil, err
	}
	return a, written, nil
}

// engineError is an error of the engine (bad input), not of writing.
type engineError struct{ error }

func (e engineError) Unwrap() error { return e.error }

// assessPlan is everything decided before the run starts; building it
// validates all input so a bad flag fails before any work is done.
type assessPlan struct {
	opts    engine.Options
	out     string
	writers []reports.Writer
	gates   []gate
}

func planAssessment(cfg *config.Config) (*assessPlan, error) {
	if len(cfg.Targets) == 0 {
		return nil, usageError(errors.New("no targets: name them under `targets:` in pedigree.yaml or as arguments"))
	}
	var targets []engine.TargetSpec
	for i, t := range cfg.Targets {
		if t.Path == "" {
			return nil, usageError(fmt.Errorf("targets[%d]: no path", i))
		}
		if _, err := os.Stat(t.Path); err != nil {
			return nil, usageError(fmt.Errorf("target %s: %w", t.Path, unwrapPath(err)))
		}
		name := t.Name
		if name == "" {
			name = targetName(t.Path)
		}
		if !collectors.ValidRole(t.Role) {
			return nil, usageError(fmt.Errorf("target %s: role %q: want one of %s", t.Path, t.Role, strings.Join(collectors.Roles, ", ")))
		}
		targets = append(targets, engine.TargetSpec{Name: name, Path: t.Path, Role: t.Role, Exclude: t.Exclude,
			NoDefaultExcludes: t.DefaultExcludes != nil && !*t.DefaultExcludes})
	}
	idx, err := catalogs.Default()
	if err != nil {
		return nil, fmt.Errorf("embedded catalog: %w", err)
	}
	if cfg.Catalog != "" {
		if idx, err = idx.WithCatalog(cfg.Catalog); err != nil {
			return nil, usageError(err)
		}
	}
	mapping, err := controls.DefaultMapping()
	if err != nil {
		return nil, fmt.Errorf("embedded mapping: %w", err)
	}
	if cfg.Mapping != "" {
		if err := mapping.Override(cfg.Mapping); err != nil {
			return nil, usageError(err)
		}
	}
	cols, checks, inv, err := buildPipeline(cfg)
	if err != nil {
		return nil, usageError(err)
	}
	ids := map[string]bool{}
	for _, c := range checks {
		ids[c.ID] = true
	}
	if err := mapping.Validate(idx, ids); err != nil {
		return nil, usageError(err)
	}
	var manualFile []byte
	if cfg.Manual != "" {
		if manualFile, err = readlimit.File(cfg.Manual, readlimit.Config); err != nil {
			return nil, usageError(fmt.Errorf("manual evidence: %w", err))
		}
	}
	cmmcPlan, err := planCMMC(cfg, idx, manualFile)
	if err != nil {
		return nil, err
	}
	scope, profileParams, err := resolveScope(cfg, idx, mapping, cmmcPlan)
	if err != nil {
		return nil, err
	}
	params := &controls.Params{Profile: profileParams, Config: configSetting(cfg)}
	var manual map[string]*assessment.ManualEvidence
	if cfg.Manual != "" {
		if manual, err = controls.ParseManual(cfg.Manual, manualFile, idx); err != nil {
			return nil, usageError(err)
		}
	}
	formats := cfg.Format
	if len(formats) == 0 {
		formats = defaultFormats
	}
	var ws []reports.Writer
	seen := map[string]bool{}
	for _, f := range formats {
		mk, ok := writers[f]
		if !ok {
			return nil, usageError(fmt.Errorf("--format %q is unknown (available: %s)", f, strings.Join(writerFormats(), ", ")))
		}
		if !seen[f] {
			seen[f] = true
			ws = append(ws, mk(cfg))
		}
	}
	gates, err := parseGates(cfg.FailOn)
	if err != nil {
		return nil, usageError(err)
	}
	out := cfg.Out
	if out == "" {
		out = "out"
	}
	// Refuse an unusable output folder before the run, not after it.
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return nil, usageError(fmt.Errorf("--out %s: not a directory", out))
	}
	if cfg.MaxFileSize < 0 {
		return nil, usageError(fmt.Errorf("--max-file-size %d: must be a positive number of bytes", cfg.MaxFileSize))
	}
	title := cfg.Title
	if title == "" {
		title = "pedigree supply-chain assessment"
	}
	return &assessPlan{
		opts: engine.Options{
			Title: title, Tool: assessment.Tool{Name: "pedigree", Version: toolVersion()},
			Targets: targets, Collectors: cols, Checks: checks, Inventoriers: inv,
			Mapping: mapping, Index: idx, Scope: scope, Manual: manual, CMMC: cmmcPlan, Params: params, MaxFileSize: cfg.MaxFileSize,
		},
		out: out, writers: ws, gates: gates,
	}, nil
}

// checkOutputFile refuses, before any work is done, an output file that
// could not be written: its folder missing, a folder, a link or a socket. A
// folder that the run creates anyway (outDir, which the reports create with
// its parents) is accepted: `--out DIR --bundle DIR/evidence.tar.gz` must
// work on a fresh DIR.
func checkOutputFile(flag, p, outDir string) error {
	dir := filepath.Dir(p)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) && outDir != "" && createdWith(dir, outDir) {
		return nil
	}
	if err := outfile.Check(p); err != nil {
		return usageError(fmt.Errorf("%s %w", flag, err))
	}
	return nil
}

// createdWith reports whether making outDir with its parents makes dir:
// dir is outDir itself or one of its ancestors.
func createdWith(dir, outDir string) bool {
	d, err1 := filepath.Abs(dir)
	o, err2 := filepath.Abs(outDir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, o)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolveScope picks the controls in scope: a profile's, else a baseline's
// (moderate by default), plus, unless turned off, every control an
// automated check evidences.
// It also returns the parameter values the profile sets, if any.
func resolveScope(cfg *config.Config, idx *catalogs.Index, m *controls.Mapping, cp *cmmc.Plan) (assessment.Scope, map[string]string, error) {
	var s assessment.Scope
	var ids []string
	var params map[string]string
	switch {
	case cp != nil:
		s.Baseline, ids = cfg.Baseline, cp.Scope()
	case cfg.Profile != "":
		r, err := catalogs.ResolveProfile(cfg.Profile, catalogs.ResolveOptions{Catalog: cfg.Catalog})
		if err != nil {
			return s, nil, usageError(err)
		}
		s.Profile, s.ProfileTitle, ids, params = cfg.Profile, r.Title, r.ControlIDs, r.Parameters
	default:
		b := cfg.Baseline
		if b == "" {
			b = "moderate"
		}
		var err error
		if ids, err = idx.Baseline(b); err != nil {
			return s, nil, usageError(fmt.Errorf("unknown baseline %q (want %s, %s or %s)", b, strings.Join(catalogs.BaselineNames(), ", "), cmmc.BaselineL1, cmmc.BaselineL2))
		}
		s.Baseline = b
	}
	s.Catalog = cfg.Catalog
	s.CatalogVersion = idx.Release
	if cfg.IncludeMapped == nil || *cfg.IncludeMapped {
		in := map[string]bool{}
		for _, id := range ids {
			in[id] = true
		}
		for _, id := range m.Controls() {
			if !in[id] {
				ids = append(ids, id)
			}
		}
	}
	sort.SliceStable(ids, func(i, j int) bool { return catalogs.SortKey(ids[i]) < catalogs.SortKey(ids[j]) })
	s.ControlIDs = ids
	return s, params, nil
}

// configSetting looks a pedigree.yaml setting up by its dotted key
// (sbom.max-age), for the parameters the mapping ties to settings. Only
// settings given a scalar value count.
func configSetting(cfg *config.Config) func(string) (string, bool) {
	var tree map[string]any
	if b, err := yaml.Marshal(cfg); err == nil {
		_ = yaml.Unmarshal(b, &tree)
	}
	return func(key string) (string, bool) {
		var cur any = tree
		for _, k := range strings.Split(key, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return "", false
			}
			cur = m[k]
		}
		switch v := cur.(type) {
		case nil, map[string]any, []any:
			return "", false
		default:
			s := fmt.Sprint(v)
			return s, s != ""
		}
	}
}

// writeReports renders every format to a temporary file in the output
// folder and renames them into place only when all succeeded, so an error
// or Ctrl-C never leaves a half-written report behind.
func writeReports(ctx context.Context, dir string, ws []reports.Writer, a *assessment.Assessment) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, usageError(fmt.Errorf("--out %s: %w", dir, unwrapPath(err)))
	}
	var done []*outfile.File
	cleanup := func() {
		for _, o := range done {
			o.Abort()
		}
	}
	for _, w := range ws {
		final := filepath.Join(dir, w.Filename())
		o, err := outfile.Create(ctx, final, 0o644, nil)
		if err != nil {
			cleanup()
			return nil, usageError(fmt.Errorf("write %w", err))
		}
		done = append(done, o)
		if err := w.Write(ctx, o, a); err != nil {
			cleanup()
			return nil, fmt.Errorf("write %s (%s): %w", final, w.Format(), err)
		}
	}
	var written []string
	for _, o := range done {
		if err := o.Commit(); err != nil {
			cleanup()
			return nil, fmt.Errorf("write %w", err)
		}
		written = append(written, o.Name())
	}
	return written, nil
}

func printSummary(cmd *cobra.Command, a *assessment.Assessment, written []string) {
	n := a.Counts()
	fails := 0
	for _, f := range a.Findings {
		if f.Status == "fail" {
			fails += 1 + f.Folded // a folded finding stands for more
		}
	}
	skipped := 0
	for i := range a.Evidence {
		if a.Evidence[i].Kind == collectors.KindSkipped {
			skipped++
		}
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "controls: %d satisfied, %d not satisfied, %d not assessed (of %d in scope)\n",
		n[assessment.Satisfied], n[assessment.NotSatisfied], n[assessment.NotAssessed], len(a.Controls))
	fmt.Fprintf(w, "findings: %d from %d checks over %d evidence items; %d failed\n", len(a.Findings), len(a.Checks), len(a.Evidence), fails)
	if skipped > 0 {
		fmt.Fprintf(w, "skipped: %d file(s) not read (TARGET-FILE-SKIPPED says which and why)\n", skipped)
	}
	for _, p := range written {
		fmt.Fprintf(w, "wrote %s\n", p)
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
