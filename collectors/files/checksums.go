package files

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// IsChecksumFile tells from its name whether a file is a checksum list:
// SHA256SUMS, sha256sum.txt, *.sha256, *.sha512, goreleaser's
// *_checksums.txt, MD5SUMS and the like.
func IsChecksumFile(name string) bool {
	base := strings.ToLower(path.Base(name))
	if _, ok := bareAlgorithm(base); ok {
		return true
	}
	switch {
	case sumsName.MatchString(base),
		base == "checksums" || base == "checksums.txt" || strings.HasSuffix(base, "_checksums.txt") || strings.HasSuffix(base, "-checksums.txt"):
		return true
	}
	return false
}

// bareAlgorithm recognises "artifact.sha256"-style names.
func bareAlgorithm(base string) (string, bool) {
	for _, alg := range []string{"sha256", "sha512", "sha384", "sha224", "sha1", "md5"} {
		if strings.HasSuffix(base, "."+alg) || strings.HasSuffix(base, "."+alg+"sum") {
			return alg, true
		}
	}
	return "", false
}

var (
	sumsName = lazyre.New(`^(sha(1|224|256|384|512)|md5)sums?(\.txt)?$`)
	bsdLine  = lazyre.New(`^(SHA1|SHA224|SHA256|SHA384|SHA512|MD5|SHA512/256)\s?\((.*)\)\s?=\s?([0-9a-fA-F]+)$`)
	gnuLine  = lazyre.New(`^\\?([0-9a-fA-F]{32,128})\s([ *])?(.+)$`)
	hexOnly  = lazyre.New(`^[0-9a-fA-F]{32,128}$`)
)

// algorithmByLength infers the algorithm of a GNU-style line from its
// digest length when the file name does not say.
func algorithmByLength(n int) string {
	switch n {
	case 32:
		return "md5"
	case 40:
		return "sha1"
	case 56:
		return "sha224"
	case 64:
		return "sha256"
	case 96:
		return "sha384"
	case 128:
		return "sha512"
	}
	return ""
}

// algorithmFromName reads the algorithm a checksum list's name announces.
func algorithmFromName(base string) string {
	base = strings.ToLower(base)
	for _, alg := range []string{"sha512", "sha384", "sha256", "sha224", "sha1", "md5"} {
		if strings.Contains(base, alg) {
			return alg
		}
	}
	return ""
}

// ParseChecksumFile parses GNU coreutils (`<hex>  name`, `<hex> *name`,
// backslash-escaped names), BSD (`SHA256 (name) = <hex>`) and bare
// (`<hex>` alone in name.sha256) checksum files. rel is the file's path in
// the target; entry paths are resolved against its folder.
func ParseChecksumFile(rel string, data []byte) *ChecksumFile {
	cf := &ChecksumFile{Path: rel}
	dir := path.Dir(rel)
	base := path.Base(rel)
	nameAlg := algorithmFromName(base)
	bareAlg, isBare := bareAlgorithm(strings.ToLower(base))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if m := bsdLine.FindStringSubmatch(trimmed); m != nil {
			cf.add(dir, ChecksumEntry{Line: line, Style: "bsd", Algorithm: strings.ToLower(strings.ReplaceAll(m[1], "/", "-")), Name: m[2], Digest: strings.ToLower(m[3])})
			continue
		}
		if isBare && hexOnly.MatchString(trimmed) {
			name := strings.TrimSuffix(strings.TrimSuffix(base, "sum"), "."+bareAlg)
			cf.add(dir, ChecksumEntry{Line: line, Style: "bare", Algorithm: bareAlg, Name: name, Digest: strings.ToLower(trimmed)})
			continue
		}
		if m := gnuLine.FindStringSubmatch(text); m != nil {
			name := m[3]
			if strings.HasPrefix(text, `\`) {
				name = unescapeGNU(name)
			}
			alg := algorithmByLength(len(m[1]))
			if nameAlg != "" && nameAlg != alg {
				cf.Problems = append(cf.Problems, fmt.Sprintf("line %d: a %d-digit digest in a %s list", line, len(m[1]), nameAlg))
				continue
			}
			if alg == "" {
				cf.Problems = append(cf.Problems, fmt.Sprintf("line %d: a digest of %d hex digits matches no algorithm", line, len(m[1])))
				continue
			}
			cf.add(dir, ChecksumEntry{Line: line, Style: "gnu", Algorithm: alg, Name: name, Digest: strings.ToLower(m[1]), Binary: m[2] == "*"})
			continue
		}
		cf.Problems = append(cf.Problems, fmt.Sprintf("line %d: not a checksum line: %q", line, clip(trimmed, 60)))
	}
	if err := sc.Err(); err != nil {
		cf.Problems = append(cf.Problems, fmt.Sprintf("line %d: %v", line+1, err))
	}
	return cf
}

func (cf *ChecksumFile) add(dir string, e ChecksumEntry) {
	e.Name = strings.TrimSpace(e.Name)
	p := path.Clean(path.Join(dir, strings.TrimPrefix(e.Name, "./")))
	if path.IsAbs(e.Name) || p == ".." || strings.HasPrefix(p, "../") {
		p = ""
	}
	e.Path = p
	cf.Entries = append(cf.Entries, e)
}

func unescapeGNU(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\r`, "\r")
	return r.Replace(s)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
