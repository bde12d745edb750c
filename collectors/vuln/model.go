package vuln

import (
	"sync"
	"time"
)

// Evidence kinds of the vuln collector.
const (
	// KindDatabase is one loaded OSV database; payload *Database.
	KindDatabase = "vuln.database"
	// KindKEV is a CISA Known Exploited Vulnerabilities catalog; payload *KEV.
	KindKEV = "vuln.kev"
	// KindVEX is one VEX document; payload *VEXDocument.
	KindVEX = "vuln.vex"
)

// CollectorName is the name recorded in the collector's evidence.
const CollectorName = "vuln"

// Database is an OSV database as loaded: where it came from, what was
// skipped and why, and (not serialised) the index matching runs on.
type Database struct {
	// Paths are the configured database paths.
	Paths []string `json:"paths"`
	// Sources are the files read (records or zip exports), sorted.
	Sources []SourceFile `json:"sources"`
	// Digest is the SHA-256 over every source's path and SHA-256: the key
	// of the index cache.
	Digest string `json:"digest"`
	// Advisories counts the records indexed (withdrawn ones excluded).
	Advisories int `json:"advisories"`
	// Withdrawn counts records skipped because they are withdrawn.
	Withdrawn int `json:"withdrawn,omitempty"`
	// Packages counts distinct (ecosystem, package) keys in the index.
	Packages int `json:"packages"`
	// Ecosystems counts affected entries per base ecosystem.
	Ecosystems map[string]int `json:"ecosystems,omitempty"`
	// Newest is the latest `modified` time of any record: how fresh the
	// database is.
	Newest time.Time `json:"newest,omitzero"`
	// Problems are records or archive members that were skipped.
	Problems []Problem `json:"problems,omitempty"`
	// ProblemsTruncated counts problems left out of Problems.
	ProblemsTruncated int `json:"problemsTruncated,omitempty"`
	// Cache says whether the index came from the cache file ("hit"), was
	// built and stored ("stored"), or was built without a cache ("off").
	Cache     string `json:"cache"`
	CacheFile string `json:"cacheFile,omitempty"`

	// Index is what matching reads. It stays out of pedigree.json.
	Index *Index `json:"-"`

	memoMu sync.Mutex
	memo   map[string][]Result
}

// SourceFile is one file a database was read from.
type SourceFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Records counts the records decoded from the file (zip members).
	Records int `json:"records"`
}

// Problem is one record, file or archive member that could not be used.
type Problem struct {
	// File is the database file; Member the zip member, when inside a zip.
	File   string `json:"file"`
	Member string `json:"member,omitempty"`
	Error  string `json:"error"`
}

// Where names the problem's place: file or file!member.
func (p Problem) Where() string {
	if p.Member != "" {
		return p.File + "!" + p.Member
	}
	return p.File
}
