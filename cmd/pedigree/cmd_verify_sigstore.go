package main

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/layout"
	"github.com/pedigree-dev/pedigree/verify/provenance"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/statement"

	intoto "github.com/in-toto/in-toto-golang/in_toto"
)

// verdict prints one line and returns the exit: OK (0) or FAIL (1).
func verdict(w io.Writer, err error, ok string) error {
	if err != nil {
		fmt.Fprintln(w, "FAIL: "+oneLine(err.Error()))
		return withCode(exitFindings, nil)
	}
	fmt.Fprintln(w, "OK: "+ok)
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// readInput reads a file named on the command line: a missing or unreadable
// file is a usage error (exit 2).
func readInput(flag, path string) ([]byte, error) {
	if path == "" {
		return nil, usageError(fmt.Errorf("--%s is required", flag))
	}
	b, err := sigstore.ReadFile(path)
	if err != nil {
		return nil, usageError(fmt.Errorf("--%s: %w", flag, err))
	}
	return b, nil
}

func readKeys(w io.Writer, paths []string) ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for _, p := range paths {
		b, err := readInput("key", p)
		if err != nil {
			return nil, err
		}
		k, err := sigstore.ParsePublicKey(b)
		if err != nil {
			// A key that does not parse cannot verify anything: a FAIL
			// verdict, as cosign gives.
			return nil, verdict(w, fmt.Errorf("key %s: %w", filepath.Base(p), err), "")
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// artifactArg reads FILE, sha256:HEX (or sha384/sha512) or an image
// name@sha256:HEX. A digest is taken only when it is well formed and not a
// path on disk (the sigstore-conformance rule).
func artifactArg(arg string) (sigstore.Artifact, string, error) {
	if _, err := os.Stat(arg); err != nil {
		if a, ok := sigstore.ParseArtifactDigest(arg); ok {
			return a, "", nil
		}
		if name, d, ok := strings.Cut(arg, "@"); ok {
			if a, ok := sigstore.ParseArtifactDigest(d); ok {
				return a, name, nil
			}
		}
	}
	b, err := readArtifact(arg)
	if err != nil {
		return sigstore.Artifact{}, "", usageError(fmt.Errorf("artifact: %w", err))
	}
	return sigstore.ArtifactBytes(b), "", nil
}

// readArtifact reads an artifact whole (an Ed25519 message signature is over
// the bytes, not a digest). It must be a regular file: a pipe or device such
// as /dev/zero has no end to verify against. The buffer is sized from the
// file so a large artifact is held once, not grown by doubling.
func readArtifact(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: is %s, not a regular file", p, readlimit.Kind(st.Mode()))
	}
	b := make([]byte, st.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return b, nil
}

func init() {
	addVerifyCommand(newVerifyBundleCmd)
	addVerifyCommand(newVerifyProvenanceCmd)
	addVerifyCommand(newVerifyDSSECmd)
	addVerifyCommand(newVerifyStatementCmd)
	addVerifyCommand(newVerifyLayoutCmd)
}

func newVerifyBundleCmd() *cobra.Command {
	var (
		bundlePath, identity, identityRe, issuer, issuerRe, trustedRoot string
		keyPaths                                                        []string
		staging, noTlog                                                 bool
	)
	cmd := &cobra.Command{
		Use:   "bundle --bundle B (--certificate-identity I --certificate-oidc-issuer U | --key K) [--trusted-root T] FILE_OR_sha256:DIGEST",
		Short: "Verify a Sigstore bundle (v0.1-v0.3) offline (sigstore-conformance verify-bundle protocol)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			b, err := readInput("bundle", bundlePath)
			if err != nil {
				return err
			}
			if len(keyPaths) > 0 && (identity != "" || identityRe != "" || issuer != "" || issuerRe != "") {
				// A key-signed bundle would pass without the identity ever
				// being checked: refuse the mix rather than ignore half of it.
				return usageError(errors.New("give --key, or --certificate-identity and --certificate-oidc-issuer, not both"))
			}
			if len(keyPaths) == 0 && (identity == "" && identityRe == "" || issuer == "" && issuerRe == "") {
				return usageError(errors.New("give --certificate-identity and --certificate-oidc-issuer, or --key"))
			}
			if trustedRoot == "" && !(noTlog && len(keyPaths) > 0) {
				if staging {
					return usageError(errors.New("--staging needs --trusted-root: pedigree never fetches trust material (no TUF)"))
				}
				return usageError(errors.New("--trusted-root is required: pedigree never fetches trust material (no TUF)"))
			}
			var pol sigstore.Policy
			if trustedRoot != "" {
				tb, err := readInput("trusted-root", trustedRoot)
				if err != nil {
					return err
				}
				tr, err := sigstore.ParseTrustedRoot(tb)
				if err != nil {
					return verdict(w, err, "")
				}
				pol.Trusted = tr
			}
			if pol.Keys, err = readKeys(w, keyPaths); err != nil {
				return err
			}
			if identity != "" || identityRe != "" {
				if identityRe != "" && sigstore.CompileRegex(identityRe) != nil || issuerRe != "" && sigstore.CompileRegex(issuerRe) != nil {
					return usageError(errors.New("--certificate-identity-regexp/--certificate-oidc-issuer-regexp: invalid regular expression"))
				}
				pol.Identities = []sigstore.Identity{{SAN: identity, SANRegex: identityRe, Issuer: issuer, IssuerRegex: issuerRe}}
			}
			pol.WithoutTransparencyLogUnsafe = noTlog
			art, _, err := artifactArg(args[0])
			if err != nil {
				return err
			}
			res, err := sigstore.Verify(b, pol, art)
			if err != nil {
				return verdict(w, err, "")
			}
			return verdict(w, nil, bundleSummary(res))
		},
	}
	f := cmd.Flags()
	f.StringVar(&bundlePath, "bundle", "", "Sigstore bundle to verify")
	f.StringVar(&identity, "certificate-identity", "", "expected signing certificate SAN (exact)")
	f.StringVar(&identityRe, "certificate-identity-regexp", "", "expected signing certificate SAN (regular expression)")
	f.StringVar(&issuer, "certificate-oidc-issuer", "", "expected OIDC issuer of the signing certificate (exact)")
	f.StringVar(&issuerRe, "certificate-oidc-issuer-regexp", "", "expected OIDC issuer (regular expression)")
	f.StringArrayVar(&keyPaths, "key", nil, "PEM public key of a key-signed bundle (repeatable)")
	f.StringVar(&trustedRoot, "trusted-root", "", "Sigstore trusted_root.json (Fulcio CAs, Rekor, CT logs, TSAs)")
	f.BoolVar(&staging, "staging", false, "accepted for the conformance protocol; needs --trusted-root (nothing is fetched)")
	f.BoolVar(&noTlog, "without-tlog-unsafe", false, "accept a key-signed bundle with no transparency-log entry (signing time unproven)")
	return cmd
}

func bundleSummary(r *sigstore.Result) string {
	s := fmt.Sprintf("Sigstore bundle %s (%s) verified", r.Version, r.Content)
	if r.SignedWith == "certificate" && r.Certificate != nil {
		s += fmt.Sprintf(", signed by %s (issuer %s)", r.Certificate.SubjectAlternativeName, r.Certificate.Issuer)
	} else {
		s += ", signed by key " + r.KeyAlgorithm
	}
	if len(r.TlogKinds) > 0 {
		s += ", log entry " + strings.Join(r.TlogKinds, ", ")
	} else {
		s += ", no transparency-log entry (accepted by --without-tlog-unsafe)"
	}
	if len(r.Timestamps) > 0 {
		s += ", time " + r.Timestamps[0].Format(time.RFC3339)
	}
	return s
}

func newVerifyProvenanceCmd() *cobra.Command {
	var (
		provPath, trustedRoot, npmKeys, gcbKeys string
		keyPaths                                []string
		exp                                     provenance.Expect
	)
	cmd := &cobra.Command{
		Use:   "provenance --provenance P --source-uri github.com/o/r [--source-tag|--source-branch|--source-versioned-tag] [--builder-id ID] [--trusted-root T] ARTIFACT",
		Short: "Verify SLSA provenance offline (GitHub Actions, GitHub attestations, npm, Cloud Build, key-signed)",
		Long: "ARTIFACT is a file, a digest (sha256:HEX, sha512:HEX for npm tarballs) or an image name@sha256:HEX.\n" +
			"Trust material is read from files: --trusted-root (Sigstore), --npm-keys (registry.npmjs.org/keys.json),\n" +
			"--gcb-keys (a folder of Cloud Build KMS public keys, <region>.key), --key (key-signed provenance).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			b, err := readInput("provenance", provPath)
			if err != nil {
				return err
			}
			if exp.SourceURI == "" {
				return usageError(errors.New("--source-uri is required"))
			}
			var tr provenance.Trust
			if trustedRoot != "" {
				tb, err := readInput("trusted-root", trustedRoot)
				if err != nil {
					return err
				}
				root, err := sigstore.ParseTrustedRoot(tb)
				if err != nil {
					return verdict(w, err, "")
				}
				tr.Sigstore = root
			}
			if npmKeys != "" {
				nb, err := readInput("npm-keys", npmKeys)
				if err != nil {
					return err
				}
				if tr.NPMKeys, err = provenance.ParseNPMKeys(nb); err != nil {
					return verdict(w, err, "")
				}
			}
			if gcbKeys != "" {
				if tr.GCBKeys, err = provenance.LoadGCBKeys(gcbKeys); err != nil {
					return usageError(err)
				}
			}
			if tr.Keys, err = readKeys(w, keyPaths); err != nil {
				return err
			}
			art, err := provenanceArtifact(args[0])
			if err != nil {
				return err
			}
			res, err := provenance.Verify(b, tr, exp, art)
			if err != nil {
				return verdict(w, err, "")
			}
			return verdict(w, nil, res.Summary())
		},
	}
	f := cmd.Flags()
	f.StringVar(&provPath, "provenance", "", "provenance: Sigstore bundle, DSSE envelope (.intoto.jsonl), npm attestations or Cloud Build provenance JSON")
	f.StringVar(&exp.SourceURI, "source-uri", "", "expected source repository, e.g. github.com/o/r")
	f.StringVar(&exp.SourceTag, "source-tag", "", "expected tag (exact)")
	f.StringVar(&exp.SourceBranch, "source-branch", "", "expected branch")
	f.StringVar(&exp.SourceVersionedTag, "source-versioned-tag", "", "expected semantic version prefix (v1, v1.2)")
	f.StringVar(&exp.BuilderID, "builder-id", "", "expected builder id name[@ref] (default: slsa-github-generator workflows at a release tag)")
	f.StringVar(&exp.PackageName, "package-name", "", "expected npm package name")
	f.StringVar(&exp.PackageVersion, "package-version", "", "expected npm package version")
	f.StringVar(&exp.BuildType, "build-type", "", "expected build type")
	f.StringVar(&trustedRoot, "trusted-root", "", "Sigstore trusted_root.json")
	f.StringVar(&npmKeys, "npm-keys", "", "npm registry attestation keys (keys.json)")
	f.StringVar(&gcbKeys, "gcb-keys", "", "folder of Cloud Build KMS public keys (<region>.key)")
	f.StringArrayVar(&keyPaths, "key", nil, "PEM public key of key-signed provenance (repeatable)")
	return cmd
}

func provenanceArtifact(arg string) (provenance.Artifact, error) {
	a, image, err := artifactArg(arg)
	if err != nil {
		return provenance.Artifact{}, err
	}
	out := provenance.Artifact{Digests: map[string]string{}, Image: image}
	if a.Digest != nil {
		out.Digests[a.Algorithm] = fmt.Sprintf("%x", a.Digest)
		return out, nil
	}
	out.Digests["sha256"] = sha256Hex(a.Data)
	out.Digests["sha512"] = sha512Hex(a.Data)
	return out, nil
}

func newVerifyDSSECmd() *cobra.Command {
	var (
		envPath, keyID, keyScheme string
		keyPaths                  []string
		vsa                       provenance.VSAExpect
	)
	cmd := &cobra.Command{
		Use:   "dsse --envelope E --key K [--key-id ID]",
		Short: "Verify a DSSE envelope's signature (and, with the --vsa-* flags, a SLSA verification summary)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			b, err := readInput("envelope", envPath)
			if err != nil {
				return err
			}
			if len(keyPaths) == 0 {
				return usageError(errors.New("--key is required"))
			}
			pubs, err := readKeys(w, keyPaths)
			if err != nil {
				return err
			}
			env, err := dsse.Parse(b)
			if err != nil {
				return verdict(w, err, "")
			}
			var keys []dsse.Key
			for _, p := range pubs {
				keys = append(keys, dsse.Key{Public: p, KeyID: keyID, Scheme: keyScheme})
			}
			r, err := env.Verify(keys...)
			if err != nil {
				return verdict(w, err, "")
			}
			msg := fmt.Sprintf("DSSE envelope (%s) signature %d verified with %s", env.PayloadType, r.Index, r.Algorithm)
			if r.KeyID != "" {
				msg += " key id " + r.KeyID
			}
			if !vsa.Empty() {
				v, err := provenance.CheckVSA(env, vsa)
				if err != nil {
					return verdict(w, err, "")
				}
				msg += fmt.Sprintf("; VSA %s by %s for %s, levels %s", v.VerificationResult, v.VerifierID, v.ResourceURI, strings.Join(v.VerifiedLevels, ","))
			}
			return verdict(w, nil, msg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&envPath, "envelope", "", "DSSE envelope (JSON or first line of JSON lines)")
	f.StringArrayVar(&keyPaths, "key", nil, "PEM public key (repeatable)")
	f.StringVar(&keyID, "key-id", "", "the signature's keyid must equal this")
	f.StringVar(&keyScheme, "key-scheme", "", "pin the scheme: ecdsa-sha2-nistp256, ed25519, rsassa-pss-sha256, rsa-pkcs1v15-sha256")
	f.StringArrayVar(&vsa.SubjectDigests, "vsa-subject-digest", nil, "VSA: a subject must carry this alg:digest (repeatable)")
	f.StringVar(&vsa.VerifierID, "vsa-verifier-id", "", "VSA: expected verifier id")
	f.StringVar(&vsa.ResourceURI, "vsa-resource-uri", "", "VSA: expected resource URI")
	f.StringArrayVar(&vsa.VerifiedLevels, "vsa-verified-level", nil, "VSA: a level that must be verified (repeatable)")
	return cmd
}

func newVerifyStatementCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "statement STATEMENT.json",
		Short: "Validate an in-toto Statement (v1 or v0.1)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := readInput("statement", args[0])
			if err != nil {
				return err
			}
			st, err := statement.Parse(b)
			if err != nil {
				return verdict(cmd.OutOrStdout(), err, "")
			}
			return verdict(cmd.OutOrStdout(), nil, fmt.Sprintf("in-toto Statement %s with %d subject(s), predicate %s", st.Version(), len(st.Subject), st.PredicateType))
		},
	}
}

