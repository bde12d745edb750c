package forge

// Name is the collector's name in evidence.
const Name = "forge"

// KindSettings is the evidence kind of a repository's forge settings; the
// payload is *Settings.
const KindSettings = "forge.settings"

// Providers.
const (
	GitHubProvider = "github"
	GitLabProvider = "gitlab"
)

// States of a collection.
const (
	// StateCollected: the repository was read; sections may still carry
	// their own Error where the token could not read them.
	StateCollected = "collected"
	// StateDisabled: repo.online is off (the default); nothing was asked.
	StateDisabled = "disabled"
	// StateUnavailable: enabled, but the repository could not be read at
	// all (no token, bad credentials, not found, rate limited).
	StateUnavailable = "unavailable"
)

// ReasonDisabled is the reason recorded when the collector is off.
const ReasonDisabled = "online collector not enabled (repo.online / --online)"

// Settings is what the forge said about one repository.
type Settings struct {
	Provider   string `json:"provider"`
	Repository string `json:"repository,omitempty"`
	// APIURL is the repository's API resource; WebURL its page.
	APIURL string `json:"apiURL,omitempty"`
	WebURL string `json:"webURL,omitempty"`
	// Branch is the branch judged: the configured one or the default.
	Branch        string `json:"branch,omitempty"`
	DefaultBranch string `json:"defaultBranch,omitempty"`
	State         string `json:"state"`
	// Reason says why the state is not collected.
	Reason string  `json:"reason,omitempty"`
	GitHub *GitHub `json:"github,omitempty"`
	GitLab *GitLab `json:"gitlab,omitempty"`
	// Responses lists every API response the evidence digest covers, in
	// the canonical (URL) order the digest uses.
	Responses []Response `json:"responses,omitempty"`
}

// Response is one API response behind the evidence.
type Response struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// GitHub holds a GitHub repository's settings.
type GitHub struct {
	Owner string `json:"owner"`
	// OwnerType is Organization or User.
	OwnerType  string `json:"ownerType,omitempty"`
	Visibility string `json:"visibility,omitempty"`
	Archived   bool   `json:"archived,omitempty"`
	// Protection is the classic branch protection of the branch.
	Protection *Protection `json:"protection,omitempty"`
	// Rules are the active ruleset rules applying to the branch.
	Rules *Rules `json:"rules,omitempty"`
	// Actions are the repository's Actions settings; OrgActions the
	// organisation's (nil for a user-owned repository).
	Actions    *Actions  `json:"actions,omitempty"`
	OrgActions *Actions  `json:"orgActions,omitempty"`
	Security   *Security `json:"security,omitempty"`
}

// Protection is GitHub's classic branch protection.
type Protection struct {
	// Error says why the protection could not be read.
	Error string `json:"error,omitempty"`
	// Enabled is false when GitHub answered "Branch not protected".
	Enabled bool `json:"enabled"`
	// RequiredReviews is required_pull_request_reviews being set.
	RequiredReviews              bool `json:"requiredReviews"`
	RequiredApprovingReviewCount int  `json:"requiredApprovingReviewCount"`
	DismissStaleReviews          bool `json:"dismissStaleReviews"`
	RequireCodeOwnerReviews      bool `json:"requireCodeOwnerReviews"`
	RequireLastPushApproval      bool `json:"requireLastPushApproval"`
	// ReviewBypass lists bypass_pull_request_allowances as user:, team:
	// and app: names.
	ReviewBypass []string `json:"reviewBypass,omitempty"`
	// RequiredSignatures is required_signatures.enabled; nil when the
	// response did not say.
	RequiredSignatures *bool `json:"requiredSignatures,omitempty"`
	AllowForcePushes   bool  `json:"allowForcePushes"`
	AllowDeletions     bool  `json:"allowDeletions"`
	// StatusChecks is nil when no status checks are required.
	StatusChecks  *StatusChecks `json:"statusChecks,omitempty"`
	EnforceAdmins bool          `json:"enforceAdmins"`
}

// StatusChecks are required status checks.
type StatusChecks struct {
	Strict   bool     `json:"strict"`
	Contexts []string `json:"contexts"`
}

