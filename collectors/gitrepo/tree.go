package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// maxReadSize bounds what is read of one blob (manifests, CODEOWNERS).
const maxReadSize = 8 << 20

// codeOwnersPaths are where GitHub and GitLab look, in their order.
var codeOwnersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"}

var dependencyBots = []string{
	".github/dependabot.yml", ".github/dependabot.yaml",
	"renovate.json", "renovate.json5", ".renovaterc", ".renovaterc.json", ".github/renovate.json", ".github/renovate.json5", ".gitlab/renovate.json",
}

func scanTree(ctx context.Context, repo *git.Repository, root string, limit int64) (*Tree, error) {
	head, err := repo.Head()
	if err != nil {
		return nil, fmt.Errorf("HEAD: %w", err)
	}
	cm, err := repo.CommitObject(head.Hash())
	if err != nil {
		return nil, fmt.Errorf("HEAD commit %s: %w", head.Hash(), err)
	}
	tree, err := cm.Tree()
	if err != nil {
		return nil, fmt.Errorf("HEAD tree: %w", err)
	}
	if limit <= 0 || limit > maxReadSize {
		limit = maxReadSize
	}
	t := &Tree{Root: root}
	list, err := walkTree(ctx, repo.Storer, tree, MaxTreeEntries, MaxSubtrees)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, errBudget) {
			return nil, fmt.Errorf("HEAD tree not assessed: %w", err)
		}
		return nil, fmt.Errorf("HEAD tree is corrupt: %w", err)
	}
	files := make(map[string]*treeFile, len(list))
	order := make([]string, len(list))
	for i := range list {
		files[list[i].name] = &list[i]
		order[i] = list[i].name
	}
	t.Files = len(order)
	blob := func(f *treeFile) *object.Blob {
		if f.mode == filemode.Submodule {
			return nil
		}
		b, err := object.GetBlob(repo.Storer, f.hash)
		if err != nil {
			return nil
		}
		return b
	}
	read := func(name string) ([]byte, bool) {
		f := files[name]
		if f == nil {
			return nil, false
		}
		b := blob(f)
		if b == nil {
			return nil, false
		}
		if b.Size > limit {
			// A manifest is read more than once (as a workspace's root,
			// then as itself): it is skipped once.
			if !slices.Contains(t.SkippedTooLarge, name) {
				t.SkippedTooLarge = append(t.SkippedTooLarge, name)
			}
			return nil, false
		}
		r, err := b.Reader()
		if err != nil {
			return nil, false
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, limit))
		return data, err == nil
	}

	for _, p := range codeOwnersPaths {
		if b, ok := read(p); ok {
			t.CodeOwners = p
			t.CodeOwnerRules = ParseCodeOwners(b)
			break
		}
	}
	for _, name := range order {
		low := strings.ToLower(name)
		switch {
		case strings.HasPrefix(name, ".github/workflows/") && (strings.HasSuffix(low, ".yml") || strings.HasSuffix(low, ".yaml")),
			name == ".gitlab-ci.yml", strings.HasPrefix(name, ".gitlab/ci/"):
			t.PipelineFiles = append(t.PipelineFiles, name)
		}
		if t.SecurityPolicy == "" && (low == "security.md" || low == ".github/security.md" || low == "docs/security.md" || low == "security.txt" || low == ".well-known/security.txt") {
			t.SecurityPolicy = name
		}
	}
	for _, p := range dependencyBots {
		if files[p] != nil {
			t.DependencyBots = append(t.DependencyBots, p)
		}
	}
	t.Manifests = manifests(order, files, read)
	for _, name := range order {
		f := files[name]
		if f.mode == filemode.Symlink || f.mode == filemode.Submodule {
			continue
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		b := blob(f)
		if b == nil {
			continue
		}
		if format := binaryFormat(name, b); format != "" {
			t.Binaries = append(t.Binaries, Binary{Path: name, Format: format, Size: b.Size})
		}
	}
	return t, nil
}

// binaryFormat reads a blob's first bytes for an executable's magic.
func binaryFormat(name string, f *object.Blob) string {
	low := strings.ToLower(name)
	switch {
	case strings.HasSuffix(low, ".jar"), strings.HasSuffix(low, ".war"):
		return "jar"
	}
	if f.Size < 4 {
		return ""
	}
	r, err := f.Reader()
	if err != nil {
		return ""
	}
	defer r.Close()
	head := make([]byte, 4)
	if _, err := io.ReadFull(r, head); err != nil {
		return ""
	}
	switch {
	case bytes.Equal(head, []byte("\x7fELF")):
		return "elf"
	case bytes.Equal(head, []byte("\x00asm")):
		return "wasm"
	case bytes.Equal(head, []byte{0xfe, 0xed, 0xfa, 0xce}), bytes.Equal(head, []byte{0xfe, 0xed, 0xfa, 0xcf}),
		bytes.Equal(head, []byte{0xce, 0xfa, 0xed, 0xfe}), bytes.Equal(head, []byte{0xcf, 0xfa, 0xed, 0xfe}):
		return "mach-o"
	case bytes.Equal(head, []byte{0xca, 0xfe, 0xba, 0xbe}):
		if strings.HasSuffix(low, ".class") {
			return "class"
		}
		return "mach-o"
	case head[0] == 'M' && head[1] == 'Z' && (strings.HasSuffix(low, ".exe") || strings.HasSuffix(low, ".dll") || strings.HasSuffix(low, ".sys")):
		return "pe"
	}
	return ""
}

// ParseCodeOwners reads CODEOWNERS rules: "pattern owner...", comments and
// blank lines skipped. A pattern with no owners is kept: it removes
// ownership, as GitHub reads it.
func ParseCodeOwners(b []byte) []OwnerRule {
	var out []OwnerRule
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		fields := strings.Fields(line)
		out = append(out, OwnerRule{Line: n, Pattern: fields[0], Owners: fields[1:]})
	}
	return out
}

// OwnersOf returns the owners of a path: the last matching rule wins.
func OwnersOf(rules []OwnerRule, p string) ([]string, *OwnerRule) {
	var found *OwnerRule
	for i := range rules {
		if matchOwnerPattern(rules[i].Pattern, p) {
			found = &rules[i]
		}
	}
	if found == nil {
		return nil, nil
	}
	return found.Owners, found
}

// matchOwnerPattern applies CODEOWNERS matching as GitHub documents it: a
// pattern with a slash is anchored at the root, one without matches at any
// depth; a trailing slash matches a folder's contents; "dir/*" matches the
// files directly in dir only; ** spans folders.
func matchOwnerPattern(pat, p string) bool {
	re, err := ownerPatternRegexp(pat)
	return err == nil && re.MatchString(p)
}

func ownerPatternRegexp(pat string) (*regexp.Regexp, error) {
	anchored := strings.Contains(strings.TrimSuffix(pat, "/"), "/")
	pat = strings.TrimPrefix(pat, "/")
	dirOnly := strings.HasSuffix(pat, "/")
	pat = strings.TrimSuffix(pat, "/")
	var b strings.Builder
	b.WriteString("^")
	if !anchored {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(pat); i++ {
		switch {
		case strings.HasPrefix(pat[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(pat[i:], "**"):
			b.WriteString(".*")
			i++
		case pat[i] == '*':
			b.WriteString("[^/]*")
		case pat[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
		}
	}
	switch {
	case dirOnly:
		b.WriteString("/.*$")
	case strings.HasSuffix(pat, "/*"):
		b.WriteString("$")
	default:
		b.WriteString("(?:/.*)?$")
	}
	return regexp.Compile(b.String())
}
