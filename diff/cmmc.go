package diff

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
)

// CMMCChange is how a CMMC assessment moved between two runs.
type CMMCChange struct {
	Level     int    `json:"level"`
	OldScore  string `json:"oldScore"`
	NewScore  string `json:"newScore"`
	OldStatus string `json:"oldStatus"`
	NewStatus string `json:"newStatus"`
	// Practices whose status changed.
	Practices []PracticeChange `json:"practices"`
}

// PracticeChange is one practice whose status changed.
type PracticeChange struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Old   string `json:"oldStatus"`
	New   string `json:"newStatus"`
}

// compareCMMC compares two runs' CMMC views of the same level; nil when
// either run has none or the levels differ.
func compareCMMC(old, cur *assessment.CMMC) *CMMCChange {
	if old == nil || cur == nil || old.Level != cur.Level {
		return nil
	}
	c := &CMMCChange{Level: cur.Level, OldScore: scoreText(old), NewScore: scoreText(cur), OldStatus: old.Score.Status, NewStatus: cur.Score.Status, Practices: []PracticeChange{}}
	before := map[string]assessment.PracticeStatus{}
	for _, p := range old.Practices {
		before[p.ID] = p.Status
	}
	for _, p := range cur.Practices {
		if o, ok := before[p.ID]; ok && o != p.Status {
			c.Practices = append(c.Practices, PracticeChange{ID: p.ID, Title: p.Title, Old: string(o), New: string(p.Status)})
		}
	}
	return c
}

// scoreText is the score, its range while incomplete, or "none".
func scoreText(c *assessment.CMMC) string {
	s := c.Score
	switch {
	case s.Score != nil:
		return fmt.Sprintf("%d/%d", *s.Score, s.Max)
	case c.Level == 2 && !s.Complete:
		return fmt.Sprintf("%d to %d/%d", s.IfUnassessedNotMet, s.IfUnassessedMet, s.Max)
	}
	return "none"
}

func writeCMMC(b *strings.Builder, c *CMMCChange) {
	if c == nil {
		return
	}
	fmt.Fprintf(b, "\n### CMMC Level %d\n\nSPRS score: %s · status: %s\n", c.Level, arrow(c.OldScore, c.NewScore), arrow(c.OldStatus, c.NewStatus))
	if len(c.Practices) == 0 {
		return
	}
	fmt.Fprintf(b, "\n| Practice | Title | Status |\n|---|---|---|\n")
	for i, p := range c.Practices {
		if i == MaxListed {
			fmt.Fprintf(b, "| … %d more | | |\n", len(c.Practices)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", code(p.ID), cell(p.Title), arrow(p.Old, p.New))
	}
}