// Rules are the active rules of GitHub rulesets that apply to the branch.
type Rules struct {
	Error                string             `json:"error,omitempty"`
	PullRequest          []PullRequestRule  `json:"pullRequest,omitempty"`
	RequiredSignatures   []RuleRef          `json:"requiredSignatures,omitempty"`
	NonFastForward       []RuleRef          `json:"nonFastForward,omitempty"`
	Deletion             []RuleRef          `json:"deletion,omitempty"`
	RequiredStatusChecks []StatusChecksRule `json:"requiredStatusChecks,omitempty"`
	// Rulesets are the rulesets the rules come from, with their bypass
	// actors.
	Rulesets []Ruleset `json:"rulesets,omitempty"`
}

// RuleRef names the ruleset a rule comes from.
type RuleRef struct {
	RulesetID  int64  `json:"rulesetID"`
	Source     string `json:"source,omitempty"`
	SourceType string `json:"sourceType,omitempty"`
}

// PullRequestRule is a ruleset's pull_request rule.
type PullRequestRule struct {
	RuleRef
	RequiredApprovingReviewCount int  `json:"requiredApprovingReviewCount"`
	DismissStaleReviewsOnPush    bool `json:"dismissStaleReviewsOnPush"`
	RequireCodeOwnerReview       bool `json:"requireCodeOwnerReview"`
	RequireLastPushApproval      bool `json:"requireLastPushApproval"`
}

// StatusChecksRule is a ruleset's required_status_checks rule.
type StatusChecksRule struct {
	RuleRef
	Contexts []string `json:"contexts"`
	Strict   bool     `json:"strict"`
}

// Ruleset is one ruleset's identity, enforcement and bypass list.
type Ruleset struct {
	ID          int64  `json:"id"`
	Name        string `json:"name,omitempty"`
	Source      string `json:"source,omitempty"`
	SourceType  string `json:"sourceType,omitempty"`
	Enforcement string `json:"enforcement,omitempty"`
	// BypassKnown is false when the response did not list bypass actors
	// (GitHub returns them only to tokens that can edit the ruleset).
	BypassKnown  bool          `json:"bypassKnown"`
	BypassActors []BypassActor `json:"bypassActors,omitempty"`
	Error        string        `json:"error,omitempty"`
}

// BypassActor may bypass a ruleset.
type BypassActor struct {
	// Type is RepositoryRole, Team, Integration, OrganizationAdmin,
	// DeployKey or EnterpriseOwner.
	Type string `json:"type"`
	ID   int64  `json:"id,omitempty"`
	// Mode is always or pull_request.
	Mode string `json:"mode,omitempty"`
}

// Actions are GitHub Actions settings of a repository or organisation.
type Actions struct {
	// Error says why the permissions could not be read.
	Error string `json:"error,omitempty"`
	// Enabled (repository) or EnabledRepositories (organisation: all,
	// none, selected).
	Enabled             *bool  `json:"enabled,omitempty"`
	EnabledRepositories string `json:"enabledRepositories,omitempty"`
	// AllowedActions is all, local_only or selected.
	AllowedActions     string           `json:"allowedActions,omitempty"`
	SHAPinningRequired *bool            `json:"shaPinningRequired,omitempty"`
	Selected           *SelectedActions `json:"selected,omitempty"`
	// WorkflowError says why the default workflow permissions could not
	// be read.
	WorkflowError string `json:"workflowError,omitempty"`
	// DefaultWorkflowPermissions is read or write.
	DefaultWorkflowPermissions   string `json:"defaultWorkflowPermissions,omitempty"`
	CanApprovePullRequestReviews *bool  `json:"canApprovePullRequestReviews,omitempty"`
}

// SelectedActions is the allow list when allowed_actions is selected.
type SelectedActions struct {
	Error              string   `json:"error,omitempty"`
	GitHubOwnedAllowed bool     `json:"githubOwnedAllowed"`
	VerifiedAllowed    bool     `json:"verifiedAllowed"`
	Patterns           []string `json:"patterns,omitempty"`
}

// Security is a repository's security_and_analysis.
type Security struct {
	// Error says why it is unknown (GitHub omits security_and_analysis
	// for tokens without admin access).
	Error string `json:"error,omitempty"`
	// SecretScanning and PushProtection are enabled or disabled.
	SecretScanning   string `json:"secretScanning,omitempty"`
	PushProtection   string `json:"pushProtection,omitempty"`
	AdvancedSecurity string `json:"advancedSecurity,omitempty"`
}