func newVerifyLayoutCmd() *cobra.Command {
	var (
		layoutPath, linkDir string
		keyPaths            []string
	)
	cmd := &cobra.Command{
		Use:   "layout --layout L --layout-key K [--link-dir D]",
		Short: "Verify an in-toto layout and its link metadata (inspections are never run)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			if _, err := readInput("layout", layoutPath); err != nil {
				return err
			}
			if len(keyPaths) == 0 {
				return usageError(errors.New("--layout-key is required"))
			}
			var keys []intoto.Key
			for _, p := range keyPaths {
				b, err := readInput("layout-key", p)
				if err != nil {
					return err
				}
				k, err := layout.LoadKey(b)
				if err != nil {
					return verdict(w, err, "")
				}
				keys = append(keys, k)
			}
			if linkDir == "" {
				linkDir = filepath.Dir(layoutPath)
			}
			res, err := layout.Verify(layoutPath, keys, linkDir, time.Now())
			if err != nil {
				return verdict(w, err, "")
			}
			return verdict(w, nil, fmt.Sprintf("in-toto layout verified: %d step(s), expires %s", len(res.Steps), res.Expires))
		},
	}
	f := cmd.Flags()
	f.StringVar(&layoutPath, "layout", "", "root layout")
	f.StringArrayVar(&keyPaths, "layout-key", nil, "PEM public key the layout must be signed by (repeatable; all must sign)")
	f.StringVar(&linkDir, "link-dir", "", "folder of link metadata (default: the layout's folder)")
	return cmd
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func sha512Hex(b []byte) string {
	s := sha512.Sum512(b)
	return hex.EncodeToString(s[:])
}
