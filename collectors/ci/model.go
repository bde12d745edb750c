package ci

import (
	"github.com/rhysd/actionlint"
)

// Kind is the evidence kind of one parsed pipeline file.
const Kind = "ci.workflow"

// CollectorName is recorded in every Evidence this package builds.
const CollectorName = "ci"

// Platform says what a pipeline file is.
type Platform string

const (
	// GitHubWorkflow is a file under .github/workflows.
	GitHubWorkflow Platform = "github-workflow"
	// GitHubAction is an action.yml metadata file (composite, docker or
	// JavaScript action).
	GitHubAction Platform = "github-action"
	// GitLabCI is a .gitlab-ci.yml file or a file it includes.
	GitLabCI Platform = "gitlab-ci"
)

// Pipeline is the payload of a ci.workflow evidence: the facts that survive
// a round trip through pedigree.json, plus the parsed model (not serialised)
// the checks judge.
type Pipeline struct {
	Platform Platform `json:"platform"`
	// Path is the file's path relative to its target, slash-separated.
	Path string `json:"path"`
	Name string `json:"name,omitempty"`
	// Triggers are the GitHub events (or "merge_request_event" style GitLab
	// pipeline sources named in rules) that start the pipeline.
	Triggers []string `json:"triggers,omitempty"`
	Jobs     int      `json:"jobs"`
	// References are the actions, reusable workflows, images and includes
	// the file pulls in, as written.
	References []string `json:"references,omitempty"`
	// SyntaxErrors are problems that kept the file from loading cleanly.
	SyntaxErrors []SyntaxError `json:"syntaxErrors,omitempty"`
	// Release describes publishing, provenance, SBOM and signing steps when
	// the pipeline publishes something.
	Release *Release `json:"release,omitempty"`
	// IncludedBy names the GitLab file whose local include brought this one.
	IncludedBy string `json:"includedBy,omitempty"`

	// Workflow is actionlint's syntax tree of a GitHub workflow.
	Workflow *actionlint.Workflow `json:"-"`
	// Action is the parsed action.yml.
	Action *Action `json:"-"`
	// GitLab is the parsed GitLab CI file.
	GitLab *GitLab `json:"-"`
	// Source is the raw text with a line index. It may share memory with
	// the bytes the collector read: treat it as read-only.
	Source *Source `json:"-"`

	// jobs are Workflow's jobs in source order, sorted once at parse time
	// (jobsSet) so that every rule reads the same slice.
	jobs    []*actionlint.Job
	jobsSet bool
}

// SortedJobs returns the workflow's jobs in source order (nil for other
// pipelines). The slice is shared: do not modify it.
func (p *Pipeline) SortedJobs() []*actionlint.Job {
	if p.jobsSet {
		return p.jobs
	}
	return SortedJobs(p.Workflow)
}

// SyntaxError is one load problem at an exact position.
type SyntaxError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Action is an action.yml: its runs section and, for a composite action,
// its steps in actionlint's types.
type Action struct {
	Name *actionlint.String
	// Using is runs.using (composite, docker, node20, ...).
	Using *actionlint.String
	// Image is runs.image of a docker action.
	Image *actionlint.String
	// Steps of a composite action.
	Steps []*actionlint.Step
	// Inputs are the declared input names (lower case).
	Inputs map[string]*actionlint.String
	// RunsPos is the position of the `runs:` key.
	RunsPos *actionlint.Pos
}

// GitLab is a GitLab CI file.
type GitLab struct {
	Includes  []*GitLabInclude
	Default   *GitLabJob
	Jobs      []*GitLabJob
	Variables []*GitLabVar
	// WorkflowRules are the `workflow: rules:` conditions.
	WorkflowRules []*GitLabRule
	// SpecInputs are the inputs declared in a `spec:` header document.
	SpecInputs []string
}

// GitLabInclude is one `include:` entry.
type GitLabInclude struct {
	// Kind is local, project, remote, template or component.
	Kind  string
	Value *actionlint.String
	// Ref is `ref:` of a project include (nil when absent).
	Ref *actionlint.String
	// Files are `file:` of a project include.
	Files []*actionlint.String
	// Pos is the position of the include item.
	Pos *actionlint.Pos
}

// GitLabJob is a job (or a hidden template job, or `default:`).
type GitLabJob struct {
	Name   *actionlint.String
	Hidden bool
	// Image is image or image:name.
	Image *actionlint.String
	// Services are service images.
	Services     []*actionlint.String
	BeforeScript []*actionlint.String
	Script       []*actionlint.String
	AfterScript  []*actionlint.String
	Variables    []*GitLabVar
	Rules        []*GitLabRule
	// Only and Except are the legacy `only:`/`except:` refs lists.
	Only, Except []*actionlint.String
	Environment  *actionlint.String
	Stage        *actionlint.String
	Extends      []*actionlint.String
	Artifacts    *GitLabArtifacts
	// Secrets are `secrets:` names (external secret providers).
	Secrets []*actionlint.String
	// IDTokens are `id_tokens:` names.
	IDTokens []*actionlint.String
	When     *actionlint.String
	// Release is the position of a `release:` keyword (a GitLab release).
	Release *actionlint.Pos
	Pos     *actionlint.Pos
}

// GitLabVar is one variable definition.
type GitLabVar struct {
	Name  *actionlint.String
	Value *actionlint.String
}

// GitLabRule is one `rules:` item.
type GitLabRule struct {
	If   *actionlint.String
	When *actionlint.String
	Pos  *actionlint.Pos
}

// GitLabArtifacts is a job's artifacts section.
type GitLabArtifacts struct {
	Paths  []*actionlint.String
	Public *actionlint.String
	Access *actionlint.String
	// Reports are the names under artifacts:reports (cyclonedx, ...).
	Reports []string
	Pos     *actionlint.Pos
}

// Release describes what a publishing pipeline does, for release hygiene.
type Release struct {
	// Publishes lists the steps that publish (package upload, release
	// creation, image push), as "file:line: what".
	Publishes []Step `json:"publishes"`
	// Provenance lists steps that generate SLSA provenance or attestations.
	Provenance []Step `json:"provenance,omitempty"`
	// SBOM lists steps that generate an SBOM.
	SBOM []Step `json:"sbom,omitempty"`
	// Signing lists steps that sign artifacts.
	Signing []Step `json:"signing,omitempty"`
	// HostedRunners is true when every publishing job runs on a
	// platform-hosted runner (ephemeral, isolated).
	HostedRunners bool `json:"hostedRunners"`
	// IsolatedGenerator is true when provenance comes from a reusable
	// workflow that the calling job cannot tamper with (SLSA Build L3).
	IsolatedGenerator bool `json:"isolatedGenerator"`
}

// Step names one step of interest with its position.
type Step struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Job    string `json:"job,omitempty"`
	What   string `json:"what"`
}
