package config

// Files is the `files:` section of pedigree.yaml.
type Files struct {
	// ReleasePatterns are extra globs of files to treat as release artifacts
	// (archives, packages and binaries are recognised by name already).
	ReleasePatterns []string `yaml:"release-patterns"`
	// ArchiveBudget bounds the bytes decompressed over all the release
	// archives of one target to read their build times ("2GiB" when empty).
	ArchiveBudget string `yaml:"archive-budget"`
}
