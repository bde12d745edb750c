package config

// Files is the `files:` section of pedigree.yaml.
type Files struct {
	// ReleasePatterns are extra globs of files to treat as release artifacts
	// (archives, packages and binaries are recognised by name already).
	ReleasePatterns []string `yaml:"release-patterns"`
}