// GitLab holds a GitLab project's settings.
type GitLab struct {
	ProjectID  int64  `json:"projectID"`
	Visibility string `json:"visibility,omitempty"`
	Archived   bool   `json:"archived,omitempty"`
	// OnlyAllowMergeIfPipelineSucceeds is the project's "pipelines must
	// succeed" merge check.
	OnlyAllowMergeIfPipelineSucceeds bool `json:"onlyAllowMergeIfPipelineSucceeds"`
	// SecretPushProtection is secret_push_protection_enabled (formerly
	// pre_receive_secret_detection_enabled); nil when the project
	// response carries neither.
	SecretPushProtection *bool              `json:"secretPushProtection,omitempty"`
	ProtectedBranches    *ProtectedBranches `json:"protectedBranches,omitempty"`
	Approvals            *Approvals         `json:"approvals,omitempty"`
	ApprovalRules        *ApprovalRules     `json:"approvalRules,omitempty"`
	PushRules            *PushRules         `json:"pushRules,omitempty"`
}

// ProtectedBranches are the project's protected branch rules that match
// the branch (exact names and wildcards).
type ProtectedBranches struct {
	Error string `json:"error,omitempty"`
	// Total is how many protected branch rules the project has.
	Total    int               `json:"total"`
	Matching []ProtectedBranch `json:"matching,omitempty"`
}

// ProtectedBranch is one protected branch rule.
type ProtectedBranch struct {
	Name                      string   `json:"name"`
	PushAccess                []Access `json:"pushAccess,omitempty"`
	MergeAccess               []Access `json:"mergeAccess,omitempty"`
	AllowForcePush            bool     `json:"allowForcePush"`
	CodeOwnerApprovalRequired bool     `json:"codeOwnerApprovalRequired"`
}

// Access is one entry of push_access_levels or merge_access_levels.
type Access struct {
	// Level is 0 (no one), 30 (developers), 40 (maintainers), 60 (admins).
	Level       int    `json:"level"`
	Description string `json:"description,omitempty"`
	UserID      int64  `json:"userID,omitempty"`
	GroupID     int64  `json:"groupID,omitempty"`
	DeployKeyID int64  `json:"deployKeyID,omitempty"`
}

// Approvals is the project's merge request approval configuration.
type Approvals struct {
	Error                                     string `json:"error,omitempty"`
	ApprovalsBeforeMerge                      int64  `json:"approvalsBeforeMerge"`
	ResetApprovalsOnPush                      bool   `json:"resetApprovalsOnPush"`
	MergeRequestsAuthorApproval               bool   `json:"mergeRequestsAuthorApproval"`
	MergeRequestsDisableCommittersApproval    bool   `json:"mergeRequestsDisableCommittersApproval"`
	DisableOverridingApproversPerMergeRequest bool   `json:"disableOverridingApproversPerMergeRequest"`
	RequirePasswordToApprove                  bool   `json:"requirePasswordToApprove"`
}

// ApprovalRules are the project's approval rules.
type ApprovalRules struct {
	Error string         `json:"error,omitempty"`
	Rules []ApprovalRule `json:"rules,omitempty"`
}

// ApprovalRule is one project approval rule.
type ApprovalRule struct {
	ID                int64  `json:"id"`
	Name              string `json:"name"`
	RuleType          string `json:"ruleType,omitempty"`
	ApprovalsRequired int64  `json:"approvalsRequired"`
	// AppliesToBranch says whether the rule covers the judged branch.
	AppliesToBranch bool `json:"appliesToBranch"`
}

// PushRules is the project's push rule.
type PushRules struct {
	Error string `json:"error,omitempty"`
	// Configured is false when the project has no push rule (404 or null).
	Configured            bool `json:"configured"`
	RejectUnsignedCommits bool `json:"rejectUnsignedCommits"`
	MemberCheck           bool `json:"memberCheck"`
	PreventSecrets        bool `json:"preventSecrets"`
	CommitCommitterCheck  bool `json:"commitCommitterCheck"`
	DenyDeleteTag         bool `json:"denyDeleteTag"`
	RejectNonDCOCommits   bool `json:"rejectNonDCOCommits"`
}
