package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "cmmc",
			Short: "CMMC practices, assessment objectives and the SPRS score",
		}
		score := &cobra.Command{
			Use:   "score FROM",
			Short: "Print the SPRS score and conditional-status eligibility of a CMMC assessment",
			Long: `Print the SPRS score (NIST SP 800-171 DoD Assessment Methodology v1.2.1) and
the 32 CFR 170.21 status of a run assessed with --baseline cmmc-l1 or cmmc-l2.
FROM is its pedigree.json or an evidence bundle. The score is computed when
the assessment runs; this command only reads it.

Exit codes: 0 final status; 1 conditional, not eligible or incomplete;
2 input error.`,
			Args: cobra.ExactArgs(1),
			RunE: runCMMCScore,
		}
		score.Flags().Bool("json", false, "print one JSON object")
		objectives := &cobra.Command{
			Use:   "objectives PRACTICE",
			Short: "List the assessment objectives and assessment objects of a CMMC practice",
			Args:  cobra.ExactArgs(1),
			RunE:  runCMMCObjectives,
		}
		objectives.Flags().Bool("json", false, "print one JSON object")
		cmd.AddCommand(score, objectives)
		return cmd
	})
}

// scoreJSON is the contract of `pedigree cmmc score --json`.
type scoreJSON struct {
	Level              int             `json:"level"`
	Score              *int            `json:"score"`
	Complete           bool            `json:"complete"`
	IfUnassessedMet    int             `json:"scoreIfUnassessedMet"`
	IfUnassessedNotMet int             `json:"scoreIfUnassessedNotMet"`
	Max                int             `json:"max"`
	Status             string          `json:"status"`
	Reasons            []string        `json:"reasons"`
	POAMDeadline       string          `json:"poamDeadline,omitempty"`
	Practices          []practiceScore `json:"practices"`
}

type practiceScore struct {
	ID          string                    `json:"id"`
	Requirement string                    `json:"requirement"`
	Status      assessment.PracticeStatus `json:"status"`
	Value       int                       `json:"value"`
	Deducted    int                       `json:"deducted"`
	Objectives  struct {
		Met   int `json:"met"`
		Total int `json:"total"`
	} `json:"objectives"`
	POAM bool `json:"poam"`
}

func runCMMCScore(cmd *cobra.Command, args []string) error {
	asJSON, _ := cmd.Flags().GetBool("json")
	a, err := loadRun(cmd.Context(), args[0])
	if err != nil {
		return usageError(err)
	}
	c := a.CMMC
	if c == nil {
		return usageError(fmt.Errorf("%s: no CMMC assessment in this run: assess with --baseline cmmc-l1 or cmmc-l2", args[0]))
	}
	out := scoreJSON{
		Level: c.Level, Score: c.Score.Score, Complete: c.Score.Complete,
		IfUnassessedMet: c.Score.IfUnassessedMet, IfUnassessedNotMet: c.Score.IfUnassessedNotMet,
		Max: c.Score.Max, Status: c.Score.Status, Reasons: c.Score.Reasons, POAMDeadline: c.Score.POAMDeadline,
		Practices: []practiceScore{},
	}
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	for i := range c.Practices {
		p := &c.Practices[i]
		ps := practiceScore{ID: p.ID, Requirement: strings.Join(p.Requirements, ","), Status: p.Status, Value: p.Value, Deducted: p.Deducted, POAM: p.POAM}
		ps.Objectives.Met, ps.Objectives.Total = p.ObjectivesMet()
		out.Practices = append(out.Practices, ps)
	}
	w := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printScore(w, a, &out)
	}
	if c.Score.Status != assessment.CMMCFinal {
		return withCode(exitFindings, nil)
	}
	return nil
}

