package files

import (
	"strings"
	"testing"
)

func TestParseChecksumFile(t *testing.T) {
	const h256 = "b2ce9b084377d453c85c50ef9ba9e7c4d4503960db972d11dae2c3d0655b0862"
	const h1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
	tests := []struct {
		name, path, data string
		want             []ChecksumEntry
		problems         int
	}{
		{
			name: "gnu text and binary", path: "rel/SHA256SUMS",
			data: h256 + "  a.tar.gz\n" + h256 + " *bin/b.exe\n",
			want: []ChecksumEntry{
				{Line: 1, Style: "gnu", Algorithm: "sha256", Name: "a.tar.gz", Path: "rel/a.tar.gz", Digest: h256},
				{Line: 2, Style: "gnu", Algorithm: "sha256", Name: "bin/b.exe", Path: "rel/bin/b.exe", Digest: h256, Binary: true},
			},
		},
		{
			name: "bsd style", path: "CHECKSUMS",
			data: "SHA256 (a.tar.gz) = " + strings.ToUpper(h256) + "\nSHA1 (b) = " + h1 + "\n",
			want: []ChecksumEntry{
				{Line: 1, Style: "bsd", Algorithm: "sha256", Name: "a.tar.gz", Path: "a.tar.gz", Digest: h256},
				{Line: 2, Style: "bsd", Algorithm: "sha1", Name: "b", Path: "b", Digest: h1},
			},
		},
		{
			name: "bare digest names its file", path: "dl/a.tar.gz.sha256",
			data: h256 + "\n",
			want: []ChecksumEntry{{Line: 1, Style: "bare", Algorithm: "sha256", Name: "a.tar.gz", Path: "dl/a.tar.gz", Digest: h256}},
		},
		{
			name: "gnu line in a per-file list", path: "a.tar.gz.sha256",
			data: h256 + "  a.tar.gz\r\n",
			want: []ChecksumEntry{{Line: 1, Style: "gnu", Algorithm: "sha256", Name: "a.tar.gz", Path: "a.tar.gz", Digest: h256}},
		},
		{
			name: "escaped name", path: "SHA256SUMS",
			data: `\` + h256 + `  we\\ird` + "\n",
			want: []ChecksumEntry{{Line: 1, Style: "gnu", Algorithm: "sha256", Name: `we\ird`, Path: `we\ird`, Digest: h256}},
		},
		{
			name: "comments, blanks and junk", path: "SHA256SUMS",
			data: "# made by hand\n\nnot a line\n" + h1 + "  short\n",
			want: nil, problems: 2,
		},
		{
			name: "path escaping the release", path: "SHA256SUMS",
			data: h256 + "  ../../etc/passwd\n" + h256 + "  /abs\n",
			want: []ChecksumEntry{
				{Line: 1, Style: "gnu", Algorithm: "sha256", Name: "../../etc/passwd", Digest: h256},
				{Line: 2, Style: "gnu", Algorithm: "sha256", Name: "/abs", Digest: h256},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cf := ParseChecksumFile(tt.path, []byte(tt.data))
			if len(cf.Entries) != len(tt.want) {
				t.Fatalf("entries = %+v, want %+v", cf.Entries, tt.want)
			}
			for i := range tt.want {
				if cf.Entries[i] != tt.want[i] {
					t.Errorf("entry %d = %+v, want %+v", i, cf.Entries[i], tt.want[i])
				}
			}
			if len(cf.Problems) != tt.problems {
				t.Errorf("problems = %q, want %d", cf.Problems, tt.problems)
			}
		})
	}
}

func TestIsChecksumFile(t *testing.T) {
	for name, want := range map[string]bool{
		"SHA256SUMS": true, "sha256sum.txt": true, "a.tar.gz.sha256": true, "a.zip.sha512": true,
		"MD5SUMS": true, "proj_1.0_checksums.txt": true, "SHA512SUMS.txt": true,
		"a.tar.gz": false, "SHA256SUMS.asc": false, "README.md": false, "sums.go": false,
	} {
		if got := IsChecksumFile(name); got != want {
			t.Errorf("IsChecksumFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func FuzzParseChecksumFile(f *testing.F) {
	f.Add("SHA256SUMS", []byte("b2ce9b084377d453c85c50ef9ba9e7c4d4503960db972d11dae2c3d0655b0862  a\n"))
	f.Add("x.sha512", []byte("SHA512 (x) = 00\n"))
	f.Add("CHECKSUMS", []byte("\\\x00\xff  \n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		cf := ParseChecksumFile(name, data)
		for _, e := range cf.Entries {
			if e.Path != "" && (strings.HasPrefix(e.Path, "../") || strings.HasPrefix(e.Path, "/")) {
				t.Fatalf("entry path %q escapes the target", e.Path)
			}
		}
	})
}
