package cichecks

import (
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// NewGitHubEnv flags writes to $GITHUB_ENV / $GITHUB_PATH of values that
// can carry attacker-controlled text, in workflows an attacker can trigger
// with the base repository's privileges and in code whose caller is unknown
// (composite actions, reusable workflows): setting LD_PRELOAD, NODE_OPTIONS
// or PATH from such text runs the attacker's code in later steps.
func NewGitHubEnv() *Rule {
	return &Rule{
		ID:    "github-env",
		Title: "Untrusted data written to GITHUB_ENV or GITHUB_PATH",
		Rationale: "Variables written to $GITHUB_ENV apply to every later step; if their content comes from the " +
			"event (a PR title, an artifact), an attacker can set BASH_ENV, NODE_OPTIONS or PATH and run code with the job's privileges.",
		Remediation: "Use step outputs ($GITHUB_OUTPUT) for data, validate values strictly, and never write untrusted data to $GITHUB_ENV/$GITHUB_PATH in pull_request_target or workflow_run workflows.",
		Severity:    evidence.High,
		Platforms:   github,
		judge:       judgeGitHubEnv,
	}
}

// privilegedOutsiderEvents run with the base repository's token and
// secrets for events someone without write access can cause.
var privilegedOutsiderEvents = []string{"pull_request_target", "workflow_run", "issue_comment", "issues", "discussion", "discussion_comment"}

var (
	githubEnvWrite = lazyre.New(`(?i)(>>?\s*["']?(\$\{?GITHUB_(ENV|PATH)\}?|\$env:GITHUB_(ENV|PATH)|%GITHUB_(ENV|PATH)%)|\btee\b[^\n|]*\$\{?GITHUB_(ENV|PATH)|(out-file|add-content|set-content|tee-object)\b[^\n]*\$env:GITHUB_(ENV|PATH))`)
	shellVar       = lazyre.New(`\$env:([A-Za-z_][A-Za-z0-9_]*)|\$\{?([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%`)
	cmdSubst       = lazyre.New("\\$\\(([^()]*)\\)|`([^`]*)`")
	assignment     = lazyre.New(`^\s*(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
	psAssignment   = lazyre.New(`^\s*\$(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$`)
	writtenVar     = lazyre.New(`^["']?([A-Za-z_][A-Za-z0-9_]*)=`)
	pipelineSep    = lazyre.New(`\|\||&&|[|;]`)
)

// localTools are commands whose output is determined by the runner, the
// toolchains on it or the repository: paths, versions, hashes, counts.
var localTools = map[string]bool{
	"echo": true, "printf": true, "pwd": true, "dirname": true, "basename": true, "realpath": true, "readlink": true,
	"date": true, "nproc": true, "uname": true, "whoami": true, "id": true, "hostname": true, "mktemp": true,
	"sha256sum": true, "sha1sum": true, "sha512sum": true, "md5sum": true, "shasum": true, "cksum": true, "b2sum": true,
	"git": true, "pnpm": true, "npm": true, "npx": true, "yarn": true, "node": true, "bun": true, "deno": true,
	"rustc": true, "rustup": true, "cargo": true, "go": true, "python": true, "python3": true, "py": true, "pip": true,
	"pip3": true, "uv": true, "poetry": true, "ruby": true, "gem": true, "bundle": true, "java": true, "mvn": true,
	"gradle": true, "dotnet": true, "brew": true, "xcrun": true, "xcode-select": true, "swift": true, "clang": true,
	"gcc": true, "cc": true, "cmake": true, "make": true, "which": true, "command": true, "type": true, "getconf": true,
	"sysctl": true, "lsb_release": true, "cygpath": true, "wslpath": true, "tr": true, "cut": true, "grep": true,
	"sed": true, "awk": true, "sort": true, "uniq": true, "wc": true, "expr": true, "seq": true, "ls": true,
	"find": true, "xargs": true, "head": true, "tail": true, "cat": true, "jq": true, "yq": true, "conda": true,
	"vswhere": true, "Get-Location": true, "Resolve-Path": true, "Split-Path": true, "Join-Path": true,
	"Get-Date": true, "bc": true, "true": true, "false": true, "test": true, "[": true,
}

// fileReaders read files: what they output is an artifact's content when
// the job downloaded one.
var fileReaders = map[string]bool{"cat": true, "head": true, "tail": true, "jq": true, "yq": true, "unzip": true, "tr": true, "Get-Content": true, "type": true}

// runnerVar says whether a variable is set by the runner or a toolchain
// installer: paths and machine facts, not text anyone supplies.
func runnerVar(name string) bool {
	switch name {
	case "HOME", "PATH", "PWD", "OLDPWD", "USER", "SHELL", "TMPDIR", "TEMP", "TMP", "CI", "ImageOS", "ImageVersion",
		"GOROOT", "GOPATH", "GOBIN", "GOOS", "GOARCH", "pythonLocation", "PKG_CONFIG_PATH", "LD_LIBRARY_PATH",
		"LOCALAPPDATA", "APPDATA", "USERPROFILE", "ProgramFiles", "SystemRoot", "HOMEDRIVE", "HOMEPATH", "OS",
		"NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "NVM_DIR", "BUN_INSTALL", "PNPM_HOME", "CONDA", "MSYSTEM":
		return true
	}
	for _, p := range []string{"RUNNER_", "ANDROID_", "JAVA_HOME", "XDG_", "Python", "VCPKG", "DOTNET_", "CARGO_", "RUSTUP_", "HOMEBREW_", "JAVA_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// taint is what a value may carry: a severity ("" for nothing an attacker
// writes) and where it comes from.
type taint struct {
	sev evidence.Severity
	why string
}

func (t taint) or(u taint) taint {
	if u.sev != "" && (t.sev == "" || u.sev.Rank() > t.sev.Rank()) {
		return u
	}
	return t
}

// envState follows one job (or one composite action) through its steps.
type envState struct {
	c  *Context
	sr stepRef
	// callerUnknown: a composite action, which runs in its caller's
	// workspace and environment with its caller's inputs, all unknown
	// here. A reusable workflow's caller cannot set its environment.
	callerUnknown bool
	downloaded    bool
	// written are variables an earlier line wrote to GITHUB_ENV.
	written map[string]taint
	// local are the current script's own assignments.
	local map[string]taint
}

func judgeGitHubEnv(c *Context) {
	callerUnknown := c.P.Platform == ci.GitHubAction
	// A reusable workflow runs for its caller's event, which may be one of
	// these.
	if c.P.Platform == ci.GitHubWorkflow && !hasTrigger(c.P, append(privilegedOutsiderEvents, "workflow_call")...) {
		c.NotApplicable()
		return
	}
	var st *envState
	for _, sr := range c.steps() {
		if st == nil || sr.job != st.sr.job {
			st = &envState{c: c, callerUnknown: callerUnknown, written: map[string]taint{}}
		}
		st.sr = sr
		if a := uses(sr.step); a != nil {
			switch ci.ActionRepo(usesValue(a)) {
			case "actions/download-artifact", "dawidd6/action-download-artifact":
				st.downloaded = true
			}
			continue
		}
		r := runOf(sr.step)
		if r == nil {
			continue
		}
		script := r.Run.Value
		if !containsFold(script, "github_env") && !containsFold(script, "github_path") {
			st.downloaded = st.downloaded || strings.Contains(script, "gh run download")
			continue
		}
		st.local = map[string]taint{}
		// The script's lines, in order: a download earlier in it counts.
		loc := newLocator(c.P.Source, r.Run)
		lines := strings.Split(script, "\n")
		for i := 0; i < len(lines); i++ {
			line := lines[i]
			first := strings.TrimSpace(line)
			if strings.Contains(line, "gh run download") {
				st.downloaded = true
			}
			// Join continuation lines: the write may end a long command.
			for strings.HasSuffix(strings.TrimRight(line, " \t"), "\\") && i+1 < len(lines) {
				i++
				line = strings.TrimSuffix(strings.TrimRight(line, " \t"), "\\") + " " + strings.TrimSpace(lines[i])
			}
			if m := assignment.FindStringSubmatch(line); m != nil && !githubEnvWrite.MatchString(line) {
				st.local[m[1]] = st.value(m[2])
				continue
			}
			if m := psAssignment.FindStringSubmatch(line); m != nil && !githubEnvWrite.MatchString(line) {
				st.local[m[1]] = st.value(m[2])
				continue
			}
			m := githubEnvWrite.FindStringIndex(line)
			if m == nil {
				continue
			}
			value := line[:m[0]]
			// A here-document or a { ...; } group: the value is its body.
			if j := strings.Index(value, "<<"); j >= 0 {
				delim := strings.Trim(strings.TrimSpace(strings.TrimLeft(value[j+2:], "-~")), `'"`)
				if f := strings.Fields(delim); len(f) > 0 {
					delim = f[0]
				}
				var body []string
				for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != delim {
					i++
					body = append(body, lines[i])
				}
				i++
				value = "echo " + strings.Join(body, "\n")
			} else if strings.TrimSpace(value) == "}" || strings.HasSuffix(strings.TrimSpace(value), "}") && !strings.Contains(value, "{") {
				var body []string
				for k := i - 1; k >= 0; k-- {
					body = append([]string{lines[k]}, body...)
					if strings.Contains(lines[k], "{") {
						break
					}
				}
				value = strings.Join(body, "\n") + "\n" + value
			}
			dest := "GITHUB_ENV"
			if strings.Contains(strings.ToUpper(line[m[0]:]), "GITHUB_PATH") {
				dest = "GITHUB_PATH"
			}
			t := st.written1(value)
			if name := writtenVar.FindStringSubmatch(strings.TrimSpace(afterEcho(value))); name != nil {
				st.written[name[1]] = t
			}
			at := loc.find(first)
			if t.sev != "" {
				c.Report(at, t.sev, "%q writes %s to %s", strings.TrimSpace(line), t.why, dest)
			}
		}
	}
}

// written1 judges the value written by one line: an echo's or printf's
// arguments, or a command's output.
func (s *envState) written1(lhs string) taint {
	v := strings.TrimSpace(lhs)
	v = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(v, "|")), "|")
	if rest := afterEcho(v); rest != v {
		return s.value(rest)
	}
	// A command's output: judged as if substituted.
	return s.command(v).or(s.value(v))
}

// afterEcho returns the arguments of the last echo or printf in v (v
// itself when it has none).
func afterEcho(v string) string {
	best := -1
	for _, w := range []string{"echo ", "printf ", "Write-Output ", "write-output "} {
		if i := strings.LastIndex(v, w); i >= 0 && (i == 0 || strings.ContainsRune(" ;&|({'\"", rune(v[i-1]))) && i+len(w) > best {
			best = i + len(w)
		}
	}
	if best < 0 {
		return v
	}
	return v[best:]
}

// value judges text that expands: ${{ }} expressions, command
// substitutions and variables.
func (s *envState) value(v string) taint {
	var t taint
	if strings.Contains(v, "${{") {
		for _, e := range exprFlows(v) {
			flows, _ := e.flows()
			for _, f := range flows {
				t = t.or(s.exprTaint(f))
			}
		}
	}
	for _, m := range cmdSubst.FindAllStringSubmatch(v, 20) {
		body := m[1] + m[2]
		if strings.HasPrefix(strings.TrimSpace(body), "<") {
			t = t.or(s.fileRead(strings.TrimSpace(body[1:])))
			continue
		}
		t = t.or(s.command(body))
	}
	for _, m := range shellVar.FindAllStringSubmatch(v, 50) {
		t = t.or(s.variable(m[1] + m[2] + m[3]))
	}
	return t
}

// exprTaint classifies one context of a ${{ }} expression: text an
// attacker writes, or (where the caller is unknown) what a caller passes.
func (s *envState) exprTaint(f ctxPath) taint {
	sev, why := injectable(s.c.P, s.sr, f)
	switch {
	case sev == evidence.High:
		return taint{evidence.High, f.String() + " (" + why + ")"}
	case sev == evidence.Medium && s.callerUnknown:
		return taint{evidence.Medium, f.String() + " (" + why + ")"}
	}
	return taint{}
}

// command judges a command's output by the commands of its pipeline.
func (s *envState) command(body string) taint {
	var t taint
	for _, seg := range pipelineSep.Split(body, -1) {
		f := strings.Fields(seg)
		for len(f) > 0 && (strings.Contains(f[0], "=") && !strings.HasPrefix(f[0], "=") || f[0] == "sudo" || f[0] == "env" || f[0] == "time") {
			f = f[1:]
		}
		if len(f) == 0 {
			continue
		}
		word := strings.Trim(f[0], `"'({`)
		if fileReaders[word] && s.downloaded {
			t = t.or(taint{evidence.High, "the content of a downloaded artifact (" + strings.TrimSpace(seg) + ")"})
			continue
		}
		// Tools installed on the runner print paths and versions; in an
		// action, whose caller's workspace is unknown, an unknown one may
		// print anything.
		if s.callerUnknown && !localTools[word] && !strings.HasPrefix(word, "$") {
			t = t.or(taint{evidence.Medium, "the output of " + word + ", which this action's caller's workspace decides"})
		}
	}
	return t
}

func (s *envState) fileRead(file string) taint {
	if s.downloaded {
		return taint{evidence.High, "the content of a downloaded artifact (" + file + ")"}
	}
	return taint{}
}

// variable judges a shell variable by where it is set.
func (s *envState) variable(name string) taint {
	if t, ok := s.local[name]; ok {
		return t
	}
	if t, ok := s.written[name]; ok {
		return t
	}
	if strings.HasPrefix(name, "GITHUB_") {
		return s.exprTaint(ctxPath{Parts: []string{"github", strings.ToLower(strings.TrimPrefix(name, "GITHUB_"))}})
	}
	found, dynamic, expr := envValue(s.c.P, s.sr, name)
	switch {
	case found && !dynamic:
		return taint{}
	case found && expr != "":
		t := s.value(expr)
		if t.sev != "" {
			t.why = "$" + name + ", set from " + t.why
		}
		return t
	case found && s.callerUnknown:
		return taint{evidence.Medium, "$" + name + ", set from an env: expression"}
	case found:
		return taint{}
	case runnerVar(name):
		return taint{}
	case s.callerUnknown:
		return taint{evidence.Medium, "$" + name + ", which the caller's environment may set"}
	}
	return taint{}
}