func printScore(w io.Writer, a *assessment.Assessment, s *scoreJSON) {
	fmt.Fprintf(w, "CMMC Level %d: %s\n", s.Level, a.Title)
	switch {
	case s.Level == 1:
		fmt.Fprintln(w, "SPRS score: none (Level 1 is met or not met, practice by practice)")
	case s.Score != nil:
		fmt.Fprintf(w, "SPRS score: %d/%d\n", *s.Score, s.Max)
	case s.Complete:
		fmt.Fprintln(w, "SPRS score: none")
	default:
		fmt.Fprintf(w, "SPRS score: %d to %d/%d (incomplete)\n", s.IfUnassessedNotMet, s.IfUnassessedMet, s.Max)
	}
	fmt.Fprintf(w, "Status: %s\n", statusWords(s.Status, s.Level))
	for _, r := range s.Reasons {
		fmt.Fprintf(w, "  - %s\n", r)
	}
	counts := map[assessment.PracticeStatus]int{}
	for _, p := range s.Practices {
		counts[p.Status]++
	}
	fmt.Fprintf(w, "Practices: %d met, %d not met, %d not applicable, %d not assessed (of %d)\n",
		counts[assessment.Met], counts[assessment.NotMet], counts[assessment.NotApplicable], counts[assessment.PracticeNotAssessed], len(s.Practices))
	var open []practiceScore
	for _, p := range s.Practices {
		if p.Status == assessment.NotMet {
			open = append(open, p)
		}
	}
	if len(open) > 0 {
		fmt.Fprintln(w, "Not met:")
		for _, p := range open {
			poam := ""
			if p.POAM {
				poam = ", on the POA&M"
			}
			fmt.Fprintf(w, "  %-14s %-8s -%d (value %d)%s, objectives %d/%d met\n", p.ID, p.Requirement, p.Deducted, p.Value, poam, p.Objectives.Met, p.Objectives.Total)
		}
	}
}

func statusWords(status string, level int) string {
	switch status {
	case assessment.CMMCFinal:
		return fmt.Sprintf("final Level %d", level)
	case assessment.CMMCConditional:
		return fmt.Sprintf("conditional Level %d", level)
	case assessment.CMMCNotEligible:
		return "not eligible"
	}
	return "incomplete: practices are not assessed"
}

func runCMMCObjectives(cmd *cobra.Command, args []string) error {
	asJSON, _ := cmd.Flags().GetBool("json")
	g, err := catalogs.CMMC()
	if err != nil {
		return fmt.Errorf("embedded CMMC data: %w", err)
	}
	p, ok := g.Practice(args[0])
	if !ok {
		if idx, err := catalogs.Default(); err == nil {
			if ip, ok2 := idx.CMMCPractice(args[0]); ok2 {
				p, ok = g.Practice(ip.ID)
			}
		}
	}
	if !ok {
		return usageError(errors.New("unknown CMMC practice " + fmt.Sprintf("%q", args[0]) + " (want an id like AC.L2-3.1.1 or AC.L1-b.1.i)"))
	}
	w := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(p)
	}
	fmt.Fprintf(w, "%s %s (SP 800-171 Rev 2 %s, Level %d)\n", p.ID, p.Title, strings.Join(p.Requirements171r2, ", "), p.Level)
	if v, ok := g.Value(firstOr(p.Requirements171r2)); ok && p.Level == 2 {
		line := fmt.Sprintf("SPRS value: %d", v.Value)
		if v.Value == 0 {
			line = "SPRS value: none (without it the assessment has no score)"
		}
		if v.Partial > 0 {
			line += fmt.Sprintf(" (%d when partially implemented)", v.Partial)
		}
		if v.NoDeductionWhen != "" {
			line += "; no deduction when " + strings.TrimSuffix(v.NoDeductionWhen, " not permitted") + " is not permitted"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\nAssessment objectives (NIST SP 800-171A): determine if")
	for _, o := range p.Objectives {
		fmt.Fprintf(w, "  %s  %s\n", strings.TrimPrefix(o.ID, p.ID), o.Text)
	}
	for _, m := range []struct {
		name  string
		items []string
	}{{"Examine", p.Examine}, {"Interview", p.Interview}, {"Test", p.Test}} {
		if len(m.items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", m.name)
		for _, it := range m.items {
			fmt.Fprintf(w, "  - %s\n", it)
		}
	}
	return nil
}

func firstOr(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
