// Package store is the history of scheduled scans: runs, their control
// results, findings, evidence hashes and report files, POA&M items carried
// across runs, API tokens, dashboard sessions and the audit log. One
// interface, Store, with a SQLite and a PostgreSQL implementation; every SQL
// statement of the server lives in this package.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
)

// ErrNotFound is returned when the row asked for does not exist.
var ErrNotFound = errors.New("not found")

// Run statuses, as the API reports them.
const (
	StatusQueued    = "queued"
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Roles, in increasing order of power.
const (
	RoleViewer   = "viewer"
	RoleOperator = "operator"
	RoleAdmin    = "admin"
)

// RoleRank orders roles; an unknown role ranks below viewer.
func RoleRank(role string) int {
	switch role {
	case RoleViewer:
		return 1
	case RoleOperator:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Store is the server's history. Every method is safe for concurrent use.
type Store interface {
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	Close() error

	// SetSystems records the systems the server serves (name, config,
	// schedule, and why a system is broken when its config fails to load).
	SetSystems(ctx context.Context, systems []System) error
	Systems(ctx context.Context) ([]SystemStatus, error)
	// System is one system as configured, without its runs.
	System(ctx context.Context, name string) (*System, error)
	SetPaused(ctx context.Context, name string, paused bool) error

	// SkipRecordedRunIDs moves River's job ids past every run in the
	// history; call it after River's migrations.
	SkipRecordedRunIDs(ctx context.Context) error
	// QueueRun records a run that was just enqueued; it does nothing when
	// the worker already recorded it.
	QueueRun(ctx context.Context, r Run) error
	// StartRun marks a run running (creating it for scheduled runs).
	StartRun(ctx context.Context, r Run) error
	// FinishRun stores a run's whole result in one transaction: report
	// files, control results, findings, evidence hashes, POA&M carry-over
	// and the run's status. A run already succeeded is left as it is.
	FinishRun(ctx context.Context, id int64, res *Result) error
	// EndRun records a run that ended without a result (failed, cancelled)
	// or that waits for a retry (queued).
	EndRun(ctx context.Context, id int64, status, msg string, at time.Time) error
	Run(ctx context.Context, id int64) (*Run, error)
	Runs(ctx context.Context, f RunFilter) ([]Run, error)
	DeleteRun(ctx context.Context, id int64) error

	Reports(ctx context.Context, runID int64) ([]ReportMeta, error)
	Report(ctx context.Context, runID int64, format string) (*ReportFile, error)

	// ControlAcrossSystems is a control's status in the latest succeeded
	// run of every system.
	ControlAcrossSystems(ctx context.Context, controlID string) ([]ControlStatus, error)
	// ControlHistory is a control's status run by run.
	ControlHistory(ctx context.Context, f ControlFilter) ([]ControlStatus, error)
	Findings(ctx context.Context, f FindingFilter) ([]Finding, error)
	Evidence(ctx context.Context, runID int64) ([]Evidence, error)
	POAM(ctx context.Context, system string) ([]POAMItem, error)

	// Prune deletes succeeded, failed and cancelled runs beyond the
	// retention policy, never the latest succeeded run of a system.
	Prune(ctx context.Context, r Retention, now time.Time) (int, error)

	CreateToken(ctx context.Context, t Token) (int64, error)
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	Tokens(ctx context.Context) ([]Token, error)
	DeleteToken(ctx context.Context, id int64) error

	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash string, now time.Time) (*Session, *Token, error)
	DeleteSession(ctx context.Context, hash string) error

	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, limit int) ([]AuditEntry, error)
}

// System is one assessed system as configured.
type System struct {
	Name     string `json:"name"`
	Config   string `json:"config"`
	Schedule string `json:"schedule"`
	// Broken says why the system cannot run (its config fails to load).
	Broken string `json:"broken,omitempty"`
	// Paused systems are not run on their schedule (manual runs still
	// are); an admin pauses and resumes them.
	Paused bool `json:"paused"`
}

// SystemStatus is a system with its latest run.
type SystemStatus struct {
	System
	Latest *Run `json:"latest,omitempty"`
	// LatestSucceeded is the latest run that produced a result.
	LatestSucceeded *Run `json:"latestSucceeded,omitempty"`
}

// Summary counts a run's verdicts.
type Summary struct {
	Satisfied      int `json:"satisfied"`
	NotSatisfied   int `json:"notSatisfied"`
	NotAssessed    int `json:"notAssessed"`
	FindingsFailed int `json:"findingsFailed"`
}

// Run is one scheduled or manual assessment of a system. Its id is the
// River job's id.
type Run struct {
	ID     int64  `json:"id"`
	System string `json:"system"`
	Status string `json:"status"`
	// Trigger is schedule or manual.
	Trigger     string     `json:"trigger"`
	RequestedBy string     `json:"requestedBy,omitempty"`
	QueuedAt    time.Time  `json:"queuedAt"`
	StartedAt   *time.Time `json:"startedAt"`
	FinishedAt  *time.Time `json:"finishedAt"`
	Attempt     int        `json:"attempt"`
	// Worker is the River client that ran (or runs) the latest attempt.
	Worker  string  `json:"worker,omitempty"`
	Error   string  `json:"error,omitempty"`
	Summary Summary `json:"summary"`
	// AssessmentID is the runId inside the run's pedigree.json.
	AssessmentID string `json:"assessmentId,omitempty"`
}

// RunFilter selects runs, newest first.
type RunFilter struct {
	System string
	Status string
	Since  time.Time
	Until  time.Time
	// Before pages: only runs with a smaller id.
	Before int64
	Limit  int
}

// Result is what a finished run stores.
type Result struct {
	Assessment *assessment.Assessment
	Reports    []ReportFile
	FinishedAt time.Time
}

// ReportMeta describes a stored report file.
type ReportMeta struct {
	Format      string `json:"format"`
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
}

// ReportFile is a report with its bytes.
type ReportFile struct {
	ReportMeta
	Data []byte `json:"-"`
}

// ControlStatus is a control's status in one run.
type ControlStatus struct {
	System     string    `json:"system"`
	RunID      int64     `json:"runId"`
	Control    string    `json:"control"`
	Status     string    `json:"status"`
	FinishedAt time.Time `json:"finishedAt"`
}

// ControlFilter selects a control's history.
type ControlFilter struct {
	Control string
	System  string
	Since   time.Time
	Limit   int
}

// Finding is a stored finding.
type Finding struct {
	RunID    int64     `json:"runId"`
	System   string    `json:"system"`
	ID       string    `json:"id"`
	Check    string    `json:"check"`
	Status   string    `json:"status"`
	Severity string    `json:"severity,omitempty"`
	Message  string    `json:"message,omitempty"`
	At       time.Time `json:"at"`
}

// FindingFilter selects findings, newest run first.
type FindingFilter struct {
	RunID  int64
	System string
	Check  string
	Status string
	Since  time.Time
	Limit  int
}

// Evidence is the hash record of one piece of evidence of a run.
type Evidence struct {
	ID        string `json:"id"`
	Collector string `json:"collector"`
	Kind      string `json:"kind"`
	Target    string `json:"target,omitempty"`
	Source    string `json:"source"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
}

// POAMItem is a weakness of a system carried across runs: its first-seen
// date survives every run in which it stays open.
type POAMItem struct {
	System    string     `json:"system"`
	ID        string     `json:"id"`
	Control   string     `json:"control"`
	Weakness  string     `json:"weakness,omitempty"`
	Severity  string     `json:"severity,omitempty"`
	FirstSeen time.Time  `json:"firstSeen"`
	FirstRun  int64      `json:"firstRun"`
	LastSeen  time.Time  `json:"lastSeen"`
	LastRun   int64      `json:"lastRun"`
	ClosedAt  *time.Time `json:"closedAt,omitempty"`
	ClosedBy  int64      `json:"closedBy,omitempty"`
}

// Retention keeps, per system, the newest KeepRuns runs and the runs of
// the last KeepDays days; zero turns a limit off.
type Retention struct {
	KeepRuns int `yaml:"keep-runs" json:"keepRuns"`
	KeepDays int `yaml:"keep-days" json:"keepDays"`
}

// Token is an API token; only its SHA-256 is stored.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
}

// Session is a dashboard login; only the cookie's SHA-256 is stored.
type Session struct {
	Hash      string
	TokenID   int64
	CSRF      string
	ExpiresAt time.Time
}

// AuditEntry records who did what.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
}
